#include "reports/json.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace stormlog::reports {
namespace {

nlohmann::ordered_json failure_json(const sim::Failure& f) {
    nlohmann::ordered_json j;
    j["property"] = f.property;
    j["at"] = f.at.seconds_f();
    j["node"] = f.node;
    j["message"] = f.message;
    return j;
}

}  // namespace

nlohmann::ordered_json run_json(const RunResult& result, bool expected_pass, double wall_seconds) {
    nlohmann::ordered_json j;
    j["scenario"] = result.scenario;
    j["seed"] = result.seed;
    j["verdict"] = result.pass ? "pass" : "fail";
    j["expected"] = expected_pass ? "pass" : "fail";
    j["hash"] = fmt::format("{:016x}", result.hash);
    j["sim_time"] = result.sim_time.seconds_f();
    j["events"] = result.events;
    j["wall"] = wall_seconds;
    j["failures"] = nlohmann::ordered_json::array();
    for (const sim::Failure& f : result.failures) j["failures"].push_back(failure_json(f));
    j["summary"] = result.summary;
    j["probes"] = nlohmann::ordered_json::object();
    for (const auto& [name, hits] : result.probes) j["probes"][name] = hits;
    return j;
}

namespace {

nlohmann::ordered_json args_json(const SuiteArgs& args) {
    nlohmann::ordered_json j;
    j["scenarios"] = args.scenarios;
    j["seeds"]["first"] = args.seeds.first;
    j["seeds"]["last"] = args.seeds.last;
    j["shard"]["index"] = args.shard.index;
    j["shard"]["count"] = args.shard.count;
    j["jobs"] = args.jobs;
    return j;
}

nlohmann::ordered_json scenario_counts_json(const SuiteScenario& s, const ScenarioCounts& c) {
    nlohmann::ordered_json j;
    j["name"] = s.scenario.name;
    j["argument"] = s.argument;
    j["runs"] = c.runs;
    j["passed"] = c.runs - c.failed;
    j["failed"] = c.failed;
    j["probes"] = nlohmann::ordered_json::object();
    for (const auto& [name, runs] : c.probes) j["probes"][name] = runs;
    return j;
}

// A failure as summary.json lists it: which run, what broke where, and how to replay it.
nlohmann::ordered_json suite_failure_json(const SuiteFailure& f) {
    const RunResult& r = *f.result;
    const sim::Failure headline = scenarios::headline_failure(r, f.scenario->scenario.expect_pass);
    nlohmann::ordered_json j;
    j["scenario"] = r.scenario;
    j["seed"] = r.seed;
    j["property"] = headline.property;
    j["at"] = headline.at.seconds_f();
    j["node"] = headline.node;
    j["message"] = headline.message;
    j["replay"] = scenarios::replay_command(f.scenario->argument, r.seed);
    return j;
}

}  // namespace

nlohmann::ordered_json summary_json(const SuiteArgs& args,
                                    const std::vector<SuiteScenario>& scenarios,
                                    const std::vector<ScenarioCounts>& counts,
                                    const std::vector<SuiteFailure>& failures,
                                    double wall_seconds) {
    ScenarioCounts total;
    for (const ScenarioCounts& c : counts) {
        total.runs += c.runs;
        total.failed += c.failed;
    }
    nlohmann::ordered_json j;
    j["args"] = args_json(args);
    j["runs"] = total.runs;
    j["passed"] = total.runs - total.failed;
    j["failed"] = total.failed;
    j["wall"] = wall_seconds;
    j["scenarios"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < scenarios.size(); ++i)
        j["scenarios"].push_back(scenario_counts_json(scenarios[i], counts[i]));
    j["failures"] = nlohmann::ordered_json::array();
    for (const SuiteFailure& f : failures) j["failures"].push_back(suite_failure_json(f));
    return j;
}

std::string json_file_text(const nlohmann::ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string run_json_path(const std::string& out_dir, const std::string& scenario, uint64_t seed) {
    return (std::filesystem::path(out_dir) / scenario / fmt::format("seed-{}.json", seed)).string();
}

}  // namespace stormlog::reports
