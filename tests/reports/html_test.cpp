// The HTML pages of run and suite reports: the report's JSON goes in as script data that no string
// can break out of, and the inlined assets cannot end their own elements.

#include "reports/html.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <string_view>

#include "reports/html_assets.hpp"

namespace stormlog::reports {
namespace {

using nlohmann::ordered_json;

// The text between <script type="application/json" id="report-data"> and the next </script>.
std::string embedded_data(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"report-data\">";
    const auto from = html.find(open);
    EXPECT_NE(from, std::string::npos);
    const auto begin = from + open.size();
    const auto end = html.find("</script>", begin);
    EXPECT_NE(end, std::string::npos);
    return html.substr(begin, end - begin);
}

ordered_json hostile_report() {
    ordered_json r;
    r["schema"] = 1;
    r["kind"] = "run";
    r["scenario"]["name"] = "evil</script><script>alert(1)</script>";
    r["scenario"]["description"] = "<!-- a \"quote\" & &amp; \u2028line\u2029para </SCRIPT >";
    return r;
}

TEST(HtmlReport, ScriptEndInAStringNeverAppearsRaw) {
    const std::string html = run_report_html(hostile_report());
    EXPECT_EQ(html.find("evil</script>"), std::string::npos);
    EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
    EXPECT_EQ(html.find("<!-- a"), std::string::npos);
    EXPECT_EQ(html.find("</SCRIPT"), std::string::npos);
    EXPECT_NE(html.find("evil\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"),
              std::string::npos);
}

TEST(HtmlReport, EmbeddedDataParsesBackToTheSameJson) {
    const ordered_json r = hostile_report();
    const std::string data = embedded_data(run_report_html(r));
    EXPECT_EQ(data.find_first_of("<>&"), std::string::npos);
    EXPECT_EQ(ordered_json::parse(data), r);
}

TEST(HtmlReport, LineAndParagraphSeparatorsAreEscaped) {
    const std::string data = script_safe_json(hostile_report());
    EXPECT_EQ(data.find("\u2028"), std::string::npos);
    EXPECT_EQ(data.find("\u2029"), std::string::npos);
    EXPECT_NE(data.find("\\u2028line\\u2029para"), std::string::npos);
}

TEST(HtmlReport, OtherTextIsKeptAsIs) {
    ordered_json j;
    j["s"] = "caf\u00e9 \u2014 \u2027 \"q\" \\ /";
    EXPECT_EQ(script_safe_json(j), "{\"s\":\"caf\u00e9 \u2014 \u2027 \\\"q\\\" \\\\ /\"}");
}

TEST(HtmlReport, InvalidUtf8IsReplacedNotThrown) {
    ordered_json j;
    j["s"] = std::string("bad \xFF byte");
    EXPECT_EQ(script_safe_json(j), "{\"s\":\"bad \xEF\xBF\xBD byte\"}");
}

TEST(HtmlReport, SuitePageEmbedsItsData) {
    ordered_json s;
    s["kind"] = "suite";
    s["run_list"] = ordered_json::array({{{"report", "javascript:alert(1)</script>"}}});
    const std::string html = suite_report_html(s);
    EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
    EXPECT_EQ(ordered_json::parse(embedded_data(html)), s);
}

TEST(HtmlReport, PagesAreSelfContained) {
    const std::string html = run_report_html(ordered_json::object());
    EXPECT_EQ(html.find("<script src"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_NE(html.find("Chart.js v3"), std::string::npos);
    EXPECT_NE(html.find("id=\"render-status\""), std::string::npos);
}

// Each asset is ASCII (the embedding splits files at byte offsets) and cannot close the element
// it is inlined into.
TEST(HtmlAssets, AreAsciiAndCannotEndTheirElement) {
    for (std::string_view asset : {assets::chart_js(), assets::report_css(), assets::common_js(),
                                   assets::run_js(), assets::suite_js()}) {
        ASSERT_GT(asset.size(), 1000u);
        for (char c : asset) ASSERT_EQ(static_cast<unsigned char>(c) & 0x80, 0);
        std::string lower(asset);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(lower.find("</script"), std::string::npos);
        EXPECT_EQ(lower.find("</style"), std::string::npos);
        EXPECT_EQ(lower.find("<!--"), std::string::npos);
    }
}

TEST(HtmlAssets, ChartJsIsWhole) {
    EXPECT_EQ(assets::chart_js().substr(0, 20), "/*!\n * Chart.js v3.9");
    EXPECT_GT(assets::chart_js().size(), 150000u);
}

}  // namespace
}  // namespace stormlog::reports
