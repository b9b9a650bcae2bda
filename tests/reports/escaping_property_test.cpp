// Whatever bytes a scenario file or a run's evidence holds, junit.xml stays well-formed XML 1.0
// text and summary.md's tables keep their shape.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>
#include <string>

#include "reports/junit.hpp"
#include "reports/suite_markdown.hpp"
#include "reports/text.hpp"
#include "tests/reports/markdown_table.hpp"

namespace stormlog::reports {
namespace {

using Json = nlohmann::ordered_json;

// Text of any bytes, biased towards the ones that have a meaning somewhere.
rc::Gen<std::string> nasty_text() {
    const auto byte =
        rc::gen::oneOf(rc::gen::element('<', '>', '&', '"', '\'', '|', '\\', '`', '\n', '\r', '\t',
                                        '\x01', '\x1b', '\x7f', '#', '_', '*', '[', ']'),
                       rc::gen::arbitrary<char>());
    return rc::gen::container<std::string>(byte);
}

Json suite_of(const std::string& scenario, const std::string& evidence, const std::string& replay) {
    const Json run = {{"scenario", scenario},
                      {"seed", 1},
                      {"ok", false},
                      {"wall_s", 0.1},
                      {"failure", {{"property", evidence}, {"evidence", evidence}}},
                      {"replay", replay}};
    return {{"runs", 1}, {"failed", 1}, {"scenarios", {{{"name", scenario}}}}, {"run_list", {run}}};
}

// XML 1.0 text: valid UTF-8, no control character but tab and newline, no U+FFFE / U+FFFF.
bool xml_safe(const std::string& xml) {
    if (valid_utf8(xml) != xml) return false;
    for (const char ch : xml) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 && c != '\n' && c != '\t') return false;
    }
    return xml.find("\xEF\xBF\xBE") == std::string::npos &&
           xml.find("\xEF\xBF\xBF") == std::string::npos;
}

// Every line of the failing-runs table has as many cell separators as its header.
bool failure_rows_keep_their_shape(const std::string& md) {
    std::istringstream in(md.substr(md.find("\n## Failing runs\n")));
    int rows = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] != '|') continue;
        const size_t bars = test::cell_separators(line);
        if (bars != 6) return false;
        ++rows;
    }
    return rows == 3;  // header, rule, the one run
}

RC_GTEST_PROP(EscapingProperty, JunitIsXmlTextForAnyInput, ()) {
    const std::string a = *nasty_text(), b = *nasty_text(), c = *nasty_text();
    const std::string xml = junit_xml(suite_of(a, b, c));
    RC_ASSERT(xml_safe(xml));
    RC_ASSERT(xml.find("<testcase ") != std::string::npos);
}

RC_GTEST_PROP(EscapingProperty, SuiteMarkdownTablesKeepTheirShape, ()) {
    const std::string a = *nasty_text(), b = *nasty_text(), c = *nasty_text();
    const std::string md = suite_markdown(suite_of(a, b, c));
    RC_ASSERT(failure_rows_keep_their_shape(md));
    RC_ASSERT(md.find('\x1b') == std::string::npos);
}

}  // namespace
}  // namespace stormlog::reports
