#pragma once
// Env: the seam between the system under test and the simulated world (LevelDB's Env idea).
// A process's code asks its Env for time, sleeping, timers, randomness, logs and new fibers, and
// never learns that they are simulated. Time read through Env is the node's local clock.

#include <spdlog/logger.h>

#include <functional>

#include "sim/node.hpp"
#include "sim/simulation.hpp"

namespace stormlog::sim {

class Env {
  public:
    Env(Simulation& sim, Process& process) : sim_(&sim), process_(&process) {}

    // The node's local clock reading (skewed and drifting as its Clock says).
    Time now() const { return node().clock().local(sim_->now()); }
    // Sleeps for `d` of local time. Throws FiberKilled if the process crashes meanwhile.
    void sleep(Duration d) const { sim_->sleep_for(node().clock().true_duration(d)); }
    // Lets every other ready fiber run first.
    void yield() const { sim_->sleep_for(Duration{}); }

    // This incarnation's random stream (a restarted process gets a fresh one).
    Rng& rng() const { return process_->rng_; }
    spdlog::logger& log() const { return node().log(); }

    // A new fiber in this process; it dies with the process.
    void spawn(std::function<void()> fn) const { sim_->spawn(*process_, std::move(fn)); }

    // A callback after `d` of local time; dies with this incarnation, deferred while paused.
    TimerId after(Duration d, Callback cb) const {
        return sim_->schedule_after(node().clock().true_duration(d), std::move(cb), process_);
    }
    bool cancel(TimerId id) const { return sim_->cancel(id); }

    // Folds an observable event of this node into the run's trace hash.
    void record(uint64_t kind_id, uint64_t digest) const {
        sim_->record(node().id(), kind_id, digest);
    }
    // The same, with a readable payload for an event log (Simulation::record).
    template <class Describe>
    void record(uint64_t kind_id, uint64_t digest, Describe&& describe) const {
        sim_->record(node().id(), kind_id, digest, describe);
    }

    Node& node() const { return process_->node(); }
    Process& process() const { return *process_; }
    uint64_t incarnation() const { return process_->incarnation(); }
    // The kernel, for constructing primitives (Channel, Promise, Timer).
    Simulation& kernel() const { return *sim_; }

  private:
    Simulation* sim_;
    Process* process_;
};

}  // namespace stormlog::sim
