#pragma once
// Self-contained HTML pages of run and suite reports (docs/report-schema.md): each is one file
// that opens offline, with Chart.js, the page's script and style sheet inlined. The report's JSON
// goes into the page as data and the script builds every element from it with textContent, so no
// scenario text is ever parsed as HTML; the C++ side writes no text of the report itself.
//
// Once the script has drawn the page, <div id="render-status"> holds data-status="ok" and, as its
// text, {"charts":[{"id":<canvas id>,"points":<non-null data points Chart.js holds>},...]}; any
// uncaught error turns data-status into "error: <message>". Tests read it from the browser's DOM.

#include <nlohmann/json.hpp>
#include <string>

namespace stormlog::reports {

// report.json -> report.html.
std::string run_report_html(const nlohmann::ordered_json& report);

// A suite's summary.json (with run_list and scorecard) -> index.html.
std::string suite_report_html(const nlohmann::ordered_json& summary);

// The JSON as it goes into a <script type="application/json"> element: '<', '>', '&', U+2028 and
// U+2029 written as \uXXXX escapes (still the same JSON), so that no string can end the element
// or open a comment in it. Invalid UTF-8 becomes U+FFFD rather than an exception.
std::string script_safe_json(const nlohmann::ordered_json& data);

}  // namespace stormlog::reports
