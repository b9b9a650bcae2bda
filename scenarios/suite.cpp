#include "scenarios/suite.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "scenarios/runner.hpp"

namespace stormlog::scenarios {
namespace {

namespace fs = std::filesystem;

// Sets a one-line error and fails, so that each check below stays one statement.
bool fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
}

// A whole decimal number: digits only (no sign, no spaces), fitting in 64 bits.
bool parse_u64(std::string_view text, uint64_t& out) {
    if (text.empty()) return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

// User text echoed in an error line, cut short so that one line stays one line.
std::string quoted(const std::string& text) {
    constexpr size_t shown_max = 40;
    std::string shown = text.size() <= shown_max ? text : text.substr(0, shown_max) + "...";
    std::replace_if(shown.begin(), shown.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    return "\"" + shown + "\"";
}

bool has_json_extension(const fs::path& p) { return p.extension() == ".json"; }

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

void resolve_one(const std::string& argument, std::vector<SuiteScenario>& out, ScenarioErrors& errors) {
    Scenario scenario;
    if (resolve_scenario(argument, scenario, errors)) out.push_back({std::move(scenario), argument});
}

// Two scenarios with one name would write the same result files and merge their counts.
bool names_unique(const std::vector<SuiteScenario>& list, ScenarioErrors& errors) {
    std::map<std::string, const std::string*> first_argument;
    bool ok = true;
    for (const SuiteScenario& s : list) {
        const auto [it, inserted] = first_argument.emplace(s.scenario.name, &s.argument);
        if (inserted) continue;
        errors.lines.push_back(fmt::format("scenario \"{}\" is given twice ({} and {}); a suite runs each scenario once",
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

nlohmann::ordered_json failure_json(const sim::Failure& f) {
    nlohmann::ordered_json j;
    j["property"] = f.property;
    j["at"] = f.at.seconds_f();
    j["node"] = f.node;
    j["message"] = f.message;
    return j;
}

}  // namespace

bool parse_seed_range(const std::string& text, SeedRange& out, std::string& error) {
    const std::string usage = "--seeds: expected N (seeds 1..N) or A..B (seeds A to B inclusive), got " + quoted(text);
    const size_t dots = text.find("..");
    SeedRange range;
    if (dots == std::string::npos) {
        if (!parse_u64(text, range.last)) return fail(error, usage);
        if (range.last == 0) return fail(error, "--seeds: N must be at least 1, got 0");
    } else if (!parse_u64(std::string_view(text).substr(0, dots), range.first) ||
               !parse_u64(std::string_view(text).substr(dots + 2), range.last)) {
        return fail(error, usage);
    } else if (range.first > range.last) {
        return fail(error, fmt::format("--seeds: {}..{} is empty: A must be at most B", range.first, range.last));
    }
    // last - first + 1 would wrap for 0..2^64-1, so compare before adding one.
    if (range.last - range.first >= k_suite_seeds_max) {
        return fail(error, fmt::format("--seeds: {}..{} is more than {} seeds", range.first, range.last,
                                       k_suite_seeds_max));
    }
    out = range;
    return true;
}

bool parse_shard(const std::string& text, Shard& out, std::string& error) {
    const size_t slash = text.find('/');
    Shard shard;
    const bool ok = slash != std::string::npos &&
                    parse_u64(std::string_view(text).substr(0, slash), shard.index) &&
                    parse_u64(std::string_view(text).substr(slash + 1), shard.count) && shard.index >= 1 &&
                    shard.index <= shard.count;
    if (!ok) return fail(error, "--shard: expected K/M with 1 <= K <= M, got " + quoted(text));
    out = shard;
    return true;
}

bool resolve_suite_scenarios(const std::vector<std::string>& arguments, std::vector<SuiteScenario>& out,
                             ScenarioErrors& errors) {
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

bool check_run_count(size_t scenario_count, const SeedRange& seeds, const Shard& shard, std::string& error) {
    // Both factors are bounded (seeds by k_suite_seeds_max), so the product fits in 64 bits.
    const uint64_t total = static_cast<uint64_t>(scenario_count) * seeds.count();
    const uint64_t mine = total / shard.count + (total % shard.count >= shard.index ? 1 : 0);
    if (mine <= k_suite_runs_max) return true;
    error = fmt::format("--seeds: {} scenarios x {} seeds is {} runs for this shard; at most {} (split it with --shard)",
                        scenario_count, seeds.count(), mine, k_suite_runs_max);
    return false;
}

std::vector<SuiteRun> expand_runs(size_t scenario_count, const SeedRange& seeds, const Shard& shard) {
    const uint64_t per_scenario = seeds.count();
    const uint64_t total = static_cast<uint64_t>(scenario_count) * per_scenario;
    std::vector<SuiteRun> runs;
    runs.reserve(static_cast<size_t>(total / shard.count + 1));
    // Stepping by M from K-1 visits exactly the indices with i % M == K-1, without building the
    // other shards' runs.
    for (uint64_t i = shard.index - 1; i < total; i += shard.count) {
        runs.push_back({i, static_cast<size_t>(i / per_scenario), seeds.first + i % per_scenario});
        if (total - i <= shard.count) break;  // i + M would pass total (or wrap)
    }
    return runs;
}

bool run_failed(const RunResult& result, bool expected_pass) { return result.pass != expected_pass; }

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

std::string replay_command(const std::string& argument, uint64_t seed) {
    return fmt::format("stormlog run {} --seed {}", shell_quote(argument), seed);
}

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
    return j;
}

// A failure as summary.json lists it: which run, what broke where, and how to replay it.
nlohmann::ordered_json suite_failure_json(const SuiteFailure& f) {
    const RunResult& r = *f.result;
    const sim::Failure headline = headline_failure(r, f.scenario->scenario.expect_pass);
    nlohmann::ordered_json j;
    j["scenario"] = r.scenario;
    j["seed"] = r.seed;
    j["property"] = headline.property;
    j["at"] = headline.at.seconds_f();
    j["node"] = headline.node;
    j["message"] = headline.message;
    j["replay"] = replay_command(f.scenario->argument, r.seed);
    return j;
}

}  // namespace

nlohmann::ordered_json summary_json(const SuiteArgs& args, const std::vector<SuiteScenario>& scenarios,
                                    const std::vector<ScenarioCounts>& counts,
                                    const std::vector<SuiteFailure>& failures, double wall_seconds) {
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
    for (size_t i = 0; i < scenarios.size(); ++i) j["scenarios"].push_back(scenario_counts_json(scenarios[i], counts[i]));
    j["failures"] = nlohmann::ordered_json::array();
    for (const SuiteFailure& f : failures) j["failures"].push_back(suite_failure_json(f));
    return j;
}

std::string run_json_path(const std::string& out_dir, const std::string& scenario, uint64_t seed) {
    return (fs::path(out_dir) / scenario / fmt::format("seed-{}.json", seed)).string();
}

bool write_file_atomically(const std::string& path, const std::string& text, std::string& error) {
    const fs::path target(path);
    const fs::path tmp(path + ".tmp");
    std::error_code ec;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
    if (ec) return fail(error, target.parent_path().string() + ": cannot create directory: " + ec.message());
    {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        file.close();
        if (!file) {
            fs::remove(tmp, ec);
            return fail(error, tmp.string() + ": cannot write");
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return fail(error, path + ": cannot rename " + tmp.string() + " into place: " + ec.message());
    }
    return true;
}

}  // namespace stormlog::scenarios
