#pragma once
// The trace: every observable event of a run (time, node, kind, payload digest) folds into one
// running 64-bit hash. Same scenario + seed + build => same hash; tests compare it. Recording the
// events themselves is optional (off by default) and serves divergence hunting and trace exports.

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/hash.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {

// A trace kind is the hash of its name, so any layer can define kinds without a central enum.
constexpr uint64_t trace_kind(std::string_view name) {
    return hash_string(name);
}

namespace kind {
inline constexpr uint64_t fiber_spawn = trace_kind("fiber.spawn");
inline constexpr uint64_t fiber_exit = trace_kind("fiber.exit");
inline constexpr uint64_t fiber_run = trace_kind("fiber.run");
inline constexpr uint64_t fiber_wake = trace_kind("fiber.wake");
inline constexpr uint64_t timer_fire = trace_kind("timer.fire");
inline constexpr uint64_t process_start = trace_kind("process.start");
inline constexpr uint64_t process_crash = trace_kind("process.crash");
inline constexpr uint64_t process_pause = trace_kind("process.pause");
inline constexpr uint64_t process_resume = trace_kind("process.resume");
inline constexpr uint64_t failure = trace_kind("failure");
}  // namespace kind

// The node id used for events that belong to no node (the kernel, the fault injector).
inline constexpr uint32_t k_no_node = UINT32_MAX;

struct TraceRecord {
    Time at;
    uint32_t node;
    uint64_t kind;
    uint64_t digest;
};

class Trace {
  public:
    void record(Time at, uint32_t node, uint64_t kind_id, uint64_t digest) {
        uint64_t h = hash_combine(hash_, static_cast<uint64_t>(at.ns()));
        h = hash_combine(h, (static_cast<uint64_t>(node) << 1) ^ kind_id);
        hash_ = hash_combine(h, digest);
        ++records_;
        if (keep_) kept_.push_back(TraceRecord{at, node, kind_id, digest});
    }

    uint64_t hash() const { return hash_; }
    uint64_t records() const { return records_; }

    // Keep every record in memory (for divergence reports and exports). Costs memory per event.
    void keep_records(bool keep) { keep_ = keep; }
    const std::vector<TraceRecord>& kept() const { return kept_; }

  private:
    uint64_t hash_ = 0x243f6a8885a308d3ULL;
    uint64_t records_ = 0;
    bool keep_ = false;
    std::vector<TraceRecord> kept_;
};

}  // namespace stormlog::sim
