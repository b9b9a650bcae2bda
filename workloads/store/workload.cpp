#include "workloads/store/workload.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "properties/catalogue.hpp"
#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_recorder.hpp"
#include "properties/raft/raft_safety.hpp"
#include "properties/store/store_checker.hpp"
#include "sim/env.hpp"
#include "system/store/client.hpp"
#include "system/store/probes.hpp"
#include "system/store/server.hpp"
#include "workloads/cluster.hpp"
#include "workloads/store/deployment.hpp"

namespace stormlog::workloads {
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

// An append's value in the history, built again (not kept) for the rare call that ends without
// an answer: keeping it would cost a deep copy on every call.
json invoke_value(const AppendCommand& cmd) {
    json ids = json::array();
    for (const auto& e : cmd.events) ids.push_back(e.id);
    json value = json::object();
    value["expected"] = expected_json(cmd.expected);
    value["events"] = std::move(ids);
    return value;
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

// The refusal the store answered a call with, if it was one the stream model judges.
const char* refusal(const CallResult& r) {
    if (r.outcome != Outcome::fail) return nullptr;
    switch (r.response.status) {
        case system::store::ClientStatus::wrong_expected_version:
            return "wrong_expected_version";
        case system::store::ClientStatus::idempotency_conflict:
            return "idempotency_conflict";
        default:
            return nullptr;
    }
}

class StoreRun {
  public:
    StoreRun(const Scenario& scenario, const RunOptions& options, const StoreBugs& bugs)
        : cluster_(scenario, options, client_names(scenario)),
          options_(options),
          enabled_(scenario.properties.begin(), scenario.properties.end()),
          store_(cluster_, bugs, enabled_) {
        sim::Simulation& sim = cluster_.sim();
        for (int c = 0; c < scenario.workload.clients; ++c) {
            const NodeId node = cluster_.size() + static_cast<NodeId>(c);
            sim.start(sim.add_process(sim.node(node), "client",
                                      [this, c](sim::Env& env) { client(env, c); }));
        }
        const NodeId probe_node = cluster_.size() + static_cast<NodeId>(scenario.workload.clients);
        if (liveness_applies()) {
            sim.start(sim.add_process(sim.node(probe_node), "probe",
                                      [this](sim::Env& env) { probe(env); }));
        }
        sim.start(sim.add_process(sim.node(probe_node + 1), "subscriber",
                                  [this](sim::Env& env) { subscribe(env); }));
    }

    // Fibers unwind (and unregister their servers) while the members they use still exist.
    ~StoreRun() { cluster_.sim().shutdown(); }
    StoreRun(const StoreRun&) = delete;
    StoreRun& operator=(const StoreRun&) = delete;

    RunResult run() {
        cluster_.start_faults([this] { return store_.leader(); }, {},
                              [this](sim::NodeId n) { return store_.awaits_repair(n); });
        cluster_.sim().run_until(cluster_.end());
        const StoreServer* final_leader = store_.serving_leader();
        cluster_.sim().run_checks([&] {
            if (!failed() && enabled(properties::property::client_backoff.name))
                store_.check_client_backoff();
            if (!failed()) check_liveness(final_leader);
            if (!failed())
                checker().finish(final_leader ? &final_leader->state() : nullptr,
                                 final_leader ? store_.name(final_leader) : "");
            if (!failed() && enabled(properties::property::store_linearizable.name))
                check_history();
        });
        if (RunRecording* rec = cluster_.run_recording()) {
            if (enabled(properties::property::store_durability.name))
                rec->acked_writes_lost = checker().acknowledged_lost();
        }
        RunResult lines;  // the summary first: an assertion there fails the result below
        cluster_.sim().run_checks([&] { summarize(lines, final_leader); });
        RunResult r = cluster_.result();
        r.summary.insert(r.summary.end(), lines.summary.begin(), lines.summary.end());
        if (options_.keep_history) r.history = history_.to_jsonl();
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
    properties::store::StoreChecker& checker() { return store_.store_checker(); }

    // ---- Clients ------------------------------------------------------------------------

    system::store::ClientOptions client_options() const { return store_.client_options(); }

    int64_t now_ns() const { return (cluster_.sim().now() - Time::zero()).ns(); }

    void client(sim::Env& env, int c) {
        const Scenario& s = cluster_.scenario();
        system::store::StoreClient client(
            env, cluster_.network(), cluster_.size() + static_cast<NodeId>(c), client_options());
        ClientView view;
        const Duration mean = Duration::nanos(static_cast<int64_t>(1e9 / s.workload.rate));
        for (;;) {
            env.sleep(env.rng().exponential(mean) + Duration::micros(1));
            const std::string stream =
                "s" + std::to_string(env.rng().below(static_cast<uint64_t>(s.workload.streams)));
            if (env.rng().chance(s.workload.read_fraction)) {
                read(env, client, c, view, stream);
            } else {
                append(env, client, c, view, stream);
            }
        }
    }

    Expected choose_expected(sim::Env& env, const ClientView& view,
                             const std::string& stream) const {
        const double r = env.rng().unit();
        const auto known = view.known.find(stream);
        const int64_t version = known == view.known.end() ? -1 : known->second;
        if (r < 0.35) return Expected::any();
        if (r < 0.80) return Expected::exact(version);
        if (r < 0.90) return Expected::no_stream();
        return Expected::stream_exists();
    }

    void append(sim::Env& env, system::store::StoreClient& client, int c, ClientView& view,
                const std::string& stream) {
        AppendCommand cmd;
        cmd.stream = stream;
        cmd.expected = choose_expected(env, view, stream);
        const uint64_t n = 1 + env.rng().below(3);
        for (uint64_t k = 0; k < n; ++k) {
            system::store::EventData e;
            e.id = "c" + std::to_string(c + 1) + "-" + std::to_string(++view.next_event);
            const WorkloadSpec& w = cluster_.scenario().workload;
            const auto lo = static_cast<uint64_t>(w.event_bytes_min);
            const auto hi = static_cast<uint64_t>(w.event_bytes_max);
            e.data.resize(lo + env.rng().below(hi - lo + 1));
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

    // A client call for the run's report (RunOptions::record).
    void record_op(Time start, Outcome o) {
        system::monitoring::Recording* rec = cluster_.recording();
        if (!rec) return;
        using system::monitoring::OpOutcome;
        rec->op(start, cluster_.sim().now(),
                o == Outcome::ok     ? OpOutcome::ok
                : o == Outcome::fail ? OpOutcome::fail
                                     : OpOutcome::unknown);
    }

    Outcome append_once(system::store::StoreClient& client, int c, ClientView& view,
                        const AppendCommand& cmd) {
        history_.invoke(c, "append", cmd.stream, invoke_value(cmd), now_ns());
        const Time start = cluster_.sim().now();
        const CallResult r = client.append(cmd);
        ++calls_[static_cast<size_t>(r.outcome)];
        // A refusal is an answer: the store served the call.
        record_op(start, refusal(r) ? Outcome::ok : r.outcome);
        if (r.outcome == Outcome::ok) {
            json positions = json::object();
            positions["first"] = r.response.result.first;
            positions["last"] = r.response.result.last;
            history_.complete(c, lin::EventType::ok, "append", cmd.stream, std::move(positions),
                              now_ns());
            view.known[cmd.stream] = std::max(view.known[cmd.stream], r.response.result.last);
            checker().acknowledged(properties::store::Acknowledged{
                static_cast<NodeId>(cluster_.size() + static_cast<size_t>(c)),
                "c" + std::to_string(c + 1), cmd, r.response.result});
            return r.outcome;
        }
        if (const char* why = refusal(r)) {
            // A refusal is an answer the linearizability check judges: the stream must have
            // justified it at some moment of the call (model_stream.hpp).
            history_.complete(c, lin::EventType::ok, "append", cmd.stream, {{"refused", why}},
                              now_ns());
        } else {
            history_.complete(c, history_type(r.outcome), "append", cmd.stream, invoke_value(cmd),
                              now_ns());
        }
        if (r.response.status == system::store::ClientStatus::wrong_expected_version) {
            view.known[cmd.stream] = r.response.result.actual_version;
        }
        return r.outcome;
    }

    void read(sim::Env& env, system::store::StoreClient& client, int c, ClientView& view,
              const std::string& stream) {
        const auto known = view.known.find(stream);
        const int64_t version = known == view.known.end() ? -1 : known->second;
        // Mostly the tail, where a stale read would show; sometimes anywhere.
        const int64_t from =
            env.rng().chance(0.75)
                ? std::max<int64_t>(0, version - static_cast<int64_t>(env.rng().below(4)))
                : static_cast<int64_t>(env.rng().below(static_cast<uint64_t>(version + 2)));
        history_.invoke(c, "read", stream, {{"from", from}, {"max", k_read_max}}, now_ns());
        const Time start = cluster_.sim().now();
        const CallResult r =
            client.read(stream, from, k_read_max, cluster_.scenario().workload.reads_anywhere);
        ++reads_[static_cast<size_t>(r.outcome)];
        record_op(start, r.outcome);
        if (r.outcome != Outcome::ok) {
            history_.complete(c, lin::EventType::fail, "read", stream,
                              {{"from", from}, {"max", k_read_max}}, now_ns());
            return;
        }
        json ids = json::array();
        for (const auto& e : r.response.events) ids.push_back(e.id);
        history_.complete(c, lin::EventType::ok, "read", stream, std::move(ids), now_ns());
        if (r.response.events.size() < k_read_max)
            view.known[stream] = from + static_cast<int64_t>(r.response.events.size()) - 1;
    }

    // Follows the all-stream from position 0 (catch-up, then live); what it reads is checked
    // against the committed log at the end (store.durability).
    void subscribe(sim::Env& env) {
        const auto self = static_cast<NodeId>(
            cluster_.size() + static_cast<size_t>(cluster_.scenario().workload.clients) + 1);
        system::store::StoreClient client(env, cluster_.network(), self, client_options());
        system::store::Subscription sub(env, client, 0);
        for (;;) {
            const system::store::Subscription::Batch b = sub.next(env.now() + Duration::seconds(1));
            if (!b.error.empty()) {
                checker().subscription_broken(self, "the subscriber", b.error);
                return;
            }
            for (const auto& e : b.events) checker().subscribed(self, "the subscriber", e);
            subscribed_ = sub.position();
        }
    }

    // ---- Liveness -----------------------------------------------------------------------

    // From the last heal on, appends one event until it commits.
    void probe(sim::Env& env) {
        const Time heal = cluster_.heal_all_at();
        if (heal > cluster_.sim().now()) env.sleep(heal - cluster_.sim().now());
        system::store::StoreClient client(
            env, cluster_.network(),
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
                history_.complete(
                    process, lin::EventType::ok, "append", cmd.stream,
                    {{"first", r.response.result.first}, {"last", r.response.result.last}},
                    now_ns());
                probe_committed_ = cluster_.sim().now();
                return;
            }
            history_.complete(process, history_type(r.outcome), "append", cmd.stream, invoke,
                              now_ns());
        }
    }

    void check_liveness(const StoreServer* final_leader) {
        if (!liveness_applies()) return;
        const Time healed = std::max(cluster_.injector().last_heal(), Time::zero());
        const std::string since =
            "after the last heal at " + sim::format_duration(healed - Time::zero());
        if (enabled(properties::property::liveness_commit.name) && !probe_committed_) {
            cluster_.sim().fail(properties::property::liveness_commit.name, "probe",
                                "no probe append committed in the quiet period " + since +
                                    " (last: " + probe_error_ + ")");
            return;
        }
        if (enabled(properties::property::liveness_stable_leader.name)) {
            store_.check_stable_leader();
            if (cluster_.sim().failed()) return;
        }
        if (!enabled(properties::property::liveness_leader.name)) return;
        const size_t followers = store_.followers_of(final_leader);
        if (!final_leader || followers < cluster_.size() / 2 + 1) {
            cluster_.sim().fail(properties::property::liveness_leader.name,
                                final_leader ? store_.name(final_leader) : "-",
                                "no leader with a majority at the end of the quiet period " +
                                    since + ":" + store_.node_states());
        }
    }

    // ---- The history --------------------------------------------------------------------

    void check_history() {
        // The history is consumed by the check unless it is still to be written out.
        lin::Parsed<std::vector<lin::Operation>> ops =
            options_.keep_history ? lin::pair_events(history_.events())
                                  : lin::pair_events(history_.take_events());
        if (!ops) {
            cluster_.sim().fail(properties::property::store_linearizable.name, "-",
                                "the history is malformed at line " +
                                    std::to_string(ops.error().line) + ": " + ops.error().what);
            return;
        }
        lin::CheckOptions o;
        o.model = lin::ModelKind::stream;
        o.initial = nullptr;
        uint64_t polls = 0;
        o.should_stop = [&polls] { return ++polls > k_check_polls_max; };
        const lin::Parsed<lin::CheckReport> report = lin::check_operations(ops.value(), o);
        if (!report) {
            cluster_.sim().fail(
                properties::property::store_linearizable.name, "-",
                "history line " + std::to_string(report.error().line) + ": " + report.error().what);
            return;
        }
        linearizability_ = lin::verdict_name(report.value().verdict);
        if (report.value().verdict != lin::Verdict::not_linearizable) return;
        std::string evidence = "the clients' history is not linearizable:";
        for (size_t i = 0; i < report.value().details.size() && i < 12; ++i)
            evidence += "\n    " + report.value().details[i];
        cluster_.sim().fail(properties::property::store_linearizable.name, "-", evidence);
    }

    void summarize(RunResult& r, const StoreServer* final_leader) {
        r.summary.push_back(
            "store: appends ok=" + std::to_string(calls_[0]) +
            " fail=" + std::to_string(calls_[1]) + " info=" + std::to_string(calls_[2]) +
            " reads ok=" + std::to_string(reads_[0]) +
            " fail=" + std::to_string(reads_[1] + reads_[2]) +
            " committed_appends=" + std::to_string(checker().committed_appends()) +
            " subscriber_at=" + std::to_string(subscribed_) + " linearizable=" + linearizability_);
        r.summary.push_back(store_.raft_summary(
            probe_committed_
                ? sim::format_duration(*probe_committed_ - cluster_.heal_all_at()) + " after heal"
                : std::string(liveness_applies() ? "none" : "off")));
        if (!final_leader)
            r.summary.push_back("store: not serving at the end:" + store_.node_states());
    }

    Cluster cluster_;
    RunOptions options_;
    std::set<std::string> enabled_;
    StoreDeployment store_;
    lin::HistoryRecorder history_;
    std::array<uint64_t, 3> calls_{}, reads_{};
    std::optional<Time> probe_committed_;
    uint64_t subscribed_ = 0;  // the subscriber's position in the all-stream
    std::string probe_error_;
    std::string linearizability_ = "unchecked";
};

}  // namespace

const Workload& store_workload() {
    static const Workload w = [] {
        Workload d{
            .name = "store",
            .summary = "clients append to and read streams of the Raft-replicated event store",
            .properties = {},
            .settings = {"clients", "rate", "streams", "read_fraction", "reads", "event_bytes"},
            .application_faults = {},
            .records_history = true,
            .has_leader = true,
            .probes = {},
            .run = [](const Scenario& s,
                      const RunOptions& options) { return run_store(s, options); },
        };
        for (const std::string& p : properties::raft::RaftSafety::property_names())
            d.properties.push_back(catalogued(p));
        for (const std::string& p : properties::store::StoreChecker::property_names())
            d.properties.push_back(catalogued(p));
        using namespace properties::property;
        d.properties.insert(
            d.properties.end(),
            {store_linearizable.name, client_backoff.name, liveness_leader.name,
             liveness_commit.name, liveness_stable_leader.name, liveness_no_disruption.name});
        d.probes.assign(system::store::probes::all.begin(), system::store::probes::all.end());
        return d;
    }();
    return w;
}

RunResult run_store(const Scenario& scenario, const RunOptions& options, const StoreBugs& bugs) {
    return StoreRun(scenario, options, bugs).run();
}

}  // namespace stormlog::workloads
