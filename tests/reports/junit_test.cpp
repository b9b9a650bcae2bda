// junit.xml: counts per suite and in total, one testcase per run in scenario order, failures
// with evidence and replay, escaping of any text, and byte-for-byte stable output.

#include "reports/junit.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/reports/fixtures.hpp"

namespace stormlog::reports {
namespace {

using Json = nlohmann::ordered_json;

Json sample() {
    return test::fixture_json("suite-junit-sample.json");
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

Json one_run(Json run) {
    run["scenario"] = "s";
    return {{"scenarios", {{{"name", "s"}}}}, {"run_list", {run}}};
}

Json failed_run(const std::string& evidence) {
    return {{"seed", 3},
            {"verdict", "fail"},
            {"expected", "pass"},
            {"ok", false},
            {"wall_s", 0.5},
            {"failure", {{"property", "p"}, {"at_s", 1.0}, {"node", "n1"}, {"evidence", evidence}}},
            {"replay", "stormlog run s --seed 3"}};
}

TEST(Junit, MatchesTheGoldenFile) {
    // The golden file was read by eye once; xmllint checks it against junit.xsd in ctest.
    EXPECT_EQ(junit_xml(sample()), test::fixture_text("suite-junit-sample.xml"));
}

TEST(Junit, CountsTestsAndFailuresInTotalAndPerScenario) {
    const std::string xml = junit_xml(sample());
    EXPECT_NE(
        xml.find(R"(<testsuites name="stormlog" tests="7" failures="2" errors="0" time="2.750">)"),
        std::string::npos)
        << xml;
    EXPECT_NE(xml.find(R"(<testsuite name="ledger-nemesis" tests="3" failures="1" errors="0" )"
                       R"(skipped="0" time="2.450">)"),
              std::string::npos);
    EXPECT_NE(xml.find(R"(<testsuite name="lost-write" tests="2" failures="1" )"),
              std::string::npos)
        << "an expected failure that failed is a pass; one that passed is a failure";
    EXPECT_NE(xml.find(R"(<testsuite name="store-steady" tests="2" failures="0" )"),
              std::string::npos);
    EXPECT_EQ(count(xml, "<testcase "), 7u);
    EXPECT_EQ(count(xml, "<failure "), 2u);
    EXPECT_EQ(count(xml, "<system-out>replay: stormlog run "), 7u);
}

TEST(Junit, SuitesFollowTheSummarysScenarioOrder) {
    const std::string xml = junit_xml(sample());
    const size_t a = xml.find("name=\"ledger-nemesis\""), b = xml.find("name=\"lost-write\""),
                 c = xml.find("name=\"store-steady\"");
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    EXPECT_NE(
        xml.find(R"(<testcase classname="stormlog.ledger-nemesis" name="seed-2" time="0.950">)"),
        std::string::npos);
}

TEST(Junit, FailureCarriesPropertyEvidenceAndReplay) {
    const std::string xml = junit_xml(one_run(failed_run("record 9 lost")));
    EXPECT_NE(xml.find(R"(<failure message="p: record 9 lost" type="p">p at 1.000 s on n1)"
                       "\nrecord 9 lost\nreplay: stormlog run s --seed 3\n</failure>"),
              std::string::npos)
        << xml;
}

TEST(Junit, ExpectedFailureThatPassedIsAFailure) {
    const std::string xml = junit_xml(sample());
    EXPECT_NE(xml.find(R"(<failure message="scenario lost-write expected a failure, but every )"
                       R"(property held" type="expected-failure">)"),
              std::string::npos)
        << xml;
}

TEST(Junit, EscapesMarkupQuotesAndControlCharacters) {
    const std::string xml =
        junit_xml(one_run(failed_run("a < b & \"c\" 'd' > e\x01\x1b[31m\nline two\r")));
    EXPECT_NE(xml.find("message=\"p: a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; "
                       "e\\u0001\\u001b[31m&#10;line two&#13;\""),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e\\u0001\\u001b[31m\n"
                       "line two&#13;\nreplay:"),
              std::string::npos)
        << "newlines stay newlines in text";
    EXPECT_EQ(xml.find('\x01'), std::string::npos);
    EXPECT_EQ(xml.find('\x1b'), std::string::npos);
}

TEST(Junit, ScenarioNamesAndReplayAreEscapedToo) {
    Json summary = one_run(failed_run("x"));
    summary["scenarios"][0]["name"] = "a<b>&\"";
    summary["run_list"][0]["scenario"] = "a<b>&\"";
    summary["run_list"][0]["replay"] = "stormlog run 'a<b>' --seed 3";
    const std::string xml = junit_xml(summary);
    EXPECT_NE(xml.find("<testsuite name=\"a&lt;b&gt;&amp;&quot;\" tests=\"1\""), std::string::npos);
    EXPECT_NE(xml.find("classname=\"stormlog.a&lt;b&gt;&amp;&quot;\""), std::string::npos);
    EXPECT_NE(xml.find("<system-out>replay: stormlog run &apos;a&lt;b&gt;&apos; --seed 3\n"),
              std::string::npos);
}

TEST(Junit, LongEvidenceIsCutInTheMessageButWholeInTheText) {
    std::string evidence(400, 'x');
    evidence += "\xC3\xA9";
    evidence += std::string(1000, 'y');
    const std::string xml = junit_xml(one_run(failed_run(evidence)));
    const size_t start = xml.find("message=\"") + 9;
    const std::string message = xml.substr(start, xml.find('"', start) - start);
    EXPECT_LE(message.size(), junit_message_max + 3 + 3);  // "p: " and "..."
    EXPECT_TRUE(message.ends_with("...")) << message;
    EXPECT_NE(xml.find(evidence), std::string::npos) << "the text holds it all";
}

TEST(Junit, CutNeverSplitsACharacter) {
    std::string evidence(499, 'x');  // then a 2-byte character across the 500-byte limit
    evidence += "\xC3\xA9tail";
    const std::string xml = junit_xml(one_run(failed_run(evidence)));
    EXPECT_NE(xml.find("message=\"p: " + std::string(499, 'x') + "...\""), std::string::npos);
}

TEST(Junit, InvalidUtf8IsReplaced) {
    const std::string xml = junit_xml(one_run(failed_run("bad \xFF\xC3 end")));
    EXPECT_NE(xml.find("bad \xEF\xBF\xBD\xEF\xBF\xBD end"), std::string::npos);
}

TEST(Junit, RunOfAnUnlistedScenarioIsNotLost) {
    Json summary = one_run(failed_run("x"));
    Json extra = failed_run("y");
    extra["scenario"] = "other";
    summary["run_list"].push_back(extra);
    const std::string xml = junit_xml(summary);
    EXPECT_NE(xml.find(R"(<testsuite name="other" tests="1" failures="1")"), std::string::npos);
    EXPECT_NE(
        xml.find(R"(<testsuites name="stormlog" tests="2" failures="2" errors="0" time="1.000">)"),
        std::string::npos)
        << "no suite wall: the sum of the runs'";
}

TEST(Junit, WithoutOkTheVerdictAgainstTheExpectedDecides) {
    Json run = failed_run("x");
    run.erase("ok");
    EXPECT_NE(junit_xml(one_run(run)).find("<failure "), std::string::npos);
    run["verdict"] = "pass";
    EXPECT_EQ(junit_xml(one_run(run)).find("<failure "), std::string::npos);
}

TEST(Junit, EmptySummaryIsAnEmptyButValidDocument) {
    EXPECT_EQ(junit_xml(Json::object()),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuites name=\"stormlog\" tests=\"0\" failures=\"0\" errors=\"0\" "
              "time=\"0.000\">\n</testsuites>\n");
}

TEST(Junit, SameInputSameBytes) {
    EXPECT_EQ(junit_xml(sample()), junit_xml(sample()));
}

}  // namespace
}  // namespace stormlog::reports
