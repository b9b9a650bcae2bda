#pragma once
// One-shot promise/future between simulated fibers, with timeouts on virtual time. A promise
// destroyed without a value breaks its future (the answering fiber crashed, say).

#include <memory>
#include <optional>

#include "sim/assert.hpp"
#include "sim/simulation.hpp"

namespace stormlog::sim {

enum class FutureStatus : uint8_t { ready, timeout, broken };

namespace detail {
template <class T>
struct FutureState {
    explicit FutureState(Simulation* s) : sim(s) {}
    Simulation* sim;
    std::optional<T> value;
    bool broken = false;
    bool waiting = false;
    WaitToken waiter;

    void wake_waiter() {
        if (waiting) sim->notify(waiter, Wake::signal);
    }
};
}  // namespace detail

template <class T>
class Future {
  public:
    Future() = default;
    bool valid() const { return state_ != nullptr; }
    bool ready() const { return state_ && state_->value.has_value(); }

    // Blocks until the value is set, the promise breaks, or `deadline` (true time) passes.
    // Throws FiberKilled if the process crashes. One fiber waits on a future at a time.
    FutureStatus wait_until(Time deadline) {
        SL_ASSERT(state_);
        SL_ASSERT(!state_->waiting);
        if (state_->value) return FutureStatus::ready;
        if (state_->broken) return FutureStatus::broken;
        Simulation* sim = state_->sim;
        state_->waiter = sim->begin_wait();
        state_->waiting = true;
        const Wake why = sim->wait(deadline);
        state_->waiting = false;
        if (why == Wake::killed) sim->throw_if_killed();
        if (state_->value) return FutureStatus::ready;
        return state_->broken ? FutureStatus::broken : FutureStatus::timeout;
    }
    FutureStatus wait_for(Duration timeout) { return wait_until(state_->sim->now() + timeout); }
    FutureStatus wait() { return wait_until(Time::max()); }

    // REQUIRES: ready().
    T& value() {
        SL_ASSERT(ready());
        return *state_->value;
    }

  private:
    template <class>
    friend class Promise;
    explicit Future(std::shared_ptr<detail::FutureState<T>> s) : state_(std::move(s)) {}
    std::shared_ptr<detail::FutureState<T>> state_;
};

template <class T>
class Promise {
  public:
    explicit Promise(Simulation& sim) : state_(std::make_shared<detail::FutureState<T>>(&sim)) {}
    Promise(Promise&&) noexcept = default;
    Promise& operator=(Promise&& other) noexcept {
        if (this != &other) {
            break_if_unset();
            state_ = std::move(other.state_);
        }
        return *this;
    }
    Promise(const Promise&) = delete;
    Promise& operator=(const Promise&) = delete;
    ~Promise() { break_if_unset(); }

    Future<T> get_future() const { return Future<T>(state_); }

    // Returns false if a value was already set (the first one wins).
    bool set_value(T value) {
        SL_ASSERT(state_);
        if (state_->value || state_->broken) return false;
        state_->value.emplace(std::move(value));
        state_->wake_waiter();
        return true;
    }

  private:
    void break_if_unset() {
        if (state_ && !state_->value && !state_->broken) {
            state_->broken = true;
            state_->wake_waiter();
        }
    }
    std::shared_ptr<detail::FutureState<T>> state_;
};

}  // namespace stormlog::sim
