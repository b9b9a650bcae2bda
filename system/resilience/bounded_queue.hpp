#pragma once
// BoundedQueue: a bounded FIFO between fibers of one process, with an explicit overflow policy.
//
// A queue that silently drops under load hides the overload; one that grows without bound moves
// it into memory. So a full queue either blocks the producer (back-pressure, up to a deadline) or
// rejects the item with a result the producer must handle - never a silent drop (the one
// exception is a test-only bug switch that shows the checks catch such a drop).
//
// Watermarks tell producers early that the consumer falls behind: the listener hears "above" when
// the depth reaches high_watermark and "below" only once it has fallen to low_watermark, so a
// depth hovering around one threshold does not flap.
//
// Built on sim::Channel: the ring is allocated once at construction, and waiting allocates
// nothing (waiters live on the waiting fiber's stack). A producer blocked on a full queue hands
// its item over when a consumer frees a slot, in the order the producers arrived. Blocking calls
// throw sim::FiberKilled when the process crashes; it is not caught here. Destroying the queue
// closes it: fibers still blocked in it get `closed` (as with sim::Channel).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "sim/assert.hpp"
#include "sim/channel.hpp"
#include "sim/simulation.hpp"
#include "sim/time.hpp"
#include "system/resilience/probes.hpp"

namespace stormlog::system::resilience {

enum class OverflowPolicy : uint8_t { block, reject };

inline const char* to_string(OverflowPolicy p) {
    switch (p) {
        case OverflowPolicy::block:
            return "block";
        case OverflowPolicy::reject:
            return "reject";
    }
    return "?";
}

struct QueueConfig {
    size_t capacity = 64;
    OverflowPolicy overflow = OverflowPolicy::block;
    size_t high_watermark = 48;  // depth >= high: "above" (producers should slow down)
    size_t low_watermark = 16;   // depth <= low after being above: "below" again (hysteresis)
    // Test-only cautionary design: a full queue drops the item and reports it accepted (silent
    // loss). Counted in QueueStats::dropped so a test can see what the producer cannot.
    bool bug_drop_when_full = false;
};

// The error names the field and what was expected; empty when the config is valid.
inline std::string validate(const QueueConfig& c) {
    if (c.capacity == 0) return "capacity: expected at least 1";
    if (c.high_watermark == 0 || c.high_watermark > c.capacity)
        return "high_watermark: expected 1..capacity (" + std::to_string(c.capacity) + "), got " +
               std::to_string(c.high_watermark);
    if (c.low_watermark >= c.high_watermark)
        return "low_watermark: expected below high_watermark (" + std::to_string(c.high_watermark) +
               "), got " + std::to_string(c.low_watermark);
    return {};
}

enum class PushResult : uint8_t {
    accepted,
    rejected,  // full under the reject policy (or try_push): the producer must handle it
    timeout,   // block policy: the deadline passed while the queue stayed full
    closed,
};
enum class PopResult : uint8_t { ok, timeout, closed };

inline const char* to_string(PushResult r) {
    switch (r) {
        case PushResult::accepted:
            return "accepted";
        case PushResult::rejected:
            return "rejected";
        case PushResult::timeout:
            return "timeout";
        case PushResult::closed:
            return "closed";
    }
    return "?";
}

inline const char* to_string(PopResult r) {
    switch (r) {
        case PopResult::ok:
            return "ok";
        case PopResult::timeout:
            return "timeout";
        case PopResult::closed:
            return "closed";
    }
    return "?";
}

// Counted when the call returns to its caller (a blocked push counts as accepted when it
// resumes). Pushes refused because the queue was closed are not counted.
struct QueueStats {
    uint64_t accepted = 0;   // pushes answered `accepted` (under the bug, dropped ones too)
    uint64_t rejected = 0;   // pushes answered `rejected`
    uint64_t timed_out = 0;  // pushes answered `timeout`
    uint64_t delivered = 0;  // items handed to consumers
    uint64_t dropped = 0;    // only under bug_drop_when_full
    uint64_t high_crossings = 0;
    size_t depth_max = 0;
};

template <class T>
class BoundedQueue {
  public:
    // Called on each crossing, from inside the push or pop that caused it. Must not block.
    using WatermarkListener = std::function<void(bool above, size_t depth)>;

    // REQUIRES: validate(config) is empty.
    BoundedQueue(sim::Simulation& sim, QueueConfig config, WatermarkListener on_watermark = {})
        : config_(config), channel_(sim, config.capacity), on_watermark_(std::move(on_watermark)) {
        SL_ASSERT(validate(config_).empty());
    }
    BoundedQueue(const BoundedQueue&) = delete;
    BoundedQueue& operator=(const BoundedQueue&) = delete;

    // Under the block policy a full queue blocks the producer until a consumer frees a slot or
    // `deadline` (true time) passes; under the reject policy it answers `rejected` at once.
    PushResult push(T value, sim::Time deadline = sim::Time::max()) {
        sim::ChannelStatus s = channel_.try_send(value);
        if (s == sim::ChannelStatus::full) {
            if (config_.bug_drop_when_full) return drop();
            if (config_.overflow == OverflowPolicy::reject) return reject();
            SL_PROBE(probes::queue_producer_blocked);
            s = channel_.send(std::move(value), deadline);
            // Not a member touched on `closed`: the queue may have been destroyed meanwhile.
            if (s == sim::ChannelStatus::closed) return PushResult::closed;
        }
        return pushed(s);
    }

    // Never blocks: a full queue answers `rejected`, whatever the policy.
    PushResult try_push(T value) {
        const sim::ChannelStatus s = channel_.try_send(value);
        if (s != sim::ChannelStatus::full) return pushed(s);
        return config_.bug_drop_when_full ? drop() : reject();
    }

    // Blocks while empty, until `deadline`. After close(), drains what is buffered, then `closed`.
    PopResult pop(T& out, sim::Time deadline = sim::Time::max()) {
        switch (channel_.receive(out, deadline)) {
            case sim::ChannelStatus::ok:
                popped();
                return PopResult::ok;
            case sim::ChannelStatus::timeout:
                return PopResult::timeout;
            default:
                return PopResult::closed;
        }
    }

    // False when empty (open or closed).
    bool try_pop(T& out) {
        if (channel_.try_receive(out) != sim::ChannelStatus::ok) return false;
        popped();
        return true;
    }

    // Wakes every waiter: blocked producers get `closed` (their items were never queued),
    // consumers drain the buffer and then get `closed`. Later pushes get `closed`.
    void close() { channel_.close(); }

    size_t depth() const { return channel_.size(); }
    size_t capacity() const { return channel_.capacity(); }
    bool closed() const { return channel_.closed(); }
    bool above_high_watermark() const { return above_; }
    const QueueStats& stats() const { return stats_; }
    const QueueConfig& config() const { return config_; }

  private:
    PushResult pushed(sim::ChannelStatus s) {
        switch (s) {
            case sim::ChannelStatus::ok:
                ++stats_.accepted;
                observe_depth();
                return PushResult::accepted;
            case sim::ChannelStatus::timeout:
                // Only a blocked push waits for a deadline; reject and try_push never do.
                SL_ASSERT(config_.overflow == OverflowPolicy::block);
                ++stats_.timed_out;
                return PushResult::timeout;
            default:
                SL_ASSERT(s == sim::ChannelStatus::closed);
                return PushResult::closed;
        }
    }

    PushResult reject() {
        ++stats_.rejected;
        SL_PROBE(probes::queue_rejected_full);
        return PushResult::rejected;
    }

    // The cautionary bug: the producer is told `accepted`, and the item is gone.
    PushResult drop() {
        ++stats_.accepted;
        ++stats_.dropped;
        return PushResult::accepted;
    }

    void popped() {
        ++stats_.delivered;
        observe_depth();
    }

    // Every change of depth happens inside a push or pop of this queue (a blocked producer's item
    // moves in during the pop that freed its slot), and each changes it by at most one, so
    // looking after each call sees every crossing. low < high keeps the two states apart.
    void observe_depth() {
        const size_t d = channel_.size();
        SL_ASSERT(d <= config_.capacity);
        if (d > stats_.depth_max) stats_.depth_max = d;
        if (!above_ && d >= config_.high_watermark) {
            above_ = true;
            ++stats_.high_crossings;
            SL_PROBE(probes::queue_above_high_watermark);
            if (on_watermark_) on_watermark_(true, d);
        } else if (above_ && d <= config_.low_watermark) {
            above_ = false;
            if (on_watermark_) on_watermark_(false, d);
        }
        // Hysteresis: above only from high down to just over low, below only under high.
        SL_ASSERT(!above_ || d > config_.low_watermark);
        SL_ASSERT(above_ || d < config_.high_watermark);
    }

    QueueConfig config_;
    sim::Channel<T> channel_;
    WatermarkListener on_watermark_;
    QueueStats stats_;
    bool above_ = false;
};

}  // namespace stormlog::system::resilience
