#pragma once
// report.md of one run, from its report.json (/work/report-schema.md): the verdict, the failures
// with their evidence and the command that replays the run, the faults applied and skipped, how
// the cluster recovered from each, leaders, alerts, lost acknowledged writes and the run's summary
// lines. A pure function of the JSON, readable in a terminal and as a PR comment.

#include <nlohmann/json.hpp>
#include <string>

namespace stormlog::reports {

// Leader spans listed one per row, at most; a long run can elect hundreds of leaders.
constexpr size_t run_markdown_leaders_max = 50;

std::string run_markdown(const nlohmann::ordered_json& report);

}  // namespace stormlog::reports
