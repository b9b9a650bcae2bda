#include "scenarios/scenario_writer.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "faults/catalogue.hpp"
#include "sim/assert.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

using Json = nlohmann::ordered_json;
using workloads::Scenario;

Json range(sim::Duration lo, sim::Duration hi) {
    return Json::array({exact_duration(lo), exact_duration(hi)});
}

Json node_name(int index) {
    return "n" + std::to_string(index + 1);
}

Json target_json(const faults::TargetSpec& t) {
    switch (t.kind) {
        case faults::TargetKind::node:
            return node_name(t.node);
        case faults::TargetKind::leader:
            return "leader";
        case faults::TargetKind::follower:
            return "follower";
        case faults::TargetKind::random:
            return "random";
        case faults::TargetKind::minority:
            return "minority";
        case faults::TargetKind::majority:
            return "majority";
        case faults::TargetKind::all:
            return "all";
        case faults::TargetKind::nodes: {
            Json list = Json::array();
            for (int n : t.nodes) list.push_back(node_name(n));
            return list;
        }
    }
    return "random";
}

Json params_json(const faults::FaultSpec& f, const faults::FaultKindInfo& kind) {
    Json params = Json::object();
    for (const faults::ParamInfo& p : kind.params) {
        const auto it = f.params.find(p.name);
        if (it == f.params.end()) continue;
        if (p.type == faults::ParamType::duration) {
            params[p.name] = exact_duration(sim::Duration::nanos(static_cast<int64_t>(it->second)));
        } else if (p.type == faults::ParamType::integer) {
            params[p.name] = static_cast<int64_t>(it->second);
        } else {
            params[p.name] = it->second;
        }
    }
    return params;
}

Json fault_json(const faults::FaultSpec& f) {
    const faults::FaultKindInfo* kind = faults::find_kind(f.kind);
    SL_ASSERT(kind != nullptr);
    Json j;
    j["kind"] = f.kind;
    j["at"] = exact_duration(f.at);
    if (kind->takes_duration) j["for"] = exact_duration(f.duration);
    if (kind->takes_target) j["target"] = target_json(f.target);
    if (!f.sides.empty()) j["sides"] = f.sides;
    if (!kind->params.empty()) j["params"] = params_json(f, *kind);
    return j;
}

Json workload_json(const workloads::WorkloadSpec& w) {
    const workloads::Workload* info = workloads::find_workload(w.type);
    SL_ASSERT(info != nullptr);
    Json j;
    j["type"] = w.type;
    auto put = [&](const char* key, Json value) {
        if (info->reads(key)) j[key] = std::move(value);
    };
    put("clients", w.clients);
    put("rate", w.rate);
    put("streams", w.streams);
    put("read_fraction", w.read_fraction);
    put("reads", w.reads_anywhere ? "any" : "leader");
    put("accounts", w.accounts);
    put("event_bytes", Json::array({w.event_bytes_min, w.event_bytes_max}));
    if (w.fail_assertion_at) put("fail_assertion_at", exact_duration(*w.fail_assertion_at));
    return j;
}

Json nemesis_json(const faults::NemesisSpec& n) {
    Json j;
    j["window"] = range(n.window_start, n.window_end);
    j["mean_interval"] = exact_duration(n.mean_interval);
    j["fault_duration"] = range(n.fault_min, n.fault_max);
    j["kinds"] = Json::object();
    for (const auto& [kind, weight] : n.kinds) j["kinds"][kind] = weight;
    if (n.client_partitions > 0) j["client_partitions"] = n.client_partitions;
    return j;
}

bool flat(const Json& j) {
    if (j.is_object()) return false;
    if (!j.is_array()) return true;
    return std::all_of(j.begin(), j.end(), [](const Json& x) {
        return !x.is_object() &&
               (!x.is_array() ||
                std::all_of(x.begin(), x.end(), [](const Json& y) { return !y.is_structured(); }));
    });
}

// A scalar, or an array of them, on one line: ["n1", "n2"].
void print_flat(const Json& j, std::string& out) {
    if (!j.is_array()) {
        out += j.dump();
        return;
    }
    out += "[";
    for (size_t i = 0; i < j.size(); ++i) {
        if (i > 0) out += ", ";
        print_flat(j[i], out);
    }
    out += "]";
}

// Objects one key a line; arrays of scalars (ranges, node lists, sides) on one line, as people
// write scenario files.
void print(const Json& j, int indent, std::string& out) {
    if (flat(j)) {
        print_flat(j, out);
        return;
    }
    const std::string pad(static_cast<size_t>(indent + 2), ' ');
    const bool object = j.is_object();
    out += object ? "{\n" : "[\n";
    size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
        out += pad;
        if (object) out += Json(it.key()).dump() + ": ";
        print(*it, indent + 2, out);
        out += i + 1 < j.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<size_t>(indent), ' ') + (object ? "}" : "]");
}

}  // namespace

std::string exact_duration(sim::Duration d) {
    const int64_t ns = d.ns();
    static constexpr std::pair<int64_t, const char*> units[] = {
        {1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}};
    for (const auto& [size, unit] : units) {
        if (ns != 0 && ns % size == 0) return std::to_string(ns / size) + unit;
    }
    return std::to_string(ns) + (ns == 0 ? "s" : "ns");
}

std::string scenario_json(const Scenario& s) {
    Json j;
    j["name"] = s.name;
    j["description"] = s.description;
    j["cluster"] = {
        {"nodes", s.cluster.nodes},
        {"heartbeat", exact_duration(s.cluster.heartbeat)},
        {"election_timeout", range(s.cluster.election_timeout_min, s.cluster.election_timeout_max)},
        {"snapshot_every", s.cluster.snapshot_every}};
    j["network"] = {{"latency", range(s.network.latency_min, s.network.latency_max)},
                    {"latency_shape", s.network.latency_shape},
                    {"loss", s.network.loss},
                    {"duplicate", s.network.duplicate},
                    {"corrupt", s.network.corrupt}};
    j["disk"] = {{"write_latency", range(s.disk.write_latency_min, s.disk.write_latency_max)},
                 {"read_latency", range(s.disk.read_latency_min, s.disk.read_latency_max)},
                 {"fsync_latency", range(s.disk.fsync_latency_min, s.disk.fsync_latency_max)},
                 {"capacity", s.disk.capacity_bytes},
                 {"torn_write_probability", s.disk.torn_write_probability}};
    j["workload"] = workload_json(s.workload);
    j["duration"] = exact_duration(s.duration);
    if (!s.faults.empty()) {
        j["faults"] = Json::array();
        for (const faults::FaultSpec& f : s.faults) j["faults"].push_back(fault_json(f));
    }
    if (s.nemesis.enabled) j["nemesis"] = nemesis_json(s.nemesis);
    j["budget"] = s.budget == workloads::Budget::within ? "within" : "beyond";
    j["quiet_period"] = exact_duration(s.quiet_period);
    if (!s.properties.empty()) j["properties"] = s.properties;
    if (!s.probes.empty()) j["probes"] = s.probes;
    if (s.swarm) j["swarm"] = true;
    if (s.buggify) j["buggify"] = true;
    if (s.fifo_scheduling) j["schedule"] = "fifo";
    j["expect"] = s.expect_pass ? "pass" : "fail";
    std::string out;
    print(j, 0, out);
    return out + "\n";
}

}  // namespace stormlog::scenarios
