#include "reports/run_report_files.hpp"

#include "reports/html.hpp"
#include "reports/run_markdown.hpp"
#include "reports/trace_events.hpp"

namespace stormlog::reports {

bool write_run_report(ReportDir& dir, const std::string& prefix,
                      const nlohmann::ordered_json& report, std::string& error) {
    return dir.write(
               prefix + "report.json",
               report.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n",
               error) &&
           dir.write(prefix + "report.md", run_markdown(report), error) &&
           dir.write(prefix + "report.html", run_report_html(report), error) &&
           dir.write(prefix + "trace.json",
                     trace_events(report).dump(-1, ' ', false,
                                               nlohmann::ordered_json::error_handler_t::replace) +
                         "\n",
                     error);
}

}  // namespace stormlog::reports
