// report.md of one run: verdict, failures, faults, recovery, leaders, alerts, lost writes and
// summary lines, each escaped so that scenario text cannot break the document.

#include "reports/run_markdown.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/reports/fixtures.hpp"

namespace stormlog::reports {
namespace {

using Json = nlohmann::ordered_json;

Json sample() {
    return test::fixture_json("run-report-md-sample.json");
}

bool has(const std::string& md, const std::string& what) {
    return md.find(what) != std::string::npos;
}

TEST(RunMarkdown, MatchesTheGoldenFile) {
    EXPECT_EQ(run_markdown(sample()), test::fixture_text("run-report-md-sample.md"));
}

TEST(RunMarkdown, VerdictLineForEachOutcome) {
    Json r = sample();
    EXPECT_TRUE(
        run_markdown(r).starts_with("# ledger-nemesis, seed 2: FAILED\n\n"
                                    "**FAIL**: 2 properties violated.\n"));
    r["verdict"] = {
        {"pass", true}, {"expected_pass", true}, {"ok", true}, {"failures", Json::array()}};
    EXPECT_TRUE(has(run_markdown(r), "**PASS**: every property held.\n"));
    r["verdict"] = {{"pass", true}, {"expected_pass", false}, {"ok", false}};
    EXPECT_TRUE(has(run_markdown(r),
                    "**FAIL**: every property held, but the scenario expects a failure.\n"));
    r["verdict"] = {{"pass", false},
                    {"expected_pass", false},
                    {"ok", true},
                    {"failures", {{{"property", "p"}}}}};
    EXPECT_TRUE(
        has(run_markdown(r),
            "**PASS** (expected failure): 1 property violated, as the scenario expects.\n"));
}

TEST(RunMarkdown, FailuresWithEvidenceAndReplay) {
    const std::string md = run_markdown(sample());
    EXPECT_TRUE(has(md, "replay: `stormlog run ledger-nemesis --seed 2`\n"));
    EXPECT_TRUE(has(md,
                    "| ledger.conservation | 41.250 s | app1 | sum of balances 9990 != 10000 "
                    "\\| transfer t-17 applied twice<br>first at 40.1 s, again at 41.2 s |\n"))
        << md;
    EXPECT_TRUE(has(md, "balance -10 \\< 0 \\u001b\\[31m |")) << "no terminal escape gets through";
}

TEST(RunMarkdown, FaultsTableWithTargetsAndHeals) {
    const std::string md = run_markdown(sample());
    EXPECT_TRUE(has(md,
                    "| 0 | partition-halves | network | nemesis | n1, n2 | 3.200 s | 7.900 s | "
                    "{n1,n2} \\| {n3,n4,n5} |\n"))
        << md;
    EXPECT_TRUE(has(md, "| 2 | loss | network | scripted | (network) | 30.000 s | never |"));
    EXPECT_TRUE(has(md,
                    "- crash (scripted) at 4.000 s: beyond the budget: n1 and n2 are already "
                    "cut off\n"));
}

TEST(RunMarkdown, RecoveryLeadersAlertsAndLostWrites) {
    const std::string md = run_markdown(sample());
    EXPECT_TRUE(has(md, "| 0 | partition-halves | 120 | 100 | 83.3% | 0.350 s | 1.200 s |\n"));
    EXPECT_TRUE(has(md, "| 2 | loss | 0 | 0 | - | not recovered | - |\n"));
    EXPECT_TRUE(has(md, "3 leader spans in 3 terms (terms 1 to 5); by node: n1 2, n3 1.\n"));
    EXPECT_TRUE(has(md, "| breaker-open | 31.000 s | still firing | 1 |\n"));
    EXPECT_TRUE(has(md, "acknowledged writes lost: 0\n"));
    Json r = sample();
    r["acked_writes_lost"] = nullptr;
    EXPECT_TRUE(has(run_markdown(r), "acknowledged writes lost: unknown\n"));
}

TEST(RunMarkdown, SummaryLinesCannotBecomeHeadings) {
    const std::string md = run_markdown(sample());
    EXPECT_TRUE(has(md, "- \\# network: sent=5012 dropped=40\n"));
    EXPECT_TRUE(md.ends_with("- ledger: transfers=2311 completed=2290\n"));
}

TEST(RunMarkdown, EmptyReportStillRenders) {
    const std::string md = run_markdown(Json::object());
    EXPECT_TRUE(has(md, "**FAIL**: 0 properties violated."));
    EXPECT_TRUE(has(md, "## Faults\n\nNone applied."));
    EXPECT_TRUE(has(md, "acknowledged writes lost: unknown"));
}

}  // namespace
}  // namespace stormlog::reports
