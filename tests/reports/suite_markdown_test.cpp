// summary.md: title and totals, one row per scenario and per fault kind, failing runs with
// escaped evidence and a replay command in backticks; tables keep their shape whatever the text.

#include "reports/suite_markdown.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/reports/fixtures.hpp"
#include "tests/reports/markdown_table.hpp"

namespace stormlog::reports {
namespace {

using Json = nlohmann::ordered_json;

Json sample() {
    return test::fixture_json("suite-junit-sample.json");
}

// Every table of `md` has the same number of cells in each of its rows.
void expect_tables_keep_their_shape(const std::string& md) {
    std::istringstream in(md);
    size_t want = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] != '|') {
            want = 0;
            continue;
        }
        if (want == 0) want = test::cell_separators(line);
        EXPECT_EQ(test::cell_separators(line), want) << line;
    }
}

TEST(SuiteMarkdown, MatchesTheGoldenFile) {
    EXPECT_EQ(suite_markdown(sample()), test::fixture_text("suite-junit-sample.md"));
}

TEST(SuiteMarkdown, TitleAndTotals) {
    const std::string md = suite_markdown(sample());
    EXPECT_TRUE(md.starts_with("# stormlog suite: 3 of 7 runs failed\n")) << md;
    EXPECT_NE(md.find("**7 runs**: 4 passed, 3 failed, 3 scenarios, wall 2.750 s."),
              std::string::npos);
    EXPECT_NE(md.find("build: `stormlog 0.1.0 5e670ec`"), std::string::npos);
    Json passing = {{"runs", 2}, {"passed", 2}, {"failed", 0}};
    EXPECT_TRUE(suite_markdown(passing).starts_with("# stormlog suite: all 2 runs passed\n"));
}

TEST(SuiteMarkdown, ScenarioAndScorecardRows) {
    const std::string md = suite_markdown(sample());
    EXPECT_NE(md.find("| ledger-nemesis | 3 | 2 | 1 |\n"), std::string::npos);
    EXPECT_NE(md.find("| crash | process | 4 | 2 | 87.5% | 0.300 s | 1.900 s | 0.400 s | 2.500 s "
                      "| 0 | 1 |\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| partition-halves | network | 2 | 2 | - | - | - | - | - | 2 | 1 |\n"),
              std::string::npos)
        << "null shows as -";
}

TEST(SuiteMarkdown, FailingRunsEscapeEvidenceAndQuoteTheReplay) {
    const std::string md = suite_markdown(sample());
    EXPECT_NE(md.find("| ledger-nemesis | 2 | ledger.conservation | sum of balances 9990 \\< 10000 "
                      "\\& transfer \"t-17\" applied twice: 'debit' then "
                      "\\<script\\>alert(1)\\</script\\>\\u0001<br>second line \\| with a pipe | "
                      "`stormlog run ledger-nemesis --seed 2` |\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| lost-write | 2 | expected a failure | every property held, but the "
                      "scenario expects a failure | `stormlog run dir/lost-write.json --seed 2` |"),
              std::string::npos);
    expect_tables_keep_their_shape(md);
}

TEST(SuiteMarkdown, PipesAndNewlinesInAnyCellKeepTablesWhole) {
    Json s = sample();
    s["scenarios"][0]["name"] = "a|b\nc";
    s["scorecard"][0]["kind"] = "k|i\r\nnd";
    s["run_list"][1]["scenario"] = "x|y";
    s["run_list"][1]["replay"] = "stormlog run 'x|y' --seed 2";
    const std::string md = suite_markdown(s);
    EXPECT_NE(md.find("| a\\|b<br>c | 3 |"), std::string::npos);
    EXPECT_NE(md.find("`stormlog run 'x\\|y' --seed 2`"), std::string::npos);
    expect_tables_keep_their_shape(md);
}

TEST(SuiteMarkdown, ManyFailuresAreCountedNotListed) {
    Json s = {{"runs", 150}, {"passed", 0}, {"failed", 150}, {"run_list", Json::array()}};
    for (int seed = 1; seed <= 150; ++seed)
        s["run_list"].push_back({{"scenario", "x"},
                                 {"seed", seed},
                                 {"ok", false},
                                 {"failure", {{"property", "p"}, {"evidence", "e"}}},
                                 {"replay", "r"}});
    const std::string md = suite_markdown(s);
    EXPECT_NE(md.find("| x | 100 | p |"), std::string::npos);
    EXPECT_EQ(md.find("| x | 101 | p |"), std::string::npos);
    EXPECT_NE(md.find("... and 50 more failing runs (summary.json lists them all)."),
              std::string::npos);
}

TEST(SuiteMarkdown, TodaysSummaryWithoutRunListListsItsFailures) {
    Json s = {{"runs", 1},
              {"passed", 0},
              {"failed", 1},
              {"failures",
               {{{"scenario", "storm"},
                 {"seed", 7},
                 {"property", "journal.durable"},
                 {"message", "record 9 lost"},
                 {"replay", "stormlog run storm --seed 7"}}}}};
    const std::string md = suite_markdown(s);
    EXPECT_NE(md.find("| storm | 7 | journal.durable | record 9 lost | "
                      "`stormlog run storm --seed 7` |"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("No faults were applied."), std::string::npos);
}

TEST(SuiteMarkdown, NoFailuresSaysSo) {
    const std::string md =
        suite_markdown({{"runs", 1}, {"passed", 1}, {"failed", 0}, {"run_list", {{{"ok", true}}}}});
    EXPECT_TRUE(md.ends_with("## Failing runs\n\nNone.\n")) << md;
}

}  // namespace
}  // namespace stormlog::reports
