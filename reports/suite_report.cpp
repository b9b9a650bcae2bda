#include "reports/suite_report.hpp"

#include <fmt/format.h>

namespace stormlog::reports {

std::string suite_run_report_prefix(const std::string& scenario, uint64_t seed) {
    return fmt::format("runs/{}/seed-{}/", scenario, seed);
}

nlohmann::ordered_json run_list_entry(const scenarios::SuiteScenario& s,
                                      const workloads::RunResult& r, double wall_seconds,
                                      const std::string& report) {
    const bool expected_pass = s.scenario.expect_pass;
    const bool failed = scenarios::run_failed(r, expected_pass);
    nlohmann::ordered_json j;
    j["scenario"] = r.scenario;
    j["seed"] = r.seed;
    j["verdict"] = r.pass ? "pass" : "fail";
    j["expected"] = expected_pass ? "pass" : "fail";
    j["ok"] = !failed;
    j["hash"] = fmt::format("{:016x}", r.hash);
    j["sim_time_s"] = r.sim_time.seconds_f();
    j["wall_s"] = wall_seconds;
    if (failed) {
        const sim::Failure f = scenarios::headline_failure(r, expected_pass);
        j["failure"] = {{"property", f.property},
                        {"at_s", f.at.seconds_f()},
                        {"node", f.node},
                        {"evidence", f.message}};
    } else {
        j["failure"] = nullptr;
    }
    j["replay"] = scenarios::replay_command(s.argument, r.seed);
    j["report"] = report.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(report);
    return j;
}

std::string build_id() {
    return std::string("stormlog ") + STORMLOG_VERSION + " " + STORMLOG_BUILD_ID;
}

}  // namespace stormlog::reports
