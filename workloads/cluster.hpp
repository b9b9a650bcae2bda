#pragma once
// A cluster built from a scenario: the simulation, N nodes named n1..nN, the network, one disk per
// node, and the fault injector with the scenario's schedule. Workloads add their processes, start
// the faults, run, and fill in a RunResult.
//
// Client nodes (named by the workload) come after the cluster's nodes: they have network
// endpoints but no disk, faults never target them and the budget never counts them - as
// Jepsen's clients sit outside the cluster they test. They are on the network like any node,
// though: a partition with `clients` 1 puts each on one of its sides.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/injector.hpp"
#include "sim/disk.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"
#include "workloads/run_recording.hpp"
#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"

namespace stormlog::workloads {

class Cluster {
  public:
    Cluster(const Scenario& scenario, const RunOptions& options,
            const std::vector<std::string>& clients = {});
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    sim::Simulation& sim() { return *sim_; }
    const sim::Simulation& sim() const { return *sim_; }
    sim::Network& network() { return *network_; }
    sim::Disk& disk(sim::NodeId n) { return *disks_[n]; }
    faults::Injector& injector() { return *injector_; }
    const faults::Injector& injector() const { return *injector_; }
    size_t size() const { return disks_.size(); }  // cluster nodes (clients excluded)
    const Scenario& scenario() const { return scenario_; }

    // Creates the injector (with the system's notion of a leader, if it has one) and schedules the
    // faults. Call once, after the workload's processes exist.
    // `application` carries out the workload's application faults (faults::World::application).
    // `awaits_repair` tells the budget which damaged nodes are not repaired yet
    // (faults::World::awaits_repair).
    void start_faults(std::function<std::optional<sim::NodeId>()> leader = {},
                      std::function<bool(faults::FaultSpec&, bool)> application = {},
                      std::function<bool(sim::NodeId)> awaits_repair = {});
    // When every fault has healed under `within` (the start of the quiet period).
    // The faults applied so far, each as a scripted fault that replays it exactly (targets by
    // node, drawn layouts and choices written out, `for` as long as it lasted).
    std::vector<faults::FaultSpec> explicit_faults() const;
    sim::Time heal_all_at() const;
    sim::Time end() const { return sim::Time::zero() + scenario_.duration; }
    // Whether node `n` has had a fault that corrupts what its disk holds (bit rot, misdirected
    // writes, latent errors, a wipe) at or before `at`.
    bool had_corrupting_fault(sim::NodeId n, sim::Time at) const;

    // The verdict, hash, counters and failures of the run so far, plus a fault summary line;
    // with RunOptions::record, the recording too.
    RunResult result() const;

    // What the run records for its report (RunOptions::record), or null. The cluster records
    // node states and fault windows; workloads add what they know (operations, leaders, gauges).
    system::monitoring::Recording* recording() { return recording_ ? &recording_->data : nullptr; }
    RunRecording* run_recording() { return recording_.get(); }

  private:
    void start_recording();
    // A process of node `n` started, crashed, paused or resumed: the node's state may change.
    void record_node_state(sim::NodeId n);

    Scenario scenario_;
    std::unique_ptr<sim::Simulation> sim_;
    std::unique_ptr<sim::Network> network_;
    std::vector<std::unique_ptr<sim::Disk>> disks_;
    std::unique_ptr<faults::Injector> injector_;
    size_t disk_listener_ = 0;
    std::shared_ptr<RunRecording> recording_;
    std::vector<size_t> node_tracks_;  // by node id, with recording_
};

}  // namespace stormlog::workloads
