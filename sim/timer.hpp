#pragma once
// A restartable one-shot timer owned by a piece of process code: arming again replaces the pending
// callback, and destroying the timer cancels it, so a callback never outlives the object that
// armed it (crash-safe: the owner's process crashing cancels it too).

#include "sim/env.hpp"

namespace stormlog::sim {

class Timer {
  public:
    explicit Timer(Env env) : env_(env) {}
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;
    ~Timer() { cancel(); }

    // Fires `cb` after `d` of local time, replacing whatever was armed.
    void arm(Duration d, Callback cb) {
        cancel();
        id_ = env_.after(d, std::move(cb));
    }
    // True if a pending callback was cancelled.
    bool cancel() {
        const bool was = env_.cancel(id_);
        id_ = TimerId{};
        return was;
    }

  private:
    Env env_;
    TimerId id_;
};

}  // namespace stormlog::sim
