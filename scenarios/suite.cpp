#include "scenarios/suite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string_view>
#include <system_error>

#include "scenarios/runner.hpp"

namespace stormlog::scenarios {
namespace {

namespace fs = std::filesystem;

bool has_json_extension(const fs::path& p) {
    return p.extension() == ".json";
}

// The *.json files directly in `dir`, sorted by file name so that the run list is the same on
// every machine (directory order is not).
bool json_files_in(const std::string& dir, std::vector<std::string>& out, ScenarioErrors& errors) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (has_json_extension(it->path()) && it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) {
        errors.lines.push_back(dir + ": cannot read directory: " + ec.message());
        return false;
    }
    if (files.empty()) {
        errors.lines.push_back(dir + ": no scenario files (*.json) in this directory");
        return false;
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    for (const fs::path& f : files) out.push_back(f.string());
    return true;
}

void resolve_one(const std::string& argument, std::vector<SuiteScenario>& out,
                 ScenarioErrors& errors) {
    Scenario scenario;
    if (resolve_scenario(argument, scenario, errors))
        out.push_back({std::move(scenario), argument});
}

// Two scenarios with one name would write the same result files and merge their counts.
bool names_unique(const std::vector<SuiteScenario>& list, ScenarioErrors& errors) {
    std::map<std::string, const std::string*> first_argument;
    bool ok = true;
    for (const SuiteScenario& s : list) {
        const auto [it, inserted] = first_argument.emplace(s.scenario.name, &s.argument);
        if (inserted) continue;
        errors.lines.push_back(fmt::format(
            "scenario \"{}\" is given twice ({} and {}); a suite runs each scenario once",
            s.scenario.name, *it->second, s.argument));
        ok = false;
    }
    return ok;
}

// Characters a POSIX shell leaves alone in a word.
bool shell_safe(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("_-./:=@%+,").find(c) != std::string_view::npos;
    });
}

std::string shell_quote(const std::string& s) {
    if (shell_safe(s)) return s;
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

bool resolve_suite_scenarios(const std::vector<std::string>& arguments,
                             std::vector<SuiteScenario>& out, ScenarioErrors& errors) {
    const size_t errors_before = errors.lines.size();
    std::vector<SuiteScenario> list;
    for (const std::string& argument : arguments) {
        std::error_code ec;
        if (!fs::is_directory(argument, ec)) {
            resolve_one(argument, list, errors);
            continue;
        }
        std::vector<std::string> files;
        if (!json_files_in(argument, files, errors)) continue;
        for (const std::string& file : files) resolve_one(file, list, errors);
    }
    if (errors.lines.size() != errors_before || !names_unique(list, errors)) return false;
    out = std::move(list);
    return true;
}

bool run_failed(const RunResult& result, bool expected_pass) {
    return result.pass != expected_pass;
}

sim::Failure headline_failure(const RunResult& result, bool expected_pass) {
    if (!result.failures.empty() && !result.pass) return result.failures.front();
    // Nothing to point at: the run as a whole, at its end.
    sim::Failure f{"", result.sim_time, "-", ""};
    if (result.pass && !expected_pass) {
        f.property = "expected fail, got pass";
        f.message = "the scenario expects a property to fail, and every property held";
    } else {
        f.property = "unknown";
        f.message = "the run failed without naming a property";
    }
    return f;
}

std::string replay_command(const std::string& argument, uint64_t seed, const std::string& program) {
    return fmt::format("{} run {} --seed {}", shell_quote(program), shell_quote(argument), seed);
}

}  // namespace stormlog::scenarios
