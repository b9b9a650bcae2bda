#include "reports/html.hpp"

#include <string_view>

#include "reports/html_assets.hpp"

namespace stormlog::reports {

namespace {

// Appends `json` (UTF-8, as nlohmann dumps it) with the characters that mean something to the
// HTML tokenizer inside a script element replaced by their JSON escapes. They only ever occur
// inside JSON strings, where the escape means the same character.
void append_escaped(std::string& out, std::string_view json) {
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '<') {
            out += "\\u003c";
        } else if (c == '>') {
            out += "\\u003e";
        } else if (c == '&') {
            out += "\\u0026";
        } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
                   (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
            // U+2028 and U+2029 end a line in older JavaScript parsers.
            out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += c;
        }
    }
}

// The whole page. Its fixed title is replaced by the script (textContent) once the data is read;
// render-status says "pending" until the script has drawn every chart, for tests to read.
std::string page(const nlohmann::ordered_json& data, std::string_view page_js) {
    std::string html;
    html.reserve(assets::chart_js().size() + 64 * 1024);
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>stormlog report</title>\n<style>\n";
    html += assets::report_css();
    html += "</style>\n</head>\n<body>\n";
    html += "<div id=\"render-status\" data-status=\"pending\" hidden></div>\n";
    html += "<main id=\"app\"><noscript>This report needs JavaScript.</noscript></main>\n";
    html += "<script type=\"application/json\" id=\"report-data\">";
    html += script_safe_json(data);
    html += "</script>\n<script>\n";
    // Our helpers first: they install the error handler before Chart.js runs.
    html += assets::common_js();
    html += "</script>\n<script>\n";
    html += assets::chart_js();
    html += "\n</script>\n<script>\n";
    html += page_js;
    html += "</script>\n</body>\n</html>\n";
    return html;
}

}  // namespace

std::string script_safe_json(const nlohmann::ordered_json& data) {
    const std::string json =
        data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::string out;
    out.reserve(json.size() + json.size() / 16);
    append_escaped(out, json);
    return out;
}

std::string run_report_html(const nlohmann::ordered_json& report) {
    return page(report, assets::run_js());
}

std::string suite_report_html(const nlohmann::ordered_json& summary) {
    return page(summary, assets::suite_js());
}

}  // namespace stormlog::reports
