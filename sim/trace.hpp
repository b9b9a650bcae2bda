#pragma once
// The trace: every observable event of a run (time, node, kind, payload digest) folds into one
// running 64-bit hash. Same scenario + seed + build => same hash; tests compare it. Recording the
// events themselves is optional (off by default) and serves divergence hunting and trace exports:
// kept in memory (keep_records), or handed as they happen to a TraceSink (an event log on disk).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/hash.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {

// A trace kind is the hash of its name, so any layer can define kinds without a central enum.
constexpr uint64_t trace_kind(std::string_view name) {
    return hash_string(name);
}

// trace_kind(name), with the name remembered, so that an event log says "fault.apply" where the
// hash says 0x5f3c... Every kind the system records is defined through it, as a namespace-scope
// constant: defining one registers it during static initialisation, before any run reaches the
// line that records it. Two names with one hash are a bug of this build (an assertion).
uint64_t trace_kind_named(std::string_view name);

// The name trace_kind_named registered for `kind_id`; empty if none did. The names live as long
// as the program (the table only grows), so the view stays valid.
std::string_view trace_kind_name(uint64_t kind_id);

namespace kind {
inline const uint64_t fiber_spawn = trace_kind_named("fiber.spawn");
inline const uint64_t fiber_exit = trace_kind_named("fiber.exit");
inline const uint64_t fiber_run = trace_kind_named("fiber.run");
inline const uint64_t fiber_wake = trace_kind_named("fiber.wake");
inline const uint64_t timer_fire = trace_kind_named("timer.fire");
inline const uint64_t process_start = trace_kind_named("process.start");
inline const uint64_t process_crash = trace_kind_named("process.crash");
inline const uint64_t process_pause = trace_kind_named("process.pause");
inline const uint64_t process_resume = trace_kind_named("process.resume");
inline const uint64_t failure = trace_kind_named("failure");
}  // namespace kind

// The node id used for events that belong to no node (the kernel, the fault injector).
inline constexpr uint32_t k_no_node = UINT32_MAX;

struct TraceRecord {
    Time at;
    uint32_t node;
    uint64_t kind;
    uint64_t digest;
};

// Watches a run's trace as it is recorded (an event log written while the run goes). A sink only
// observes - it must not act on the world or draw randomness - so a run with one is the same run,
// with the same hash, as without.
class TraceSink {
  public:
    virtual ~TraceSink() = default;
    // A node joined the world; records name it by `id` from now on.
    virtual void on_node(uint32_t id, std::string_view name) = 0;
    // One record, in trace order. `detail` is a readable payload where the recording site offers
    // one ("crash on [n2]: crash for 1s"), else empty; it is not part of the hash.
    virtual void on_record(const TraceRecord& r, std::string_view detail) = 0;
};

class Trace {
  public:
    void record(Time at, uint32_t node, uint64_t kind_id, uint64_t digest) {
        const TraceRecord r{at, node, kind_id, digest};
        fold(r);
        if (sink_ != nullptr) sink_->on_record(r, {});
    }
    // Like record(), with a readable payload: `describe()` returns a std::string and runs only
    // when a sink listens, so an ordinary run pays nothing for it.
    template <class Describe>
    void record(Time at, uint32_t node, uint64_t kind_id, uint64_t digest, Describe&& describe) {
        const TraceRecord r{at, node, kind_id, digest};
        fold(r);
        if (sink_ != nullptr) sink_->on_record(r, describe());
    }

    uint64_t hash() const { return hash_; }
    uint64_t records() const { return records_; }

    // Keep every record in memory (for divergence reports and exports). Costs memory per event.
    void keep_records(bool keep) { keep_ = keep; }
    const std::vector<TraceRecord>& kept() const { return kept_; }

    // Hand every record to `sink` (not owned; null: none) as it is recorded.
    void set_sink(TraceSink* sink) { sink_ = sink; }
    void name_node(uint32_t id, std::string_view name) {
        if (sink_ != nullptr) sink_->on_node(id, name);
    }

  private:
    void fold(const TraceRecord& r) {
        uint64_t h = hash_combine(hash_, static_cast<uint64_t>(r.at.ns()));
        h = hash_combine(h, (static_cast<uint64_t>(r.node) << 1) ^ r.kind);
        hash_ = hash_combine(h, r.digest);
        ++records_;
        if (keep_) kept_.push_back(r);
    }

    uint64_t hash_ = 0x243f6a8885a308d3ULL;
    uint64_t records_ = 0;
    bool keep_ = false;
    std::vector<TraceRecord> kept_;
    TraceSink* sink_ = nullptr;
};

}  // namespace stormlog::sim
