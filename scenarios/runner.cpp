#include "scenarios/runner.hpp"

#include <algorithm>
#include <cstdio>

#include "scenarios/builtin_files.hpp"
#include "scenarios/kernel_smoke.hpp"
#include "scenarios/ledger_workload.hpp"
#include "scenarios/messaging.hpp"
#include "scenarios/store_workload.hpp"
#include "sim/assert.hpp"

namespace stormlog::scenarios {
namespace {

bool looks_like_path(const std::string& s) {
    return s.find('/') != std::string::npos || (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0);
}

// Property names depend on the workload, so the file parser leaves them to this check.
bool check_properties(const Scenario& s, ScenarioErrors& errors) {
    const std::vector<std::string>& known = known_properties(s.workload.type);
    bool ok = true;
    for (size_t i = 0; i < s.properties.size(); ++i) {
        if (std::find(known.begin(), known.end(), s.properties[i]) != known.end()) continue;
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        errors.lines.push_back(s.source + ": properties[" + std::to_string(i) + "]: unknown property \"" +
                               s.properties[i] + "\" for workload " + s.workload.type + " (known: " + list + ")");
        ok = false;
    }
    return ok;
}

Scenario parse_builtin(const BuiltinFile& f) {
    Scenario s;
    ScenarioErrors errors;
    const bool valid = parse_scenario(f.text, "scenarios/" + f.file_name, s, errors) && check_properties(s, errors);
    // A built-in file that does not validate is a bug of this build, caught by ctest.
    for (const std::string& line : errors.lines) std::fprintf(stderr, "%s\n", line.c_str());
    SL_ASSERT(valid && "every built-in scenario validates");
    return s;
}

}  // namespace

std::vector<Scenario> builtin_scenarios_list() {
    std::vector<Scenario> list;
    for (const BuiltinFile& f : builtin_files()) list.push_back(parse_builtin(f));
    std::sort(list.begin(), list.end(), [](const Scenario& a, const Scenario& b) { return a.name < b.name; });
    return list;
}

const std::vector<std::string>& known_properties(const std::string& workload_type) {
    static const std::vector<std::string> messaging = {"net.no_phantom", "journal.durable",
                                                       "journal.no_silent_corruption", "liveness.messaging"};
    static const std::vector<std::string> smoke = {"smoke.no_phantom", "smoke.no_duplicate", "smoke.addressed",
                                                   "smoke.down_node_silent", "smoke.paused_node_silent",
                                                   "smoke.reply_matches", "smoke.restart_liveness", "smoke.liveness"};
    static const std::vector<std::string> none;
    if (workload_type == "messaging") return messaging;
    if (workload_type == "store") return store_properties();
    if (workload_type == "ledger") return ledger_properties();
    if (workload_type == "kernel-smoke") return smoke;
    return none;
}

bool resolve_scenario(const std::string& name_or_path, Scenario& out, ScenarioErrors& errors) {
    if (looks_like_path(name_or_path)) {
        return load_scenario_file(name_or_path, out, errors) && check_properties(out, errors);
    }
    for (const BuiltinFile& f : builtin_files()) {
        if (f.file_name == name_or_path + ".json") {
            out = parse_builtin(f);
            return true;
        }
    }
    errors.lines.push_back("no scenario named \"" + name_or_path +
                           "\" (see: stormlog list scenarios; a file path must end in .json)");
    return false;
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
    RunResult r;
    if (scenario.workload.type == "kernel-smoke") {
        r = run_kernel_smoke(options);
    } else if (scenario.workload.type == "store") {
        r = run_store(scenario, options);
    } else if (scenario.workload.type == "ledger") {
        r = run_ledger(scenario, options);
    } else {
        r = run_messaging(scenario, options);
    }
    r.scenario = scenario.name;
    return r;
}

}  // namespace stormlog::scenarios
