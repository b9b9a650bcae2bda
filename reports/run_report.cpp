#include "reports/run_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "faults/catalogue.hpp"
#include "scenarios/suite.hpp"
#include "sim/assert.hpp"
#include "workloads/registry.hpp"
#include "workloads/run_recording.hpp"

namespace stormlog::reports {
namespace {

using json = nlohmann::ordered_json;
using system::monitoring::Recording;
using system::monitoring::Series;
using workloads::RunRecording;

double seconds(sim::Time t) {
    return t.seconds_f();
}

// A time that may be "never" (max): null.
json seconds_or_null(sim::Time t) {
    return t == sim::Time::max() ? json(nullptr) : json(seconds(t));
}

json scenario_json(const scenarios::Scenario& s, const RunRecording& rec) {
    json j;
    j["name"] = s.name;
    j["description"] = s.description;
    j["workload"] = s.workload.type;
    j["budget"] = s.budget == faults::Budget::within ? "within" : "beyond";
    j["duration_s"] = s.duration.seconds_f();
    j["heal_all_at_s"] = seconds(std::min(rec.heal_all_at, rec.end));
    j["nodes"] = std::vector<std::string>(
        rec.nodes.begin(), rec.nodes.begin() + static_cast<std::ptrdiff_t>(rec.cluster_nodes));
    j["other_nodes"] = std::vector<std::string>(
        rec.nodes.begin() + static_cast<std::ptrdiff_t>(rec.cluster_nodes), rec.nodes.end());
    return j;
}

json verdict_json(const scenarios::Scenario& s, const std::string& argument,
                  const workloads::RunResult& r) {
    json j;
    j["pass"] = r.pass;
    j["expected_pass"] = s.expect_pass;
    j["ok"] = r.pass == s.expect_pass;
    j["failures"] = json::array();
    for (const sim::Failure& f : r.failures) {
        j["failures"].push_back({{"property", f.property},
                                 {"at_s", f.at.seconds_f()},
                                 {"node", f.node},
                                 {"evidence", f.message}});
    }
    j["replay"] = scenarios::replay_command(argument, r.seed);
    return j;
}

std::vector<std::string> target_names(const RunRecording& rec, const faults::AppliedFault& f) {
    std::vector<std::string> out;
    for (sim::NodeId t : f.targets) out.push_back(rec.nodes.at(t));
    return out;
}

json faults_json(const RunRecording& rec) {
    json out = json::array();
    for (size_t i = 0; i < rec.faults.size(); ++i) {
        const faults::AppliedFault& f = rec.faults[i];
        const faults::FaultKindInfo* kind = faults::find_kind(f.kind);
        SL_ASSERT(kind != nullptr);
        out.push_back({{"id", i},
                       {"kind", f.kind},
                       {"category", std::string(faults::category_name(kind->category))},
                       {"origin", f.origin},
                       {"targets", target_names(rec, f)},
                       {"start_s", seconds(f.at)},
                       {"heal_s", seconds_or_null(f.healed_at)},
                       {"detail", f.detail}});
    }
    return out;
}

json skipped_json(const RunRecording& rec) {
    json out = json::array();
    for (const faults::SkippedFault& f : rec.skipped) {
        out.push_back(
            {{"kind", f.kind}, {"origin", f.origin}, {"at_s", seconds(f.at)}, {"why", f.why}});
    }
    return out;
}

json duration_or_null(const std::optional<sim::Duration>& d) {
    return d ? json(d->seconds_f()) : json(nullptr);
}

// Only a system with leaders has a time to a stable leader.
json recovery_json(const RunRecording& rec, bool has_leader) {
    const Recording& data = rec.data;
    SL_ASSERT(data.windows().size() <= rec.faults.size());  // fewer past the windows' budget
    json out = json::array();
    for (size_t i = 0; i < data.windows().size(); ++i) {
        const Recording::Window& w = data.windows()[i];
        json j;
        j["fault"] = i;
        j["kind"] = rec.faults[i].kind;
        j["start_s"] = seconds(w.open);
        j["heal_s"] = seconds_or_null(w.close);
        j["ops"] = w.ops;
        j["ops_ok"] = w.ops_ok;
        j["availability"] = w.ops == 0
                                ? json(nullptr)
                                : json(static_cast<double>(w.ops_ok) / static_cast<double>(w.ops));
        // Only a system that commits and elects leaders has these times to measure.
        j["measured"] = has_leader;
        j["first_commit_s"] = has_leader ? duration_or_null(w.first_commit) : json(nullptr);
        j["stable_leader_s"] = has_leader && w.close != sim::Time::max()
                                   ? duration_or_null(data.stable_leader_after(w.close, rec.end))
                                   : json(nullptr);
        out.push_back(std::move(j));
    }
    return out;
}

json number_or_null(double v) {
    return std::isnan(v) ? json(nullptr) : json(v);
}

// A gauge as "the highest so far": the last sample carried into buckets without one.
json carried(const std::vector<double>& values) {
    json out = json::array();
    double last = NAN;
    for (double v : values) {
        if (!std::isnan(v)) last = v;
        out.push_back(number_or_null(last));
    }
    return out;
}

json series_json(const Series& s) {
    json j;
    j["bucket_s"] = s.width().seconds_f();
    json t = json::array(), ok = json::array(), fail = json::array(), unknown = json::array(),
         p50 = json::array(), p99 = json::array();
    for (size_t i = 0; i < s.buckets().size(); ++i) {
        const Series::Bucket& b = s.buckets()[i];
        t.push_back((s.width() * static_cast<int64_t>(i)).seconds_f());
        ok.push_back(b.ok);
        fail.push_back(b.fail);
        unknown.push_back(b.unknown);
        const bool any = b.latency.count() > 0;
        p50.push_back(any ? json(static_cast<double>(b.latency.percentile(50)) / 1000.0)
                          : json(nullptr));
        p99.push_back(any ? json(static_cast<double>(b.latency.percentile(99)) / 1000.0)
                          : json(nullptr));
    }
    j["t_s"] = std::move(t);
    j["ops_ok"] = std::move(ok);
    j["ops_fail"] = std::move(fail);
    j["ops_unknown"] = std::move(unknown);
    j["latency_p50_ms"] = std::move(p50);
    j["latency_p99_ms"] = std::move(p99);
    json gauges = json::object();
    j["commit_index"] = json::array();
    j["term"] = json::array();
    for (size_t g = 0; g < s.gauges(); ++g) {
        const std::string& name = s.gauge_name(g);
        if (name == "commit_index" || name == "term") {
            j[name] = carried(s.gauge_values(g));
            continue;
        }
        json values = json::array();
        for (double v : s.gauge_values(g)) values.push_back(number_or_null(v));
        gauges[name] = std::move(values);
    }
    // A run without Raft has no commit index or term: nulls of the series' length.
    for (const char* name : {"commit_index", "term"}) {
        if (j[name].empty())
            j[name] = json(std::vector<std::nullptr_t>(s.buckets().size(), nullptr));
    }
    j["gauges"] = std::move(gauges);
    return j;
}

json spans_json(const Recording& data, const Recording::Track& t, sim::Time end) {
    json out = json::array();
    for (size_t i = 0; i < t.spans.size(); ++i) {
        const sim::Time until = i + 1 < t.spans.size() ? t.spans[i + 1].start : end;
        if (until <= t.spans[i].start) continue;  // e.g. the processes stopping at the end
        out.push_back({{"state", data.state_names().at(t.spans[i].state)},
                       {"start_s", seconds(t.spans[i].start)},
                       {"end_s", seconds(until)}});
    }
    return out;
}

json leadership_json(const RunRecording& rec, const Recording::Leadership& l) {
    return {{"node", rec.nodes.at(l.node)},
            {"term", l.term},
            {"start_s", seconds(l.start)},
            {"end_s", seconds(std::min(l.end, rec.end))}};
}

json tracks_json(const RunRecording& rec) {
    const Recording& data = rec.data;
    json nodes = json::array(), breakers = json::array();
    size_t node = 0;
    for (const Recording::Track& t : data.tracks()) {
        if (t.group == "breakers") {
            breakers.push_back({{"name", t.name}, {"states", spans_json(data, t, rec.end)}});
            continue;
        }
        SL_ASSERT(t.group == "nodes" && t.name == rec.nodes.at(node));
        json roles = json::array();
        for (const Recording::Leadership& l : data.leaderships()) {
            if (l.node != node) continue;
            roles.push_back({{"role", "leader"},
                             {"term", l.term},
                             {"start_s", seconds(l.start)},
                             {"end_s", seconds(std::min(l.end, rec.end))}});
        }
        nodes.push_back({{"node", t.name},
                         {"states", spans_json(data, t, rec.end)},
                         {"roles", std::move(roles)}});
        ++node;
    }
    return {{"nodes", std::move(nodes)}, {"breakers", std::move(breakers)}};
}

json alerts_json(const RunRecording& rec) {
    json out = json::array();
    for (const system::monitoring::AlertFiring& f : rec.alerts) {
        out.push_back(
            {{"rule", f.rule},
             {"fired_s", seconds(f.fired_at)},
             {"resolved_s", f.resolved_at ? json(seconds(*f.resolved_at)) : json(nullptr)},
             {"value", f.value_at_fire}});
    }
    return out;
}

}  // namespace

nlohmann::ordered_json run_report_json(const scenarios::Scenario& scenario,
                                       const std::string& argument,
                                       const workloads::RunResult& result) {
    // A workload that records nothing (the kernel smoke test) still gets its verdict reported.
    RunRecording none;
    none.end = result.sim_time;
    const RunRecording& rec = result.recording ? *result.recording : none;
    json j;
    j["schema"] = 1;
    j["kind"] = "run";
    j["scenario"] = scenario_json(scenario, rec);
    j["seed"] = result.seed;
    j["verdict"] = verdict_json(scenario, argument, result);
    j["hash"] = fmt::format("{:016x}", result.hash);
    j["sim_time_s"] = result.sim_time.seconds_f();
    j["events"] = result.events;
    j["acked_writes_lost"] = rec.acked_writes_lost ? json(*rec.acked_writes_lost) : json(nullptr);
    j["summary"] = result.summary;
    j["faults"] = faults_json(rec);
    j["skipped_faults"] = skipped_json(rec);
    const workloads::Workload* workload = workloads::find_workload(scenario.workload.type);
    j["recovery"] = recovery_json(rec, workload != nullptr && workload->has_leader);
    j["series"] = series_json(rec.data.series());
    j["tracks"] = tracks_json(rec);
    j["leaders"] = json::array();
    for (const Recording::Leadership& l : rec.data.leaderships())
        j["leaders"].push_back(leadership_json(rec, l));
    j["alerts"] = alerts_json(rec);
    j["probes"] = json::array();
    for (const auto& [name, hits] : result.probes)
        j["probes"].push_back({{"name", name}, {"hits", hits}});
    j["dropped_spans"] = rec.data.dropped();
    return j;
}

}  // namespace stormlog::reports
