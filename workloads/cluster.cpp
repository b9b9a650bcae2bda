#include "workloads/cluster.hpp"

#include <map>

#include "sim/assert.hpp"

namespace stormlog::workloads {
namespace {

sim::SimulationOptions cluster_options(const Scenario& scenario, const RunOptions& options) {
    sim::SimulationOptions o = simulation_options(options);
    o.buggify = scenario.buggify;
    return o;
}

bool corrupts_disk(const std::string& kind) {
    return kind == "bit-rot" || kind == "misdirected-write" || kind == "latent-error" ||
           kind == "wipe-disk";
}

}  // namespace

Cluster::Cluster(const Scenario& scenario, const RunOptions& options,
                 const std::vector<std::string>& clients)
    : scenario_(scenario),
      sim_(std::make_unique<sim::Simulation>(cluster_options(scenario, options))) {
    for (int i = 0; i < scenario.cluster.nodes; ++i) sim_->add_node("n" + std::to_string(i + 1));
    for (const std::string& c : clients) sim_->add_node(c);
    network_ = std::make_unique<sim::Network>(*sim_, scenario.network);
    for (int i = 0; i < scenario.cluster.nodes; ++i) {
        sim::Node& node = sim_->node(static_cast<sim::NodeId>(i));
        disks_.push_back(
            std::make_unique<sim::Disk>(*sim_, node.id(), node.rng().fork("disk"), scenario.disk));
    }
    // A node crash is a power loss: its disk keeps only what its fault model says survived.
    disk_listener_ = sim_->add_node_crash_listener([this](sim::Node& n) {
        if (n.id() < disks_.size()) disks_[n.id()]->crash();
    });
    if (options.record) start_recording();
}

void Cluster::start_recording() {
    recording_ = std::make_shared<RunRecording>();
    recording_->cluster_nodes = disks_.size();
    recording_->heal_all_at = heal_all_at();
    for (const auto& node : sim_->nodes()) {
        recording_->nodes.push_back(node->name());
        node_tracks_.push_back(
            recording_->data.add_track("nodes", node->name(), sim::Time::zero(), "crashed"));
    }
    sim_->set_process_listener([this](const sim::Process& p, sim::Simulation::ProcessEvent) {
        record_node_state(p.node().id());
    });
}

// Up while some process of the node runs unpaused; paused while all that run are paused;
// crashed while none runs.
void Cluster::record_node_state(sim::NodeId n) {
    bool running = false;
    bool unpaused = false;
    for (const auto& p : sim_->node(n).processes()) {
        if (p->state() != sim::Process::State::running) continue;
        running = true;
        unpaused = unpaused || !p->paused();
    }
    const char* state = !running ? "crashed" : unpaused ? "up" : "paused";
    system::monitoring::Recording& r = recording_->data;
    r.set_state(node_tracks_.at(n), sim_->now(), state);
    if (!running) r.leader_ended(n, sim_->now());  // a crash ends a leadership unreported
}

Cluster::~Cluster() {
    // Fibers unwind while the network and disks they use still exist.
    sim_->shutdown();
    injector_.reset();
    sim_->remove_node_crash_listener(disk_listener_);
}

void Cluster::start_faults(std::function<std::optional<sim::NodeId>()> leader,
                           std::function<bool(faults::FaultSpec&, bool)> application,
                           std::function<bool(sim::NodeId)> awaits_repair) {
    faults::World world;
    world.sim = sim_.get();
    world.network = network_.get();
    for (auto& d : disks_) world.disks.push_back(d.get());
    world.link_defaults = scenario_.network;
    world.leader = std::move(leader);
    world.nodes = disks_.size();
    world.application = std::move(application);
    world.awaits_repair = std::move(awaits_repair);
    if (recording_) {
        world.on_fault = [this](size_t index, bool healed) {
            system::monitoring::Recording& r = recording_->data;
            if (!healed) {
                const size_t window = r.open_window(sim_->now());
                // One window per applied fault, in the same order (until the windows' budget).
                SL_ASSERT(window == index || window == system::monitoring::Recording::k_no_window);
            } else {
                r.close_window(
                    index < r.windows().size() ? index : system::monitoring::Recording::k_no_window,
                    sim_->now());
            }
        };
    }
    injector_ = std::make_unique<faults::Injector>(
        std::move(world), scenario_.faults, scenario_.nemesis, scenario_.budget, heal_all_at());
    injector_->start();
    // The quiet period judges liveness: the system behaves in it, as it does in FoundationDB's.
    if (sim_->buggify().enabled() && heal_all_at() < end()) {
        sim_->schedule_at(heal_all_at(), [this] { sim_->buggify().disable(); });
    }
}

sim::Time Cluster::heal_all_at() const {
    if (scenario_.budget == Budget::beyond) return sim::Time::max();
    return end() - scenario_.quiet_period;
}

bool Cluster::had_corrupting_fault(sim::NodeId n, sim::Time at) const {
    if (!injector_) return false;
    for (const faults::AppliedFault& f : injector_->applied()) {
        if (f.at > at || !corrupts_disk(f.kind)) continue;
        for (sim::NodeId t : f.targets) {
            if (t == n) return true;
        }
    }
    return false;
}

std::vector<faults::FaultSpec> Cluster::explicit_faults() const {
    std::vector<faults::FaultSpec> out;
    for (const faults::AppliedFault& f : injector_->applied()) {
        faults::FaultSpec spec = f.spec;
        if (spec.duration.ns() > 0) {
            // Healed when it did; one still active when the run stopped lasts as asked, within
            // the run (and the budget's heal).
            sim::Time healed = f.healed_at;
            if (healed == sim::Time::max()) healed = std::min(f.at + spec.duration, heal_all_at());
            healed = std::min(healed, end());
            spec.duration = std::max(sim::Duration::nanos(1), healed - f.at);
        }
        out.push_back(std::move(spec));
    }
    return out;
}

RunResult Cluster::result() const {
    RunResult r;
    r.scenario = scenario_.name;
    r.seed = sim_->seed();
    r.pass = !sim_->failed();
    r.hash = sim_->trace().hash();
    r.sim_time = sim_->now();
    r.events = sim_->events();
    r.failures = sim_->failures();
    r.probes = sim_->probe_hits().sorted();
    if (recording_) {
        // The recording is handed out whole: what follows (the processes stopping as the run is
        // torn down) is not part of the run.
        sim_->set_process_listener(nullptr);
        recording_->end = sim_->now();
        recording_->data.series().extend_to(sim_->now());
        if (injector_) {
            recording_->faults = injector_->applied();
            recording_->skipped = injector_->skipped();
        }
        r.recording = recording_;
    }
    if (injector_) r.explicit_faults = explicit_faults();
    if (injector_) {
        std::map<std::string, int> by_kind;  // sorted: stable output
        for (const faults::AppliedFault& f : injector_->applied()) ++by_kind[f.kind];
        std::string line =
            "faults: applied=" + std::to_string(injector_->stats().applied) +
            " skipped_budget=" + std::to_string(injector_->stats().skipped_budget) +
            " skipped_no_target=" + std::to_string(injector_->stats().skipped_no_target);
        for (const auto& [kind, count] : by_kind) line += " " + kind + "=" + std::to_string(count);
        r.summary.push_back(line);
        // A scripted fault is a request the user made: each one left out says so, and why. The
        // nemesis's skips are its way of staying within the budget; the counts above show them.
        for (const faults::SkippedFault& f : injector_->skipped()) {
            if (f.origin != "scripted") continue;
            r.summary.push_back("skipped: scripted " + f.kind + " at " +
                                sim::format_duration(f.at - sim::Time::zero()) + ": " + f.why);
        }
    }
    if (scenario_.buggify) {
        std::string line = "buggify: on; active points (times fired):";
        const auto points = sim_->buggify().fired();
        for (const auto& [name, fired] : points) line += " " + name + "=" + std::to_string(fired);
        if (points.empty()) line += " none";
        r.summary.push_back(line);
    }
    const sim::NetworkStats& n = network_->stats();
    r.summary.push_back("network: sent=" + std::to_string(n.sent) + " delivered=" +
                        std::to_string(n.delivered) + " lost=" + std::to_string(n.dropped_loss) +
                        " partitioned=" + std::to_string(n.dropped_partition) +
                        " to_down_node=" + std::to_string(n.dropped_node_down) + " duplicated=" +
                        std::to_string(n.duplicated) + " corrupted=" + std::to_string(n.corrupted) +
                        " held_by_clog=" + std::to_string(n.held_by_clog));
    return r;
}

}  // namespace stormlog::workloads
