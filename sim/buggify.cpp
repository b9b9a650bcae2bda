#include "sim/buggify.hpp"

#include <algorithm>

#include "sim/simulation.hpp"

namespace stormlog::sim {

Buggify::State& Buggify::state(const BuggifyPoint& p) {
    for (State& s : points_) {
        if (s.point == &p) return s;
    }
    // Another object of the same name is the same point (one decision per name and run).
    for (State& s : points_) {
        if (s.point->name == p.name) return s;
    }
    // Activation depends on the run's seed and the point's name only, never on which points
    // were evaluated before it.
    Rng rng = stream_.fork(p.name);
    const bool active = rng.chance(k_active_share);
    points_.push_back(State{&p, active, rng, 0});
    return points_.back();
}

bool Buggify::fires(const BuggifyPoint& p) {
    if (!enabled_) return false;
    State& s = state(p);
    if (!s.active || !s.rng.chance(p.fires)) return false;
    ++s.fired;
    return true;
}

bool Buggify::active(const BuggifyPoint& p) const {
    for (const State& s : points_) {
        if (s.point == &p) return s.active;
    }
    return false;
}

std::vector<std::pair<std::string, uint64_t>> Buggify::fired() const {
    std::vector<std::pair<std::string, uint64_t>> out;
    for (const State& s : points_) {
        if (s.active) out.emplace_back(std::string(s.point->name), s.fired);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool buggify(const BuggifyPoint& p) {
    Simulation* sim = Simulation::running();
    return sim != nullptr && sim->buggify().fires(p);
}

}  // namespace stormlog::sim
