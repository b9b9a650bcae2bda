#pragma once
// A node's clock: how that node reads time, on top of the simulation's true time. A clock has an
// offset (skew), a drift rate in parts per million and may jump. Timers and sleeps of a node are
// expressed in its local time and converted to true time, so a fast clock fires its timers early.

#include <cstdint>

#include "sim/int128.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {

class Clock {
  public:
    // Local reading at true time `now`: now + offset + drift accumulated since the drift began.
    Time local(Time now) const {
        if (drift_ppm_ == 0) return now + offset_;  // the common case: no 128-bit division
        const int128 drifted =
            static_cast<int128>((now - drift_since_).ns()) * drift_ppm_ / 1'000'000;
        return now + offset_ + Duration::nanos(static_cast<int64_t>(drifted));
    }

    // How much true time passes while this clock advances by `local` (rounded up, so a positive
    // local duration never becomes zero true time: a timer loop on a fast clock must still let
    // true time move). Never negative.
    Duration true_duration(Duration local) const {
        if (local.ns() <= 0) return Duration::nanos(0);
        if (drift_ppm_ == 0) return local;
        const int128 rate = 1'000'000 + drift_ppm_;
        const int128 scaled = (static_cast<int128>(local.ns()) * 1'000'000 + rate - 1) / rate;
        return Duration::nanos(static_cast<int64_t>(scaled));
    }

    // Skew: the clock reads `offset` ahead of true time (negative: behind).
    void set_offset(Duration offset) { offset_ = offset; }
    // Jump: the reading moves by `delta` at once (NTP step, VM migration).
    void jump(Duration delta) { offset_ += delta; }
    // Drift: from true time `now`, the clock gains `ppm` microseconds per second. The drift already
    // accumulated is folded into the offset so the reading stays continuous. REQUIRES: ppm > -1e6.
    void set_drift(Time now, int64_t ppm) {
        offset_ = local(now) - now;
        drift_since_ = now;
        drift_ppm_ = ppm;
    }
    // Back to true time.
    void reset() { *this = Clock{}; }

    Duration offset() const { return offset_; }
    int64_t drift_ppm() const { return drift_ppm_; }

  private:
    Duration offset_;
    Time drift_since_;
    int64_t drift_ppm_ = 0;
};

}  // namespace stormlog::sim
