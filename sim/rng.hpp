#pragma once
// Seeded randomness. A run has one root seed; every component draws from its own stream, forked
// from its parent by name. A fork depends only on the parent's identity and the name, never on how
// many numbers the parent has drawn, so one component drawing more never shifts another's draws.

#include <cassert>
#include <cstdint>
#include <string_view>

#include "sim/time.hpp"

namespace stormlog::sim {

class Rng {
  public:
    // The root stream of a run.
    static Rng root(uint64_t seed);

    // An independent child stream named `name` (e.g. "node/n1", "scheduler"). Pure function of this
    // stream's identity and `name`.
    Rng fork(std::string_view name) const;
    Rng fork(uint64_t index) const;

    uint64_t next_u64();

    // Uniform integer in [0, bound). REQUIRES: bound > 0. Unbiased (Lemire's method).
    uint64_t below(uint64_t bound);
    // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
    int64_t between(int64_t lo, int64_t hi);
    // Uniform double in [0, 1).
    double unit();
    // True with probability p (p <= 0: never, p >= 1: always, without drawing).
    bool chance(double p);
    // Uniform duration in [lo, hi].
    Duration between(Duration lo, Duration hi);
    // Exponentially distributed duration with the given mean (for Poisson arrivals).
    Duration exponential(Duration mean);

    uint64_t identity() const { return identity_; }

  private:
    explicit Rng(uint64_t identity);
    uint64_t identity_;
    uint64_t s_[4];
};

}  // namespace stormlog::sim
