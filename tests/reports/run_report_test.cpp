// A run's report: recording it leaves the run unchanged, report.json holds what the report
// promises, and trace.json is valid trace-event JSON whose tracks agree with report.json.

#include "reports/run_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "reports/trace_events.hpp"
#include "scenarios/runner.hpp"
#include "workloads/ledger/workload.hpp"

namespace stormlog::reports {
namespace {

using json = nlohmann::ordered_json;

scenarios::Scenario builtin(const std::string& name) {
    scenarios::Scenario s;
    scenarios::ScenarioErrors errors;
    EXPECT_TRUE(scenarios::resolve_scenario(name, s, errors)) << name;
    return s;
}

workloads::RunResult run(const scenarios::Scenario& s, uint64_t seed, bool record) {
    scenarios::RunOptions o;
    o.seed = seed;
    o.record = record;
    return scenarios::run_scenario(s, o);
}

json report_of(const std::string& name, uint64_t seed) {
    const scenarios::Scenario s = builtin(name);
    return run_report_json(s, name, run(s, seed, true));
}

// The Done-when of a report: the same run with and without one.
TEST(RunReport, RecordingLeavesTheRunUnchanged) {
    for (const char* name : {"ledger-nemesis", "nemesis-within", "power-loss", "poison-event",
                             "swarm-store", "swarm-ledger"}) {
        const scenarios::Scenario s = builtin(name);
        for (uint64_t seed : {1, 2}) {
            const workloads::RunResult plain = run(s, seed, false);
            const workloads::RunResult recorded = run(s, seed, true);
            EXPECT_EQ(plain.hash, recorded.hash) << name << " seed " << seed;
            EXPECT_EQ(plain.events, recorded.events) << name << " seed " << seed;
            EXPECT_EQ(plain.pass, recorded.pass) << name << " seed " << seed;
            EXPECT_EQ(plain.recording, nullptr);
            ASSERT_NE(recorded.recording, nullptr);
        }
    }
}

TEST(RunReport, HoldsTheVerdictFaultsRecoveryAndSeries) {
    const json r = report_of("ledger-nemesis", 1);
    EXPECT_EQ(r["schema"], 1);
    EXPECT_EQ(r["verdict"]["pass"], true);
    EXPECT_EQ(r["verdict"]["replay"], "stormlog run ledger-nemesis --seed 1");
    EXPECT_EQ(r["acked_writes_lost"], 0);
    ASSERT_GT(r["faults"].size(), 5u);
    ASSERT_EQ(r["recovery"].size(), r["faults"].size());
    for (size_t i = 0; i < r["faults"].size(); ++i) {
        const json& f = r["faults"][i];
        EXPECT_TRUE(f.contains("targets") && f["targets"].is_array());
        EXPECT_LE(f["start_s"].get<double>(), f["heal_s"].get<double>());
        EXPECT_EQ(r["recovery"][i]["fault"], i);
        EXPECT_EQ(r["recovery"][i]["heal_s"], f["heal_s"]);
    }
    // Commits go on after every fault of this run: each heal has a first commit after it.
    for (const json& rec : r["recovery"]) EXPECT_TRUE(rec["first_commit_s"].is_number());
    const json& s = r["series"];
    const size_t n = s["t_s"].size();
    EXPECT_GE(n, 400u);  // 40 s in 100 ms buckets (and one for what happens at 40 s sharp)
    EXPECT_LE(n, 401u);
    for (const char* k : {"ops_ok", "ops_fail", "ops_unknown", "latency_p50_ms", "latency_p99_ms",
                          "commit_index", "term"})
        EXPECT_EQ(s[k].size(), n) << k;
    for (const char* g : {"projection.balances.lag", "queue.balances.depth"})
        EXPECT_EQ(s["gauges"][g].size(), n) << g;
    EXPECT_GT(s["commit_index"].back().get<double>(), 100);
    EXPECT_FALSE(r["leaders"].empty());
    EXPECT_EQ(r["tracks"]["nodes"].size(),
              r["scenario"]["nodes"].size() + r["scenario"]["other_nodes"].size());
    EXPECT_EQ(r["tracks"]["breakers"].size(), 3u);
}

// A run that loses acknowledged writes (a deliberate bug: the ledger debits without checking the
// account's version) says so in its verdict, with evidence, and in acked_writes_lost.
TEST(RunReport, AFailingRunCarriesItsEvidenceAndReplay) {
    const scenarios::Scenario s = builtin("ledger-nemesis");
    workloads::LedgerBugs bugs;
    bugs.queue_drop_when_full = true;
    scenarios::RunOptions o;
    o.record = true;
    for (o.seed = 1; o.seed <= 10; ++o.seed) {
        const workloads::RunResult r = workloads::run_ledger(s, o, bugs);
        if (r.pass) continue;
        const json j = run_report_json(s, "ledger-nemesis", r);
        EXPECT_EQ(j["verdict"]["pass"], false);
        EXPECT_EQ(j["verdict"]["ok"], false);
        ASSERT_FALSE(j["verdict"]["failures"].empty());
        EXPECT_EQ(j["verdict"]["failures"][0]["property"], r.failures[0].property);
        EXPECT_FALSE(j["verdict"]["failures"][0]["evidence"].get<std::string>().empty());
        EXPECT_EQ(j["verdict"]["replay"],
                  "stormlog run ledger-nemesis --seed " + std::to_string(o.seed));
        return;
    }
    FAIL() << "the dropping queue went unnoticed in seeds 1..10";
}

// ---- trace.json ------------------------------------------------------------------------------

// Why `trace` is not valid trace-event JSON as Perfetto reads it, or "".
std::string trace_problem(const json& trace) {
    if (!trace.contains("traceEvents") || !trace["traceEvents"].is_array())
        return "no traceEvents array";
    std::map<std::pair<int, int>, std::vector<std::pair<int64_t, int64_t>>> slices;
    for (const json& e : trace["traceEvents"]) {
        for (const char* field : {"name", "ph", "ts", "pid", "tid"}) {
            if (!e.contains(field))
                return "an event without " + std::string(field) + ": " + e.dump();
        }
        if (!e["name"].is_string() || !e["ts"].is_number() || !e["pid"].is_number_integer() ||
            !e["tid"].is_number_integer())
            return "an event with a field of the wrong type: " + e.dump();
        const std::string ph = e["ph"];
        if (ph == "X") {
            if (!e.contains("dur") || !e["dur"].is_number() || e["dur"].get<int64_t>() < 0)
                return "a complete event without a duration: " + e.dump();
            const int64_t ts = e["ts"];
            slices[{e["pid"], e["tid"]}].push_back({ts, ts + e["dur"].get<int64_t>()});
        } else if (ph == "C") {
            if (!e.contains("args") || !e["args"].is_object() || e["args"].empty())
                return "a counter without values: " + e.dump();
        } else if (ph != "M" && ph != "i") {
            return "an unexpected phase " + ph;
        }
    }
    // Slices of one track nest: any two are disjoint or one holds the other.
    for (auto& [track, spans] : slices) {
        std::sort(spans.begin(), spans.end(), [](auto a, auto b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
        std::vector<int64_t> open;  // ends of the enclosing slices
        for (const auto& [start, end] : spans) {
            while (!open.empty() && open.back() <= start) open.pop_back();
            if (!open.empty() && end > open.back())
                return "slices overlap on pid " + std::to_string(track.first) + " tid " +
                       std::to_string(track.second);
            open.push_back(end);
        }
    }
    return "";
}

TEST(TraceEvents, TheCheckCatchesOverlapsAndMissingFields) {
    json ok = {{"traceEvents",
                {{{"name", "a"}, {"ph", "X"}, {"ts", 0}, {"dur", 10}, {"pid", 1}, {"tid", 1}},
                 {{"name", "b"}, {"ph", "X"}, {"ts", 2}, {"dur", 3}, {"pid", 1}, {"tid", 1}}}}};
    EXPECT_EQ(trace_problem(ok), "");
    json overlap = ok;
    overlap["traceEvents"][1]["dur"] = 30;
    EXPECT_NE(trace_problem(overlap), "");
    json missing = ok;
    missing["traceEvents"][0].erase("pid");
    EXPECT_NE(trace_problem(missing), "");
}

TEST(TraceEvents, IsValidAndMatchesTheReport) {
    // slow-consumer-backpressure fires alerts that overlap.
    for (const char* name :
         {"ledger-nemesis", "nemesis-within", "power-loss", "slow-consumer-backpressure"}) {
        const json r = report_of(name, 3);
        const json t = trace_events(r);
        EXPECT_EQ(trace_problem(t), "") << name;
        // The fault tracks hold exactly the report's faults, at their times.
        std::vector<std::pair<int64_t, int64_t>> from_trace, from_report;
        for (const json& e : t["traceEvents"]) {
            if (e["pid"] != 2 || e["tid"] >= 100000 || (e["ph"] != "X" && e["ph"] != "i")) continue;
            const int64_t ts = e["ts"];
            from_trace.push_back({ts, ts + e.value("dur", int64_t{0})});
        }
        for (const json& f : r["faults"]) {
            const auto us = [](const json& s) {
                return static_cast<int64_t>(std::llround(s.get<double>() * 1e6));
            };
            from_report.push_back({us(f["start_s"]), us(f["heal_s"])});
        }
        std::sort(from_trace.begin(), from_trace.end());
        std::sort(from_report.begin(), from_report.end());
        EXPECT_EQ(from_trace, from_report) << name;
        // The node tracks hold the report's node states.
        size_t states = 0, slices = 0;
        for (const json& n : r["tracks"]["nodes"]) states += n["states"].size() + n["roles"].size();
        for (const json& e : t["traceEvents"]) slices += e["pid"] == 1 && e["ph"] == "X";
        EXPECT_EQ(slices, states) << name;
    }
}

}  // namespace
}  // namespace stormlog::reports
