#pragma once
// The files an HTML report inlines, compiled into the binary (reports/embed_assets.cmake) so that
// a report opens offline and the binary needs nothing beside it. All are ASCII and none contains
// "</script" or "</style", which would end the element they are inlined into.

#include <string_view>

namespace stormlog::reports::assets {

std::string_view chart_js();    // Chart.js 3.9.1, minified (Debian's libjs-chart.js; MIT licence)
std::string_view report_css();  // reports/assets/report.css
std::string_view common_js();   // reports/assets/common.js: helpers both pages use
std::string_view run_js();      // reports/assets/run.js: the run page
std::string_view suite_js();    // reports/assets/suite.js: the suite page

}  // namespace stormlog::reports::assets
