#include "reports/merge.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "reports/atomic_file.hpp"
#include "reports/scorecard.hpp"
#include "scenarios/seeds.hpp"
#include "sim/assert.hpp"

namespace stormlog::reports {
namespace {

using json = nlohmann::ordered_json;

bool read_json(const std::string& path, json& out, std::string& error) {
    std::string text;
    if (!read_file(path, text, error)) {
        error += " (is its directory a shard's suite --report directory?)";
        return false;
    }
    out = json::parse(text, nullptr, false);
    if (out.is_discarded()) {
        error = path + ": not valid JSON";
        return false;
    }
    return true;
}

bool is_uint(const json& j, const char* key) {
    return j.contains(key) && j[key].is_number_unsigned();
}

// What load_shard requires of summary.json; "" when it is all there.
std::string summary_shape_problem(const json& s) {
    if (!s.is_object() || s.value("schema", 0) != 1 || s.value("kind", "") != "suite")
        return "not a suite report (want \"schema\": 1 and \"kind\": \"suite\")";
    if (!s.contains("build") || !s["build"].is_string()) return "no \"build\"";
    const json& a = s.value("args", json());
    if (!a.is_object() || !a.contains("scenarios") || !a["scenarios"].is_array() ||
        !a.contains("seeds") || !is_uint(a["seeds"], "first") || !is_uint(a["seeds"], "last") ||
        !a.contains("shard") || !is_uint(a["shard"], "index") || !is_uint(a["shard"], "count"))
        return "\"args\" lacks scenarios, seeds {first, last} or shard {index, count}";
    const uint64_t index = a["shard"]["index"], count = a["shard"]["count"];
    if (count < 1 || index < 1 || index > count)
        return "shard " + std::to_string(index) + "/" + std::to_string(count) +
               " is not a shard (want K/M with 1 <= K <= M)";
    const uint64_t first = a["seeds"]["first"], last = a["seeds"]["last"];
    if (first > last || last - first >= scenarios::k_suite_seeds_max)
        return "seeds " + std::to_string(first) + ".." + std::to_string(last) +
               " is not a range a suite runs";
    for (const char* k : {"runs", "passed", "failed"}) {
        if (!is_uint(s, k)) return std::string("no count \"") + k + "\"";
    }
    if (!s.contains("scenarios") || !s["scenarios"].is_array() || s["scenarios"].empty())
        return "no \"scenarios\" list";
    std::string error;
    if (!scenarios::check_run_count(s["scenarios"].size(),
                                    {a["seeds"]["first"], a["seeds"]["last"]}, {index, count},
                                    error))
        return error;
    for (const json& sc : s["scenarios"]) {
        if (!sc.is_object() || !sc.contains("name") || !sc["name"].is_string() ||
            !is_uint(sc, "runs") || !is_uint(sc, "passed") || !is_uint(sc, "failed") ||
            !sc.contains("probes") || !sc["probes"].is_object())
            return "a \"scenarios\" entry lacks name, runs, passed, failed or probes";
    }
    for (const char* list : {"run_list", "failures"}) {
        if (!s.contains(list) || !s[list].is_array()) return std::string("no \"") + list + "\"";
        for (const json& r : s[list]) {
            if (!r.is_object() || !r.contains("scenario") || !r["scenario"].is_string() ||
                !is_uint(r, "seed"))
                return std::string("a \"") + list + "\" entry lacks scenario or seed";
        }
    }
    return "";
}

std::string shard_name(const ShardReport& s) {
    const json& shard = s.summary["args"]["shard"];
    return "shard " + std::to_string(shard["index"].get<uint64_t>()) + "/" +
           std::to_string(shard["count"].get<uint64_t>()) + " (" + s.dir + ")";
}

std::vector<std::string> scenario_names(const json& summary) {
    std::vector<std::string> out;
    for (const json& sc : summary["scenarios"]) out.push_back(sc["name"]);
    return out;
}

scenarios::SeedRange seeds_of(const json& summary) {
    return {summary["args"]["seeds"]["first"], summary["args"]["seeds"]["last"]};
}

// Why `s` is not of the same suite as `base`, or "".
std::string mismatch(const ShardReport& s, const ShardReport& base) {
    const json& a = s.summary;
    const json& b = base.summary;
    if (a["build"] != b["build"])
        return shard_name(s) + " was run by " + a["build"].dump() + ", " + shard_name(base) +
               " by " + b["build"].dump() + ": shards of one suite come from one build";
    if (a["args"]["scenarios"] != b["args"]["scenarios"] || scenario_names(a) != scenario_names(b))
        return shard_name(s) + " ran scenarios " + a["args"]["scenarios"].dump() + ", " +
               shard_name(base) + " ran " + b["args"]["scenarios"].dump() + ": another suite";
    const auto range = [](const json& summary) {
        const scenarios::SeedRange r = seeds_of(summary);
        return std::to_string(r.first) + ".." + std::to_string(r.last);
    };
    if (a["args"]["seeds"] != b["args"]["seeds"])
        return shard_name(s) + " ran seeds " + range(a) + ", " + shard_name(base) + " ran " +
               range(b) + ": another suite";
    if (a["args"]["shard"]["count"] != b["args"]["shard"]["count"])
        return shard_name(s) + " and " + shard_name(base) +
               " split the suite into different numbers of shards";
    return "";
}

// Every run of the whole suite, by (scenario index, seed), at its place in run-list order.
std::map<std::pair<size_t, uint64_t>, size_t> run_positions(const json& summary) {
    std::map<std::pair<size_t, uint64_t>, size_t> out;
    const std::vector<scenarios::SuiteRun> runs =
        scenarios::expand_runs(summary["scenarios"].size(), seeds_of(summary), scenarios::Shard{});
    for (size_t i = 0; i < runs.size(); ++i) out[{runs[i].scenario, runs[i].seed}] = i;
    return out;
}

size_t scenario_index(const json& summary, const std::string& name) {
    const std::vector<std::string> names = scenario_names(summary);
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? SIZE_MAX : static_cast<size_t>(it - names.begin());
}

// Whether the shard's run list is exactly its share of the suite's runs, in order.
std::string share_problem(const ShardReport& s) {
    const json& summary = s.summary;
    scenarios::Shard shard{summary["args"]["shard"]["index"], summary["args"]["shard"]["count"]};
    const std::vector<scenarios::SuiteRun> want =
        scenarios::expand_runs(summary["scenarios"].size(), seeds_of(summary), shard);
    const json& have = summary["run_list"];
    if (have.size() != want.size() || summary["runs"].get<uint64_t>() != want.size())
        return shard_name(s) + " holds " + std::to_string(have.size()) + " runs, its share is " +
               std::to_string(want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        if (scenario_index(summary, have[i]["scenario"]) != want[i].scenario ||
            have[i]["seed"].get<uint64_t>() != want[i].seed)
            return shard_name(s) + " holds run " + have[i]["scenario"].get<std::string>() +
                   " seed " + std::to_string(have[i]["seed"].get<uint64_t>()) +
                   ", which is not its share's run " + std::to_string(i + 1);
    }
    // Each failure is one of its runs, listed once.
    std::set<std::pair<size_t, uint64_t>> runs, failed;
    for (const scenarios::SuiteRun& r : want) runs.insert({r.scenario, r.seed});
    for (const json& f : summary["failures"]) {
        const std::pair<size_t, uint64_t> key{scenario_index(summary, f["scenario"]), f["seed"]};
        if (!runs.count(key) || !failed.insert(key).second)
            return shard_name(s) + " lists a failure of " + f["scenario"].get<std::string>() +
                   " seed " + std::to_string(key.second) + " that is not one of its runs";
    }
    return "";
}

// `lists` (run_list or failures of every shard) as one list in the suite's run-list order.
json in_run_order(const std::vector<ShardReport>& shards, const char* list) {
    const auto positions = run_positions(shards.front().summary);
    std::vector<std::pair<size_t, const json*>> all;
    for (const ShardReport& s : shards) {
        for (const json& r : s.summary[list]) {
            const size_t scenario = scenario_index(s.summary, r["scenario"]);
            all.push_back({positions.at({scenario, r["seed"].get<uint64_t>()}), &r});
        }
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    json out = json::array();
    for (const auto& [position, r] : all) out.push_back(*r);
    return out;
}

json merged_scenarios(const std::vector<ShardReport>& shards) {
    json out = shards.front().summary["scenarios"];
    for (size_t i = 0; i < out.size(); ++i) {
        json& sc = out[i];
        for (const char* k : {"runs", "passed", "failed"}) sc[k] = 0;
        for (auto& [probe, runs] : sc["probes"].items()) runs = 0;
        for (const ShardReport& s : shards) {
            const json& part = s.summary["scenarios"][i];
            for (const char* k : {"runs", "passed", "failed"})
                sc[k] = sc[k].get<uint64_t>() + part[k].get<uint64_t>();
            for (const auto& [probe, runs] : part["probes"].items()) {
                const uint64_t before = sc["probes"].value(probe, uint64_t{0});
                sc["probes"][probe] = before + runs.get<uint64_t>();
            }
        }
    }
    return out;
}

}  // namespace

bool load_shard(const std::string& dir, ShardReport& out, std::string& error) {
    out.dir = dir;
    const std::filesystem::path root(dir);
    const std::string summary = (root / "summary.json").string();
    if (!read_json(summary, out.summary, error)) return false;
    if (const std::string why = summary_shape_problem(out.summary); !why.empty()) {
        error = summary + ": " + why;
        return false;
    }
    const std::string scorecard = (root / "scorecard-data.json").string();
    if (!read_json(scorecard, out.scorecard, error)) return false;
    Scorecard check;
    if (!check.add_data(out.scorecard, error)) {
        error = scorecard + ": " + error;
        return false;
    }
    return true;
}

std::string shards_problem(const std::vector<ShardReport>& shards) {
    if (shards.empty()) return "no shard to merge";
    const ShardReport& base = shards.front();
    std::map<uint64_t, const ShardReport*> by_index;
    for (const ShardReport& s : shards) {
        if (std::string why = mismatch(s, base); !why.empty()) return why;
        const uint64_t index = s.summary["args"]["shard"]["index"];
        const auto [it, fresh] = by_index.insert({index, &s});
        if (!fresh)
            return "shard " + std::to_string(index) + "/" +
                   std::to_string(s.summary["args"]["shard"]["count"].get<uint64_t>()) +
                   " is given twice: " + it->second->dir + " and " + s.dir;
        if (std::string why = share_problem(s); !why.empty()) return why;
    }
    const uint64_t count = base.summary["args"]["shard"]["count"];
    for (uint64_t k = 1; k <= count; ++k) {
        if (!by_index.count(k))
            return "shard " + std::to_string(k) + "/" + std::to_string(count) +
                   " is missing: a merge needs every shard of the suite";
    }
    return "";
}

MergedReport merge_shards(const std::vector<ShardReport>& input) {
    SL_ASSERT(shards_problem(input).empty());
    std::vector<ShardReport> shards = input;
    std::sort(shards.begin(), shards.end(), [](const ShardReport& a, const ShardReport& b) {
        return a.summary["args"]["shard"]["index"] < b.summary["args"]["shard"]["index"];
    });
    json j = shards.front().summary;  // its key order is the order a single run writes
    j["args"]["shard"] = {{"index", 1}, {"count", 1}};
    uint64_t runs = 0, passed = 0, failed = 0;
    double wall = 0;
    Scorecard scorecard;
    for (const ShardReport& s : shards) {
        runs += s.summary["runs"].get<uint64_t>();
        passed += s.summary["passed"].get<uint64_t>();
        failed += s.summary["failed"].get<uint64_t>();
        wall = std::max(wall, s.summary.value("wall", 0.0));
        std::string error;
        const bool added = scorecard.add_data(s.scorecard, error);
        SL_ASSERT(added);  // load_shard checked the data
    }
    j["runs"] = runs;
    j["passed"] = passed;
    j["failed"] = failed;
    j["wall"] = wall;  // the shards ran side by side: the longest one
    j["scenarios"] = merged_scenarios(shards);
    j["failures"] = in_run_order(shards, "failures");
    j["run_list"] = in_run_order(shards, "run_list");
    j["scorecard"] = scorecard.to_json();
    return {std::move(j), scorecard.to_data()};
}

}  // namespace stormlog::reports
