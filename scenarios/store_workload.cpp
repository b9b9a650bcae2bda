#include "scenarios/store_workload.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_recorder.hpp"
#include "properties/raft/raft_safety.hpp"
#include "properties/store/store_checker.hpp"
#include "scenarios/cluster.hpp"
#include "sim/env.hpp"
#include "system/store/client.hpp"
#include "system/store/server.hpp"

namespace stormlog::scenarios {
namespace {

namespace lin = properties::linearizability;
using nlohmann::json;
using sim::Duration;
using sim::NodeId;
using sim::Time;
using system::store::AppendCommand;
using system::store::CallResult;
using system::store::Expected;
using system::store::Outcome;
using system::store::StoreServer;

// Linearizability search steps before the verdict is "unknown" (deterministic, unlike a clock).
constexpr uint64_t k_check_polls_max = 50'000;  // x 4096 steps
constexpr uint32_t k_read_max = 8;
constexpr int k_resends_max = 4;  // calls per append (the first and its resends)

const std::vector<std::string> k_raft_properties = properties::raft::RaftSafety::property_names();

std::vector<std::string> client_names(const Scenario& s) {
    std::vector<std::string> names;
    for (int c = 0; c < s.workload.clients; ++c) names.push_back("c" + std::to_string(c + 1));
    names.emplace_back("probe");
    names.emplace_back("sub");
    return names;
}

json expected_json(const Expected& e) {
    switch (e.kind) {
        case system::store::ExpectedKind::any:
            return "any";
        case system::store::ExpectedKind::no_stream:
            return "no_stream";
        case system::store::ExpectedKind::stream_exists:
            return "stream_exists";
        case system::store::ExpectedKind::exact:
            return e.version;
    }
    return nullptr;
}

lin::EventType history_type(Outcome o) {
    switch (o) {
        case Outcome::ok:
            return lin::EventType::ok;
        case Outcome::fail:
            return lin::EventType::fail;
        case Outcome::indeterminate:
            return lin::EventType::info;
    }
    return lin::EventType::info;
}

// Sets a slot to the server of the running incarnation, and clears it when the incarnation dies.
class Registration {
  public:
    Registration(StoreServer*& slot, StoreServer& server) : slot_(&slot) { slot = &server; }
    ~Registration() { *slot_ = nullptr; }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

  private:
    StoreServer** slot_;
};

class StoreRun {
  public:
    StoreRun(const Scenario& scenario, const RunOptions& options, const StoreBugs& bugs)
        : cluster_(scenario, options, client_names(scenario)),
          options_(options),
          bugs_(bugs),
          servers_(cluster_.size(), nullptr),
          raft_(cluster_.size(), [this](const properties::raft::Violation& v) { violate(v.property, v.node, v.evidence); },
                [this](NodeId n) { return cluster_.sim().node(n).name(); }),
          store_(cluster_.size(),
                 [this](const properties::store::Violation& v) { violate(v.property, v.node, v.evidence); },
                 [this](NodeId n) { return cluster_.sim().node(n).name(); }) {
        for (const std::string& p : scenario.properties) enabled_.insert(p);
        std::vector<std::string> on;
        for (const std::string& p : store_properties()) {
            if (enabled(p)) on.push_back(p);
        }
        raft_.enable(on);
        store_.enable(on);
        raft_on_ = std::any_of(k_raft_properties.begin(), k_raft_properties.end(),
                               [this](const std::string& p) { return enabled(p); });
        sim::Simulation& sim = cluster_.sim();
        for (NodeId i = 0; i < cluster_.size(); ++i) {
            sim.start(sim.add_process(sim.node(i), "store", [this, i](sim::Env& env) { serve(env, i); }));
        }
        for (int c = 0; c < scenario.workload.clients; ++c) {
            const NodeId node = cluster_.size() + static_cast<NodeId>(c);
            sim.start(sim.add_process(sim.node(node), "client", [this, c](sim::Env& env) { client(env, c); }));
        }
        const NodeId probe_node = cluster_.size() + static_cast<NodeId>(scenario.workload.clients);
        if (liveness_applies()) {
            sim.start(sim.add_process(sim.node(probe_node), "probe", [this](sim::Env& env) { probe(env); }));
        }
        sim.start(sim.add_process(sim.node(probe_node + 1), "subscriber", [this](sim::Env& env) { subscribe(env); }));
    }

    // Fibers unwind (and unregister their servers) while the members they use still exist.
    ~StoreRun() { cluster_.sim().shutdown(); }
    StoreRun(const StoreRun&) = delete;
    StoreRun& operator=(const StoreRun&) = delete;

    RunResult run() {
        cluster_.start_faults([this] { return leader(); });
        cluster_.sim().run_until(cluster_.end());
        const StoreServer* final_leader = serving_leader();
        if (!failed()) check_liveness(final_leader);
        if (!failed()) store_.finish(final_leader ? &final_leader->state() : nullptr, final_leader ? name(final_leader) : "");
        if (!failed() && enabled("store.linearizable")) check_history();
        RunResult r = cluster_.result();
        if (options_.keep_history) r.history = history_.to_jsonl();
        summarize(r, final_leader);
        return r;
    }

  private:
    struct ClientView {
        std::map<std::string, int64_t> known;  // stream -> version this client last learnt
        uint64_t next_event = 0;
    };

    bool enabled(const std::string& p) const { return enabled_.empty() || enabled_.count(p) > 0; }
    bool failed() const { return cluster_.sim().failed(); }
    bool liveness_applies() const {
        const Scenario& s = cluster_.scenario();
        return s.budget == Budget::within && s.quiet_period.ns() > 0;
    }
    std::string name(const StoreServer* s) const { return cluster_.sim().node(node_of(s)).name(); }
    NodeId node_of(const StoreServer* s) const {
        for (NodeId i = 0; i < servers_.size(); ++i) {
            if (servers_[i] == s) return i;
        }
        return 0;
    }

    void violate(const std::string& property, NodeId node, const std::string& evidence) {
        cluster_.sim().fail(property, cluster_.sim().node(node).name(), evidence);
    }

    // ---- Servers ------------------------------------------------------------------------

    void serve(sim::Env& env, NodeId i) {
        const Scenario& s = cluster_.scenario();
        system::store::StoreServerConfig config;
        config.raft.self = i;
        config.raft.nodes = cluster_.size();
        config.raft.heartbeat = s.cluster.heartbeat;
        config.raft.election_min = s.cluster.election_timeout_min;
        config.raft.election_max = s.cluster.election_timeout_max;
        config.raft.snapshot_every = static_cast<size_t>(s.cluster.snapshot_every);
        config.raft.bootstrap = env.incarnation() == 1;
        config.raft.bugs = bugs_.raft;
        config.raft.storage = bugs_.storage;
        config.store = bugs_.state;
        StoreServer server(env, cluster_.network(), cluster_.disk(i), config, raft_on_ ? &raft_ : nullptr, &store_);
        Registration registration(servers_[i], server);
        server.run();
    }

    // The node that leads the highest term, if any (for `target: leader` faults).
    std::optional<NodeId> leader() const {
        std::optional<NodeId> best;
        for (NodeId i = 0; i < servers_.size(); ++i) {
            const StoreServer* s = servers_[i];
            if (!s || !s->raft().is_leader()) continue;
            if (!best || s->raft().term() > servers_[*best]->raft().term()) best = i;
        }
        return best;
    }

    const StoreServer* serving_leader() const {
        const std::optional<NodeId> l = leader();
        if (!l || !servers_[*l]->raft().serving()) return nullptr;
        return servers_[*l];
    }

    // ---- Clients ------------------------------------------------------------------------

    system::store::ClientOptions client_options() const {
        system::store::ClientOptions o;
        o.nodes = cluster_.size();
        o.deadline = Duration::millis(700);  // a leader change (election timeout + vote) may exceed it
        o.attempt_timeout = std::max(Duration::millis(150), cluster_.scenario().cluster.heartbeat * 4);
        return o;
    }

    int64_t now_ns() const { return (cluster_.sim().now() - Time::zero()).ns(); }

    void client(sim::Env& env, int c) {
        const Scenario& s = cluster_.scenario();
        system::store::StoreClient client(env, cluster_.network(), cluster_.size() + static_cast<NodeId>(c),
                                          client_options());
        ClientView view;
        const Duration mean = Duration::nanos(static_cast<int64_t>(1e9 / s.workload.rate));
        for (;;) {
            env.sleep(env.rng().exponential(mean) + Duration::micros(1));
            const std::string stream = "s" + std::to_string(env.rng().below(static_cast<uint64_t>(s.workload.streams)));
            if (env.rng().chance(s.workload.read_fraction)) {
                read(env, client, c, view, stream);
            } else {
                append(env, client, c, view, stream);
            }
        }
    }

    Expected choose_expected(sim::Env& env, const ClientView& view, const std::string& stream) const {
        const double r = env.rng().unit();
        const auto known = view.known.find(stream);
        const int64_t version = known == view.known.end() ? -1 : known->second;
        if (r < 0.35) return Expected::any();
        if (r < 0.80) return Expected::exact(version);
        if (r < 0.90) return Expected::no_stream();
        return Expected::stream_exists();
    }

    void append(sim::Env& env, system::store::StoreClient& client, int c, ClientView& view, const std::string& stream) {
        AppendCommand cmd;
        cmd.stream = stream;
        cmd.expected = choose_expected(env, view, stream);
        const uint64_t n = 1 + env.rng().below(3);
        for (uint64_t k = 0; k < n; ++k) {
            system::store::EventData e;
            e.id = "c" + std::to_string(c + 1) + "-" + std::to_string(++view.next_event);
            e.data.resize(8 + env.rng().below(24));
            for (uint8_t& b : e.data) b = static_cast<uint8_t>(env.rng().next_u64());
            cmd.events.push_back(std::move(e));
        }
        // An at-least-once producer: an append that ended indeterminate is sent again, as a new
        // call with the same events, until it has an answer. Event-id idempotency must turn every
        // resend of an applied append into a replay of its original positions.
        for (int call = 0; call < k_resends_max; ++call) {
            if (append_once(client, c, view, cmd) != Outcome::indeterminate) return;
        }
    }

    Outcome append_once(system::store::StoreClient& client, int c, ClientView& view, const AppendCommand& cmd) {
        json ids = json::array();
        for (const auto& e : cmd.events) ids.push_back(e.id);
        const json invoke = {{"expected", expected_json(cmd.expected)}, {"events", ids}};
        history_.invoke(c, "append", cmd.stream, invoke, now_ns());
        const CallResult r = client.append(cmd);
        ++calls_[static_cast<size_t>(r.outcome)];
        if (r.outcome == Outcome::ok) {
            history_.complete(c, lin::EventType::ok, "append", cmd.stream,
                              {{"first", r.response.result.first}, {"last", r.response.result.last}}, now_ns());
            view.known[cmd.stream] = std::max(view.known[cmd.stream], r.response.result.last);
            store_.acknowledged(properties::store::Acknowledged{static_cast<NodeId>(cluster_.size() + static_cast<size_t>(c)),
                                                                "c" + std::to_string(c + 1), cmd, r.response.result});
            return r.outcome;
        }
        history_.complete(c, history_type(r.outcome), "append", cmd.stream, invoke, now_ns());
        if (r.response.status == system::store::ClientStatus::wrong_expected_version) {
            view.known[cmd.stream] = r.response.result.actual_version;
        }
        return r.outcome;
    }

    void read(sim::Env& env, system::store::StoreClient& client, int c, ClientView& view, const std::string& stream) {
        const auto known = view.known.find(stream);
        const int64_t version = known == view.known.end() ? -1 : known->second;
        // Mostly the tail, where a stale read would show; sometimes anywhere.
        const int64_t from = env.rng().chance(0.75)
                                 ? std::max<int64_t>(0, version - static_cast<int64_t>(env.rng().below(4)))
                                 : static_cast<int64_t>(env.rng().below(static_cast<uint64_t>(version + 2)));
        history_.invoke(c, "read", stream, {{"from", from}, {"max", k_read_max}}, now_ns());
        const CallResult r = client.read(stream, from, k_read_max, cluster_.scenario().workload.reads_anywhere);
        ++reads_[static_cast<size_t>(r.outcome)];
        if (r.outcome != Outcome::ok) {
            history_.complete(c, lin::EventType::fail, "read", stream, {{"from", from}, {"max", k_read_max}}, now_ns());
            return;
        }
        json ids = json::array();
        for (const auto& e : r.response.events) ids.push_back(e.id);
        history_.complete(c, lin::EventType::ok, "read", stream, ids, now_ns());
        if (r.response.events.size() < k_read_max) view.known[stream] = from + static_cast<int64_t>(r.response.events.size()) - 1;
    }

    // Follows the all-stream from position 0 (catch-up, then live); what it reads is checked
    // against the committed log at the end (store.durability).
    void subscribe(sim::Env& env) {
        const auto self = static_cast<NodeId>(cluster_.size() + static_cast<size_t>(cluster_.scenario().workload.clients) + 1);
        system::store::StoreClient client(env, cluster_.network(), self, client_options());
        system::store::Subscription sub(env, client, 0);
        for (;;) {
            const system::store::Subscription::Batch b = sub.next(env.now() + Duration::seconds(1));
            if (!b.error.empty()) {
                store_.subscription_broken(self, "the subscriber", b.error);
                return;
            }
            for (const auto& e : b.events) store_.subscribed(self, "the subscriber", e);
            subscribed_ = sub.position();
        }
    }

    // ---- Liveness -----------------------------------------------------------------------

    // From the last heal on, appends one event until it commits.
    void probe(sim::Env& env) {
        const Time heal = cluster_.heal_all_at();
        if (heal > cluster_.sim().now()) env.sleep(heal - cluster_.sim().now());
        system::store::StoreClient client(env, cluster_.network(),
                                          cluster_.size() + static_cast<NodeId>(cluster_.scenario().workload.clients),
                                          client_options());
        const int process = cluster_.scenario().workload.clients;
        for (int k = 1;; ++k) {
            AppendCommand cmd;
            cmd.stream = "probe";
            cmd.events.push_back(system::store::EventData{"probe-" + std::to_string(k), {1}});
            const json invoke = {{"expected", "any"}, {"events", {cmd.events[0].id}}};
            history_.invoke(process, "append", cmd.stream, invoke, now_ns());
            const CallResult r = client.append(cmd);
            probe_error_ = r.error;
            if (r.outcome == Outcome::ok) {
                history_.complete(process, lin::EventType::ok, "append", cmd.stream,
                                  {{"first", r.response.result.first}, {"last", r.response.result.last}}, now_ns());
                probe_committed_ = cluster_.sim().now();
                return;
            }
            history_.complete(process, history_type(r.outcome), "append", cmd.stream, invoke, now_ns());
        }
    }

    void check_liveness(const StoreServer* final_leader) {
        if (!liveness_applies()) return;
        const Time healed = std::max(cluster_.injector().last_heal(), Time::zero());
        const std::string since = "after the last heal at " + sim::format_duration(healed - Time::zero());
        if (enabled("liveness.commit") && !probe_committed_) {
            cluster_.sim().fail("liveness.commit", "probe",
                                "no probe append committed in the quiet period " + since + " (last: " + probe_error_ + ")");
            return;
        }
        if (!enabled("liveness.leader")) return;
        size_t followers = 0;
        for (NodeId i = 0; i < servers_.size(); ++i) {
            const StoreServer* s = servers_[i];
            if (s && final_leader && s->raft().term() == final_leader->raft().term() &&
                s->raft().leader() == std::optional<NodeId>(node_of(final_leader))) {
                ++followers;
            }
        }
        if (!final_leader || followers < cluster_.size() / 2 + 1) {
            cluster_.sim().fail("liveness.leader", final_leader ? name(final_leader) : "-",
                                "no leader with a majority at the end of the quiet period " + since + ":" + node_states());
        }
    }

    // ---- The history --------------------------------------------------------------------

    void check_history() {
        lin::Parsed<std::vector<lin::Operation>> ops = lin::pair_events(history_.events());
        if (!ops) {
            cluster_.sim().fail("store.linearizable", "-",
                                "the history is malformed at line " + std::to_string(ops.error().line) + ": " +
                                    ops.error().what);
            return;
        }
        lin::CheckOptions o;
        o.model = lin::ModelKind::stream;
        o.initial = nullptr;
        uint64_t polls = 0;
        o.should_stop = [&polls] { return ++polls > k_check_polls_max; };
        const lin::Parsed<lin::CheckReport> report = lin::check_operations(ops.value(), o);
        if (!report) {
            cluster_.sim().fail("store.linearizable", "-", "history line " + std::to_string(report.error().line) +
                                                               ": " + report.error().what);
            return;
        }
        linearizability_ = lin::verdict_name(report.value().verdict);
        if (report.value().verdict != lin::Verdict::not_linearizable) return;
        std::string evidence = "the clients' history is not linearizable:";
        for (size_t i = 0; i < report.value().details.size() && i < 12; ++i) evidence += "\n    " + report.value().details[i];
        cluster_.sim().fail("store.linearizable", "-", evidence);
    }

    void summarize(RunResult& r, const StoreServer* final_leader) const {
        uint64_t elections = 0, leaderships = 0, holes = 0, repaired = 0, torn = 0;
        for (const StoreServer* s : servers_) {
            if (!s) continue;
            elections += s->raft().stats().elections;
            leaderships += s->raft().stats().leaderships;
            holes += s->raft().stats().holes_recovered;
            repaired += s->raft().stats().holes_repaired;
            torn += s->raft().stats().torn_tails;
        }
        r.summary.push_back("store: appends ok=" + std::to_string(calls_[0]) + " fail=" + std::to_string(calls_[1]) +
                            " info=" + std::to_string(calls_[2]) + " reads ok=" + std::to_string(reads_[0]) +
                            " fail=" + std::to_string(reads_[1] + reads_[2]) + " committed_appends=" +
                            std::to_string(store_.committed_appends()) + " subscriber_at=" + std::to_string(subscribed_) +
                            " linearizable=" + linearizability_);
        r.summary.push_back(
            "raft: leader=" + (final_leader ? name(final_leader) + "/t" + std::to_string(final_leader->raft().term().value)
                                            : std::string("none")) +
            " commit=" + (final_leader ? std::to_string(final_leader->raft().commit_index().value) : std::string("-")) +
            " probe=" +
            (probe_committed_ ? sim::format_duration(*probe_committed_ - cluster_.heal_all_at()) + " after heal"
                              : std::string(liveness_applies() ? "none" : "off")) +
            " (live incarnations: elections=" + std::to_string(elections) + " leaderships=" +
            std::to_string(leaderships) + " holes_recovered=" + std::to_string(holes) + " repaired=" +
            std::to_string(repaired) + " torn_tails=" + std::to_string(torn) + ")");
        if (!final_leader) r.summary.push_back("store: not serving at the end:" + node_states());
    }

    // Each node's role and term, and why it holds back if it does.
    std::string node_states() const {
        std::string out;
        for (NodeId i = 0; i < servers_.size(); ++i) {
            const StoreServer* s = servers_[i];
            out += " " + cluster_.sim().node(i).name() + "=";
            if (!s) {
                out += "down";
                continue;
            }
            out += std::string(to_string(s->raft().role())) + "/t" + std::to_string(s->raft().term().value);
            if (const char* why = s->raft().abstaining()) out += " (abstains: " + std::string(why) + ")";
            if (s->raft().holes() > 0) out += " (" + std::to_string(s->raft().holes()) + " corrupt entries awaiting repair)";
        }
        return out;
    }

    Cluster cluster_;
    RunOptions options_;
    StoreBugs bugs_;
    std::vector<StoreServer*> servers_;
    properties::raft::RaftSafety raft_;
    properties::store::StoreChecker store_;
    bool raft_on_ = true;
    std::set<std::string> enabled_;
    lin::HistoryRecorder history_;
    std::array<uint64_t, 3> calls_{}, reads_{};
    std::optional<Time> probe_committed_;
    uint64_t subscribed_ = 0;  // the subscriber's position in the all-stream
    std::string probe_error_;
    std::string linearizability_ = "unchecked";
};

}  // namespace

const std::vector<std::string>& store_properties() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v = properties::raft::RaftSafety::property_names();
        for (const std::string& p : properties::store::StoreChecker::property_names()) v.push_back(p);
        v.insert(v.end(), {"store.linearizable", "liveness.leader", "liveness.commit"});
        return v;
    }();
    return names;
}

RunResult run_store(const Scenario& scenario, const RunOptions& options, const StoreBugs& bugs) {
    return StoreRun(scenario, options, bugs).run();
}

}  // namespace stormlog::scenarios
