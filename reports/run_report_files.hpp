#pragma once
// The files of a run's report: report.json (the data), report.md, report.html and trace.json
// (renderings of it), written into a report directory.

#include <nlohmann/json.hpp>
#include <string>

#include "reports/report_dir.hpp"

namespace stormlog::reports {

// Writes the four files under `prefix` ("" or "runs/<scenario>/seed-<n>/") in `dir`.
bool write_run_report(ReportDir& dir, const std::string& prefix,
                      const nlohmann::ordered_json& report, std::string& error);

}  // namespace stormlog::reports
