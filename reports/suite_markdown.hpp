#pragma once
// summary.md of a suite: a title with the outcome, totals, a table per scenario, the fault
// scorecard, and the failing runs with their evidence and the command that replays each. Input is
// the suite JSON of /work/report-schema.md; output is a pure function of it, readable in a
// terminal and as a PR comment.

#include <nlohmann/json.hpp>
#include <string>

namespace stormlog::reports {

// A PR comment has room for a few hundred rows: runs past this many failing ones are counted,
// not listed (summary.json and junit.xml list them all).
constexpr size_t suite_markdown_failures_max = 100;

// Evidence in the failing-runs table is cut to this many bytes; report.md has it whole.
constexpr size_t suite_markdown_evidence_max = 300;

std::string suite_markdown(const nlohmann::ordered_json& summary);

}  // namespace stormlog::reports
