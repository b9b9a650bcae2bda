#pragma once
// A bounded FIFO channel between simulated fibers. send blocks while the channel is full, receive
// while it is empty; both can time out; try-variants never block. Closing wakes every waiter:
// receivers drain what is buffered and then see `closed`, senders see `closed` at once.
// A value handed to a waiting receiver goes straight to it (no extra trip through the buffer).
// The buffer is a ring of a power-of-two size (a mask, not a division, per step) that starts small
// and doubles as it fills, up to the capacity: a node's inbox may hold 4096 packets, but a run
// that never queues more than a few should not build and clear 4096 slots per node.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <optional>
#include <vector>

#include "sim/assert.hpp"
#include "sim/simulation.hpp"
#include "sim/wait_list.hpp"

namespace stormlog::sim {

enum class ChannelStatus : uint8_t { ok, closed, full, empty, timeout };

template <class T>
class Channel {
  public:
    // REQUIRES: capacity >= 1.
    Channel(Simulation& sim, size_t capacity)
        : sim_(&sim), capacity_(capacity), ring_(std::bit_ceil(std::min(capacity, k_ring_start))) {
        SL_ASSERT(capacity >= 1);
    }
    ~Channel() { close(); }
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    // Blocks while full, until `deadline` (true time). Throws FiberKilled if the process crashes.
    ChannelStatus send(T value, Time deadline = Time::max()) {
        ChannelStatus s = try_send(value);
        if (s != ChannelStatus::full) return s;
        Waiter w;
        w.slot = &value;
        return block(senders_, w, deadline);
    }
    ChannelStatus send_for(T value, Duration timeout) {
        return send(std::move(value), sim_->now() + timeout);
    }

    // On ok, `value` has been moved from.
    ChannelStatus try_send(T& value) {
        if (closed_) return ChannelStatus::closed;
        if (Waiter* r = pop_live(receivers_)) {
            SL_ASSERT(size_ == 0);
            *r->slot = std::move(value);
            hand_over(r, ChannelStatus::ok);
            return ChannelStatus::ok;
        }
        if (size_ == capacity_) return ChannelStatus::full;
        if (size_ == ring_.size()) grow();
        ring_[slot(size_)].emplace(std::move(value));
        ++size_;
        return ChannelStatus::ok;
    }

    // Blocks while empty, until `deadline`. Throws FiberKilled if the process crashes.
    ChannelStatus receive(T& out, Time deadline = Time::max()) {
        ChannelStatus s = try_receive(out);
        if (s != ChannelStatus::empty) return s;
        Waiter w;
        w.slot = &out;
        return block(receivers_, w, deadline);
    }
    ChannelStatus receive_for(T& out, Duration timeout) {
        return receive(out, sim_->now() + timeout);
    }

    ChannelStatus try_receive(T& out) {
        if (size_ == 0) return closed_ ? ChannelStatus::closed : ChannelStatus::empty;
        out = std::move(*ring_[head_]);
        ring_[head_].reset();
        head_ = slot(1);
        --size_;
        // A slot opened: the longest-waiting sender's value moves into the buffer.
        if (Waiter* s = pop_live(senders_)) {
            ring_[slot(size_)].emplace(std::move(*s->slot));
            ++size_;
            hand_over(s, ChannelStatus::ok);
        }
        return ChannelStatus::ok;
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        while (Waiter* w = receivers_.pop_front()) hand_over(w, ChannelStatus::closed);
        while (Waiter* w = senders_.pop_front()) hand_over(w, ChannelStatus::closed);
    }

    bool closed() const { return closed_; }
    size_t size() const { return size_; }
    size_t capacity() const { return capacity_; }

  private:
    struct Waiter {
        WaitToken token;
        T* slot = nullptr;  // receiver: where the value goes; sender: the value to take
        ChannelStatus result = ChannelStatus::closed;
        Waiter* prev = nullptr;
        Waiter* next = nullptr;
        bool linked = false;
    };

    ChannelStatus block(WaitList<Waiter>& list, Waiter& w, Time deadline) {
        // The channel may be destroyed while this fiber waits (its destructor closes it and
        // unlinks every waiter), so after the wait only `w` and the local `sim` are touched,
        // and `list` only if `w` is still linked in it.
        Simulation* sim = sim_;
        w.token = sim->begin_wait();
        list.push_back(&w);
        const Wake why = sim->wait(deadline);
        if (w.linked) list.remove(&w);
        if (why == Wake::killed) {
            sim->throw_if_killed();
            return ChannelStatus::closed;  // only while already unwinding
        }
        return why == Wake::timeout ? ChannelStatus::timeout : w.result;
    }

    // The first waiter that is still waiting; waiters that timed out but have not run yet are
    // skipped (they unlink themselves when they run).
    Waiter* pop_live(WaitList<Waiter>& list) {
        while (Waiter* w = list.pop_front()) {
            if (sim_->waiting(w->token)) return w;
        }
        return nullptr;
    }

    void hand_over(Waiter* w, ChannelStatus result) {
        w->result = result;
        sim_->notify(w->token, Wake::signal);
    }

    static constexpr size_t k_ring_start = 16;

    // The ring index `i` places past the head.
    size_t slot(size_t i) const { return (head_ + i) & (ring_.size() - 1); }

    // Doubles the full ring, its values in order from index 0.
    void grow() {
        SL_ASSERT(size_ == ring_.size() && size_ < capacity_);
        std::vector<std::optional<T>> bigger(ring_.size() * 2);
        for (size_t i = 0; i < size_; ++i) bigger[i] = std::move(ring_[slot(i)]);
        ring_ = std::move(bigger);
        head_ = 0;
        SL_ASSERT(std::has_single_bit(ring_.size()));
    }

    Simulation* sim_;
    size_t capacity_;
    std::vector<std::optional<T>> ring_;  // a power-of-two size; index with slot()
    size_t head_ = 0;
    size_t size_ = 0;
    bool closed_ = false;
    WaitList<Waiter> senders_;
    WaitList<Waiter> receivers_;
};

}  // namespace stormlog::sim
