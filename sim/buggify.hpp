#pragma once
// BUGGIFY (FoundationDB's name for it): points in system code where the code may misbehave in a
// way its own contract allows - read a short batch, take a snapshot early, time out an election
// before its time, step down as leader, refuse a checkpoint write as a disk may - so that the
// rare paths behind such moments run on purpose instead of once in a million seeds. Faults come
// from outside (the nemesis); BUGGIFY is the code itself taking the legal but unusual branch.
//
//   if (SL_BUGGIFY(p)) { ...the unusual branch... }
//
// A run has BUGGIFY on or off (SimulationOptions::buggify; a scenario's "buggify": true). When
// off - every fixed scenario unless it asks, and any code outside a simulation - SL_BUGGIFY is
// false and draws nothing, so a run's trace is what it was before the point existed. When on,
// each point is active in a seeded quarter of the runs (decided at its first evaluation, from a
// random stream of its own named after it, so one point's draws never shift another's) and an
// active point fires with its own probability at each evaluation. A run's summary names the
// points that fired. The workloads switch BUGGIFY off when the faults heal: the quiet period
// that judges liveness must see the system behave, as FoundationDB's does.
//
// Each area lists its points once, in its own buggify.hpp, as `inline constexpr BuggifyPoint`s.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/rng.hpp"

namespace stormlog::sim {

// A point is a static object (`inline constexpr` in a buggify.hpp): its state keeps its address.
struct BuggifyPoint {
    std::string_view name;         // "<area>.<misbehaviour>", unique across the system
    std::string_view description;  // one line: what the code does when it fires
    double fires = 0.25;           // per evaluation, once the point is active in the run
};

// The points of one run.
class Buggify {
  public:
    static constexpr double k_active_share = 0.25;  // runs in which a given point is active

    Buggify(bool enabled, Rng stream) : enabled_(enabled), stream_(stream) {}

    bool enabled() const { return enabled_; }
    // Off for the rest of the run (the quiet period); points keep their counts.
    void disable() { enabled_ = false; }
    // Whether `p` misbehaves now. False, without drawing, when the run's BUGGIFY is off.
    bool fires(const BuggifyPoint& p);
    // Whether `p` has been evaluated in this run and is one of its active points.
    bool active(const BuggifyPoint& p) const;
    // (name, times fired) for every active point evaluated at least once, sorted by name.
    std::vector<std::pair<std::string, uint64_t>> fired() const;

  private:
    struct State {
        const BuggifyPoint* point;
        bool active;
        Rng rng;
        uint64_t fired = 0;
    };
    State& state(const BuggifyPoint& p);

    bool enabled_;
    Rng stream_;
    std::vector<State> points_;  // few, and found by address after the first evaluation
};

// Whether `p` fires in the simulation running on this thread; false outside one.
bool buggify(const BuggifyPoint& p);

}  // namespace stormlog::sim

#define SL_BUGGIFY(p) ::stormlog::sim::buggify(p)
