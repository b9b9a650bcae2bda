#pragma once
// The Boost.Fiber scheduling algorithm that hands control to the Simulation. Kernel-internal.
//
// Boost.Fiber 1.74 facts this relies on:
// - The dispatcher context passes through awakened()/pick_next() like a fiber: every time it
//   resumes a context, that context re-schedules it. So whenever any other context runs, the
//   dispatcher sits in our slot, and pick_next() can always fall back to it (it must never return
//   null: scheduler::terminate() resumes whatever pick_next() returns).
// - pick_next() must never return the active context (resuming yourself is undefined).
// - The dispatcher frees terminated fibers (release_terminated_), so it gets a turn whenever a
//   fiber has ended; otherwise it only runs between simulations.
// Worker fibers never enter Boost's own ready queue: the Simulation keeps them.

#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/context.hpp>

namespace stormlog::sim {

class Simulation;

class SimAlgorithm final : public boost::fibers::algo::algorithm {
  public:
    explicit SimAlgorithm(Simulation* sim) : sim_(sim) {}

    void awakened(boost::fibers::context* ctx) noexcept override;
    boost::fibers::context* pick_next() noexcept override;
    bool has_ready_fibers() const noexcept override;
    // Boost's interface names a wall-clock type here; the simulation never sleeps on it (nothing
    // is read: the kernel never lets the dispatcher find no work), so no real time enters a run.
    void suspend_until(std::chrono::steady_clock::time_point const&) noexcept override {}
    void notify() noexcept override {}

    // Before uninstalling: from now on only the dispatcher is handed out (to the next algorithm).
    void detach() noexcept { sim_ = nullptr; }
    bool holds_dispatcher() const noexcept { return dispatcher_ != nullptr; }
    boost::fibers::context* take_dispatcher() noexcept;

  private:
    Simulation* sim_;
    boost::fibers::context* dispatcher_ = nullptr;
};

}  // namespace stormlog::sim
