#include "sim/scheduler.hpp"

#include "sim/assert.hpp"
#include "sim/simulation.hpp"

namespace stormlog::sim {

void SimAlgorithm::awakened(boost::fibers::context* ctx) noexcept {
    using type = boost::fibers::type;
    if (ctx->is_context(type::dispatcher_context)) {
        dispatcher_ = ctx;
        return;
    }
    // Simulated fibers are made ready by the Simulation, never through Boost's schedule(): a
    // worker arriving here used a Boost.Fiber primitive (mutex, condition_variable, this_fiber::
    // sleep_for, yield) whose timing would not be simulated.
    SL_ASSERT_FATAL(!"a simulated fiber used a Boost.Fiber primitive directly; use sim/'s (sleep, Channel, Future, Timer)");
}

boost::fibers::context* SimAlgorithm::take_dispatcher() noexcept {
    boost::fibers::context* d = dispatcher_;
    dispatcher_ = nullptr;
    return d;
}

boost::fibers::context* SimAlgorithm::pick_next() noexcept {
    if (sim_ == nullptr) return take_dispatcher();
    return sim_->pick_next();
}

bool SimAlgorithm::has_ready_fibers() const noexcept {
    // Only asked by Boost when swapping algorithms; by then only the dispatcher can be here.
    return dispatcher_ != nullptr;
}

}  // namespace stormlog::sim
