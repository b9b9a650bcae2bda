#pragma once
// A time limiter (Resilience4j's TimeLimiter) on simulated time: the call runs in a fiber of its
// own and the caller waits for its result at most `timeout` (of the node's local clock). A call
// that outlives the limit is abandoned, not cancelled - it runs on and its effects may still land,
// as a timed-out request does on the far side - so `call` must own what it uses (capture by
// value or shared pointer, never the caller's stack).

#include <functional>
#include <memory>
#include <optional>

#include "sim/assert.hpp"
#include "sim/env.hpp"
#include "sim/future.hpp"
#include "system/resilience/probes.hpp"

namespace stormlog::system::resilience {

// The call's result, or nullopt if it did not finish within `timeout`. Throws FiberKilled if the
// process crashes meanwhile (the abandoned fiber dies with it).
template <class T>
std::optional<T> with_timeout(sim::Env& env, sim::Duration timeout, std::function<T()> call) {
    SL_ASSERT(static_cast<bool>(call));  // else it throws in a fiber the caller has abandoned
    SL_ASSERT(timeout >= sim::Duration{});
    auto promise = std::make_shared<sim::Promise<T>>(env.kernel());
    sim::Future<T> result = promise->get_future();
    env.spawn([promise, call = std::move(call)] { promise->set_value(call()); });
    const sim::Time deadline = env.kernel().now() + env.node().clock().true_duration(timeout);
    const sim::FutureStatus status = result.wait_until(deadline);
    if (status != sim::FutureStatus::ready) {
        if (status == sim::FutureStatus::timeout) SL_PROBE(probes::timeout_expired);
        return std::nullopt;
    }
    return std::move(result.value());
}

}  // namespace stormlog::system::resilience
