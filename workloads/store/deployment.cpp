#include "workloads/store/deployment.hpp"

#include <algorithm>

#include "faults/catalogue.hpp"
#include "properties/catalogue.hpp"
#include "sim/env.hpp"
#include "system/store/buggify.hpp"

namespace stormlog::workloads {
namespace {

using sim::NodeId;
using system::store::StoreServer;

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

bool on(const std::set<std::string>& enabled, const std::string& p) {
    return enabled.empty() || enabled.count(p) > 0;
}

}  // namespace

StoreDeployment::StoreDeployment(Cluster& cluster, const StoreBugs& bugs,
                                 const std::set<std::string>& enabled)
    : cluster_(&cluster),
      bugs_(bugs),
      servers_(cluster.size(), nullptr),
      started_at_(cluster.size(), sim::Time::zero()),
      raft_(
          cluster.size(),
          [this](const properties::raft::Violation& v) { violate(v.property, v.node, v.evidence); },
          [this](NodeId n) { return cluster_->sim().node(n).name(); }),
      store_(
          cluster.size(),
          [this](const properties::store::Violation& v) {
              violate(v.property, v.node, v.evidence);
          },
          [this](NodeId n) { return cluster_->sim().node(n).name(); }),
      backoff_(client_options()) {
    std::vector<std::string> raft_on, store_on;
    for (const std::string& p : properties::raft::RaftSafety::property_names()) {
        if (on(enabled, p)) raft_on.push_back(p);
    }
    for (const std::string& p : properties::store::StoreChecker::property_names()) {
        if (on(enabled, p)) store_on.push_back(p);
    }
    raft_.enable(raft_on);
    raft_.set_clock([this] { return cluster_->sim().now(); });
    store_.enable(store_on);
    // liveness.stable_leader counts elections on the same tap; liveness.no_disruption watches
    // campaigns on it.
    disruption_on_ = on(enabled, properties::property::liveness_no_disruption.name);
    raft_on_ = !raft_on.empty() || disruption_on_ ||
               on(enabled, properties::property::liveness_stable_leader.name);
    if (disruption_on_) {
        raft_.set_campaign_hook(
            [this](NodeId c, system::store::Term t) { check_disruption(c, t); });
        raft_.set_step_down_hook([this](NodeId, system::store::Term t) {
            stepped_down_[t.value] = cluster_->sim().now();
        });
    }
    listeners_.push_back(&store_);
    if (system::monitoring::Recording* r = cluster.recording())
        tap_ = std::make_unique<RecordingTap>(raft_on_ ? &raft_ : nullptr, cluster.sim(), *r);
    sim::Simulation& sim = cluster.sim();
    for (NodeId i = 0; i < cluster.size(); ++i) {
        sim.start(
            sim.add_process(sim.node(i), "store", [this, i](sim::Env& env) { serve(env, i); }));
    }
}

void StoreDeployment::violate(const std::string& property, NodeId node,
                              const std::string& evidence) {
    cluster_->sim().fail(property, cluster_->sim().node(node).name(), evidence);
}

void StoreDeployment::on_store_apply(NodeId node, system::store::Index index,
                                     const system::store::AppendCommand& command,
                                     const system::store::AppendResult& result) {
    for (system::store::StoreObserver* o : listeners_)
        o->on_store_apply(node, index, command, result);
}

void StoreDeployment::serve(sim::Env& env, NodeId i) {
    const Scenario& s = cluster_->scenario();
    system::store::StoreServerConfig config;
    config.raft.self = i;
    config.raft.nodes = cluster_->size();
    config.raft.heartbeat = s.cluster.heartbeat;
    config.raft.election_min = s.cluster.election_timeout_min;
    config.raft.election_max = s.cluster.election_timeout_max;
    config.raft.snapshot_every = static_cast<size_t>(s.cluster.snapshot_every);
    config.raft.bootstrap = env.incarnation() == 1;
    config.raft.bugs = bugs_.raft;
    config.raft.storage = bugs_.storage;
    config.store = bugs_.state;
    config.bug_replay_answered_as_conflict = bugs_.replay_answered_as_conflict;
    config.decode_cache = &decode_cache_;
    started_at_[i] = cluster_->sim().now();
    StoreServer server(env, cluster_->network(), cluster_->disk(i), config,
                       tap_       ? static_cast<system::store::Observer*>(tap_.get())
                       : raft_on_ ? &raft_
                                  : nullptr,
                       this);
    Registration registration(servers_[i], server);
    server.run();
}

std::optional<NodeId> StoreDeployment::leader() const {
    std::optional<NodeId> best;
    for (NodeId i = 0; i < servers_.size(); ++i) {
        const StoreServer* s = servers_[i];
        if (!s || !s->raft().is_leader()) continue;
        if (!best || s->raft().term() > servers_[*best]->raft().term()) best = i;
    }
    return best;
}

const StoreServer* StoreDeployment::serving_leader() const {
    const std::optional<NodeId> l = leader();
    if (!l || !servers_[*l]->raft().serving()) return nullptr;
    return servers_[*l];
}

NodeId StoreDeployment::node_of(const StoreServer* s) const {
    for (NodeId i = 0; i < servers_.size(); ++i) {
        if (servers_[i] == s) return i;
    }
    return 0;
}

std::string StoreDeployment::name(const StoreServer* s) const {
    return cluster_->sim().node(node_of(s)).name();
}

size_t StoreDeployment::followers_of(const StoreServer* leader) const {
    if (!leader) return 0;
    size_t n = 0;
    for (const StoreServer* s : servers_) {
        if (s && s->raft().term() == leader->raft().term() &&
            s->raft().leader() == std::optional<NodeId>(node_of(leader))) {
            ++n;
        }
    }
    return n;
}

void StoreDeployment::check_stable_leader() {
    const Scenario& s = cluster_->scenario();
    const bool faults = !s.faults.empty() || s.nemesis.enabled;
    const sim::Time from = faults ? cluster_->heal_all_at() : sim::Time::zero();
    const size_t elected = raft_.elections_since(from);
    // Without faults the first leader keeps its term to the end: no node campaigned again.
    uint64_t term_max = 0;
    for (const StoreServer* srv : servers_) {
        if (srv) term_max = std::max(term_max, srv->raft().term().value);
    }
    const std::optional<uint64_t> first = raft_.first_term_led();
    if (!faults && elected == 1 && first && term_max > *first) {
        cluster_->sim().fail(properties::property::liveness_stable_leader.name, "-",
                             "in a run without faults the leader of term " +
                                 std::to_string(*first) + " was deposed: nodes reached term " +
                                 std::to_string(term_max) + ":" + node_states());
        return;
    }
    if (elected <= 1) return;
    cluster_->sim().fail(
        properties::property::liveness_stable_leader.name, "-",
        std::to_string(elected) + " leaders were elected " +
            (faults ? "after the last heal at " + sim::format_duration(from - sim::Time::zero())
                    : std::string("in a run without faults")) +
            ": an election deposed a healthy leader (a rejoining node, a spurious timeout)");
}

void StoreDeployment::check_client_backoff() {
    if (const std::optional<std::string> why = backoff_.verdict())
        cluster_->sim().fail(properties::property::client_backoff.name, "-", *why);
}

// Faults on the network as a whole (loss, latency, partitions that split every node's links)
// touch every node; the others touch their targets.
std::vector<bool> StoreDeployment::disturbed_since(sim::Time from) const {
    const faults::Injector& injector = cluster_->injector();
    std::vector<bool> out = injector.faulty_nodes();
    out.resize(cluster_->size(), false);
    for (const faults::AppliedFault& f : injector.applied()) {
        if (std::max(f.healed_at, f.at) < from) continue;
        const faults::FaultKindInfo* kind = faults::find_kind(f.kind);
        SL_ASSERT(kind);  // the injector applies only catalogued kinds
        if (kind->category == faults::Category::application) continue;
        const bool targeted = kind->category != faults::Category::network || f.kind == "isolate" ||
                              f.kind == "partition-one-way" || f.kind == "clog";
        if (!targeted || f.kind == "power-loss") {
            std::fill(out.begin(), out.end(), true);
            return out;
        }
        for (NodeId t : f.targets) {
            if (t < out.size()) out[t] = true;
        }
    }
    return out;
}

// A healthy leader: it won its term two election timeouts ago, and since then no fault touched it
// or enough other nodes to leave it without an undisturbed majority, BUGGIFY did not make it step
// down, and nothing was wrong with the network as a whole. Its followers in that majority hear its
// heartbeats, so they refuse every pre-vote (leader stickiness): no node should reach a higher
// term.
void StoreDeployment::check_disruption(NodeId candidate, system::store::Term term) {
    sim::Simulation& sim = cluster_->sim();
    if (sim.failed()) return;
    const auto leader = raft_.latest_leader();
    if (!leader || term.value <= leader->term) return;  // a stale campaign: it cannot win
    const sim::Duration window = cluster_->scenario().cluster.election_timeout_max * 2;
    const sim::Time now = sim.now();
    if (now - leader->elected < window) return;
    // It must have led through the window: one that stepped down before it (a fault that ended
    // just before it may have cost it its quorum), or crashed since it won (a restart is a
    // follower), leaves a cluster that must elect again.
    if (const auto down = stepped_down_.find(leader->term);
        down != stepped_down_.end() && down->second < now - window)
        return;
    if (started_at_[leader->node] > leader->elected) return;
    // A leader BUGGIFY makes step down is deposed by design (an early election timeout is not
    // an excuse: PreVote and stickiness must absorb it). BUGGIFY is off from the heal on.
    if (sim.buggify().active(system::store::buggify::leader_steps_down) &&
        now - window < cluster_->heal_all_at())
        return;
    const std::vector<bool> disturbed = disturbed_since(now - window);
    if (disturbed[leader->node]) return;
    const size_t calm = static_cast<size_t>(std::count(disturbed.begin(), disturbed.end(), false));
    if (calm < cluster_->size() / 2 + 1) return;
    sim.fail(properties::property::liveness_no_disruption.name, sim.node(candidate).name(),
             sim.node(candidate).name() + " started an election for term " +
                 std::to_string(term.value) + " while " + sim.node(leader->node).name() +
                 ", leader of term " + std::to_string(leader->term) + " since " +
                 sim::format_duration(leader->elected - sim::Time::zero()) + ", and " +
                 std::to_string(calm) + " of " + std::to_string(cluster_->size()) +
                 " nodes had run without a fault for " + sim::format_duration(window) + ":" +
                 node_states());
}

bool StoreDeployment::awaits_repair(sim::NodeId n) const {
    const StoreServer* s = servers_.at(n);
    if (!s) return true;
    return s->raft().abstaining() != nullptr || s->raft().holes() > 0 || s->raft().has_gap();
}

std::string StoreDeployment::node_states() const {
    std::string out;
    for (NodeId i = 0; i < servers_.size(); ++i) {
        const StoreServer* s = servers_[i];
        out += " " + cluster_->sim().node(i).name() + "=";
        if (!s) {
            out += "down";
            continue;
        }
        out += std::string(to_string(s->raft().role())) + "/t" +
               std::to_string(s->raft().term().value);
        if (const char* why = s->raft().abstaining())
            out += " (abstains: " + std::string(why) + ")";
        if (s->raft().holes() > 0)
            out += " (" + std::to_string(s->raft().holes()) + " corrupt entries awaiting repair)";
    }
    return out;
}

std::string StoreDeployment::raft_summary(const std::string& probe) const {
    uint64_t elections = 0, leaderships = 0, holes = 0, repaired = 0, torn = 0;
    for (const StoreServer* s : servers_) {
        if (!s) continue;
        elections += s->raft().stats().elections;
        leaderships += s->raft().stats().leaderships;
        holes += s->raft().stats().holes_recovered;
        repaired += s->raft().stats().holes_repaired;
        torn += s->raft().stats().torn_tails;
    }
    const StoreServer* l = serving_leader();
    return "raft: leader=" +
           (l ? name(l) + "/t" + std::to_string(l->raft().term().value) : std::string("none")) +
           " commit=" + (l ? std::to_string(l->raft().commit_index().value) : std::string("-")) +
           " probe=" + probe + " (live incarnations: elections=" + std::to_string(elections) +
           " leaderships=" + std::to_string(leaderships) +
           " holes_recovered=" + std::to_string(holes) + " repaired=" + std::to_string(repaired) +
           " torn_tails=" + std::to_string(torn) + ")";
}

system::store::ClientOptions StoreDeployment::client_options() const {
    system::store::ClientOptions o;
    o.observer = &backoff_;  // the checker's own copy of these options has none
    o.bugs = bugs_.client;
    o.nodes = cluster_->size();
    o.deadline =
        sim::Duration::millis(700);  // a leader change (election timeout + vote) may exceed it
    o.attempt_timeout =
        std::max(sim::Duration::millis(150), cluster_->scenario().cluster.heartbeat * 4);
    return o;
}

}  // namespace stormlog::workloads
