#pragma once
// What a report costs: the same seeds of ledger-nemesis without a report, then recorded and
// rendered (report.json, report.md, report.html, trace.json, in memory).

#include <ostream>

namespace stormlog::bench {

// Prints `BENCH report.overhead runs=<n> plain_s=<w> report_s=<w> overhead=<percent>%`.
// Returns 0, or 1 if a run's verdict or hash changed with the report.
int run_report_bench(std::ostream& out);

}  // namespace stormlog::bench
