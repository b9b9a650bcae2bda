#include "scenarios/incident/pairing.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "scenarios/incident/field_values.hpp"
#include "scenarios/json_reader.hpp"
#include "scenarios/scenario_writer.hpp"
#include "sim/assert.hpp"

namespace stormlog::scenarios::incident {
namespace {

// A worker's supervisor restarts a crashed process about this soon when the timeline does not say.
constexpr int64_t k_worker_restart_ns = k_ns_per_s;

// What a start is paired by: its kind and the nodes of its host and peer (one node per key for
// host events, so that each node's start finds its own end).
using Key = std::tuple<std::string_view, std::vector<std::string>, std::vector<std::string>>;

struct Interval {
    const Event* start = nullptr;
    const Event* end = nullptr;
    std::string node;  // host events: the node; empty otherwise
};

class Pairer {
  public:
    Pairer(const Timeline& t, Problems& p) : p_(p) {
        for (const auto& [host, node] : t.node_of) host_of_node_[node] = host;
    }

    void add(const Event& e) {
        if (e.kind->end.empty()) {
            instants_.push_back(&e);
            return;
        }
        for (const Key& key : keys(e)) e.is_end ? close(e, key) : open(e, key);
    }

    // The intervals, after every start that never ended was reported.
    std::vector<Interval> finish() {
        std::vector<std::pair<const Key*, const Event*>> unended;
        for (const auto& [key, start] : open_) unended.emplace_back(&key, start);
        std::stable_sort(unended.begin(), unended.end(), [](const auto& a, const auto& b) {
            return a.second->line < b.second->line;
        });
        for (const auto& [key, start] : unended) {
            p_.at(start->line, "event",
                  start->name + " " + where(*start, *key) + " never ends (add a " +
                      std::string(start->kind->end) + " after it)");
        }
        return std::move(closed_);
    }

    const std::vector<const Event*>& instants() const { return instants_; }

  private:
    std::vector<Key> keys(const Event& e) const {
        const std::vector<std::string>& a = e.host_nodes;
        const std::vector<std::string>& b = e.peer_nodes;
        switch (e.kind->scope) {
            case Scope::hosts: {
                std::vector<Key> per_node;
                for (const std::string& n : a)
                    per_node.emplace_back(e.kind->name, std::vector{n}, std::vector<std::string>{});
                return per_node;
            }
            case Scope::link:  // either way round: link-up B A ends link-down A B
                return {a < b ? Key{e.kind->name, a, b} : Key{e.kind->name, b, a}};
            case Scope::one_way:
                return {Key{e.kind->name, a, b}};
            case Scope::cluster:
                return {Key{e.kind->name, {}, {}}};
        }
        return {};
    }

    // `on "db1"`, `between "east" and "west"`, `from "east" to "west"`, or nothing.
    std::string where(const Event& e, const Key& key) const {
        switch (e.kind->scope) {
            case Scope::hosts: {
                const std::string& node = std::get<1>(key).front();
                const std::string& host = host_of_node_.at(node);
                return "on " + quote(host) + (host == e.host ? "" : " (of " + quote(e.host) + ")");
            }
            case Scope::link:
                return "between " + quote(e.host) + " and " + quote(e.peer);
            case Scope::one_way:
                return "from " + quote(e.host) + " to " + quote(e.peer);
            case Scope::cluster:
                return "";
        }
        return "";
    }

    void open(const Event& e, const Key& key) {
        if (const auto it = open_.find(key); it != open_.end()) {
            p_.at(e.line, "event",
                  e.name + " " + where(e, key) + " again, while line " +
                      std::to_string(it->second->line) + "'s has not ended");
            return;
        }
        open_.emplace(key, &e);
    }

    void close(const Event& e, const Key& key) {
        const auto it = open_.find(key);
        if (it == open_.end()) {
            p_.at(e.line, "event",
                  e.name + " " + where(e, key) + " without a " + std::string(e.kind->name) +
                      " before it");
            return;
        }
        const Event& start = *it->second;
        open_.erase(it);
        if (e.time_ns == start.time_ns) {
            p_.expected(e.line, "time",
                        "a time after line " + std::to_string(start.line) + "'s " + start.name +
                            " (a fault lasts more than 0s)",
                        quote(e.time_text));
            return;
        }
        closed_.push_back(
            Interval{&start, &e, e.kind->scope == Scope::hosts ? std::get<1>(key).front() : ""});
    }

    Problems& p_;
    std::map<std::string, std::string> host_of_node_;
    std::map<Key, const Event*> open_;
    std::vector<Interval> closed_;
    std::vector<const Event*> instants_;
};

// The scenario's fault kind for an event of a lasting kind.
std::string lasting_kind(const Event& start) {
    const std::string_view k = start.kind->name;
    if (k == "node-down") return "crash";
    if (k == "link-down") return "partition";
    if (k == "one-way-down") return "partition-one-way";
    if (k == "disk-error") return start.value.choice == "fsync" ? "fsync-error" : "latent-error";
    if (k == "slow-disk") return "disk-stall";
    return std::string(k);  // power-loss, clock-drift, disk-full, load-burst: the same name
}

std::vector<std::pair<std::string, Json>> params_of(const Event& start) {
    const std::string_view k = start.kind->name;
    if (k == "clock-jump")
        return {{"delta", exact_duration(sim::Duration::nanos(start.value.duration_ns))}};
    if (k == "clock-drift") return {{"ppm", static_cast<int64_t>(start.value.number)}};
    if (k == "load-burst" && start.value.given) {
        // A whole factor reads as the timeline wrote it: 4, not 4.0.
        const double x = start.value.number;
        if (x == std::floor(x)) return {{"factor", static_cast<int64_t>(x)}};
        return {{"factor", x}};
    }
    return {};
}

ImportedFault fault_of(const Interval& i) {
    ImportedFault f;
    f.kind = lasting_kind(*i.start);
    f.start_ns = i.start->time_ns;
    f.end_ns = i.end->time_ns;
    f.lasting = true;
    f.params = params_of(*i.start);
    f.line = i.start->line;
    f.end_line = i.end->line;
    if (!i.node.empty()) f.target = {i.node};
    if (i.start->kind->scope == Scope::link || i.start->kind->scope == Scope::one_way)
        f.sides = {i.start->host_nodes, i.start->peer_nodes};
    return f;
}

// Node faults of one kind that start and end together (a group's node-down and node-up) become
// one fault on all their nodes: the scenario reads as the timeline does. `index` finds the fault
// to join by kind, times and parameters.
using MergeKey = std::tuple<std::string, int64_t, int64_t, std::string>;

void merge_into(std::vector<ImportedFault>& faults, std::map<MergeKey, size_t>& index,
                ImportedFault f) {
    std::string params;
    for (const auto& [name, value] : f.params) params += name + "=" + value.dump() + ";";
    const MergeKey key{f.kind, f.start_ns, f.end_ns, params};
    const auto [it, fresh] = index.emplace(key, faults.size());
    if (fresh) {
        faults.push_back(std::move(f));
        return;
    }
    ImportedFault& g = faults[it->second];
    g.target.push_back(f.target.front());
    std::sort(g.target.begin(), g.target.end(), node_order);
    g.line = std::min(g.line, f.line);
    g.end_line = std::max(g.end_line, f.end_line);
}

// An instant event: a clock jump on its nodes; a process crash restarts cluster nodes (or keeps
// them down for its value) and crashes ledger workers' processes (service-crash), one each.
void add_instant(const Event& e, std::vector<ImportedFault>& faults) {
    ImportedFault base;
    base.start_ns = base.end_ns = e.time_ns;
    base.line = base.end_line = e.line;
    base.params = params_of(e);
    std::vector<std::string> cluster;
    for (const std::string& node : e.host_nodes) {
        if (node.starts_with("n")) {
            cluster.push_back(node);
            continue;
        }
        SL_ASSERT(e.kind->name == "process-crash" && "timeline.cpp admits workers only there");
        ImportedFault f = base;
        f.kind = "service-crash";
        f.lasting = true;
        f.end_ns = e.time_ns + (e.value.given ? e.value.duration_ns : k_worker_restart_ns);
        f.params = {{"worker", std::stoi(node.substr(1)) - 1}};
        faults.push_back(std::move(f));
    }
    if (cluster.empty()) return;
    ImportedFault f = base;
    f.target = cluster;
    if (e.kind->name == "clock-jump") {
        f.kind = "clock-jump";
    } else if (e.value.given) {
        f.kind = "crash";  // down for as long as the timeline says
        f.lasting = true;
        f.end_ns = e.time_ns + e.value.duration_ns;
    } else {
        f.kind = "restart";
    }
    faults.push_back(std::move(f));
}

}  // namespace

std::vector<ImportedFault> pair_events(const Timeline& t, Problems& problems) {
    Pairer pairer(t, problems);
    for (const Event& e : t.events) pairer.add(e);
    std::vector<ImportedFault> faults;
    std::map<MergeKey, size_t> node_faults;
    for (const Interval& i : pairer.finish()) {
        ImportedFault f = fault_of(i);
        if (f.target.empty())
            faults.push_back(std::move(f));
        else
            merge_into(faults, node_faults, std::move(f));
    }
    for (const Event* e : pairer.instants()) add_instant(*e, faults);
    std::stable_sort(faults.begin(), faults.end(),
                     [](const ImportedFault& a, const ImportedFault& b) {
                         return std::tie(a.start_ns, a.line) < std::tie(b.start_ns, b.line);
                     });
    return faults;
}

}  // namespace stormlog::scenarios::incident
