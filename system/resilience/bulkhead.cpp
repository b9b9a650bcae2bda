#include "system/resilience/bulkhead.hpp"

#include "sim/assert.hpp"
#include "system/resilience/probes.hpp"

namespace stormlog::system::resilience {

std::string validate(const BulkheadConfig& c) {
    if (c.concurrent_max == 0) return "concurrent_max: expected at least 1";
    if (c.wait_max < sim::Duration{}) return "wait_max: expected a duration >= 0";
    return {};
}

Bulkhead::Slot& Bulkhead::Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = other.owner_;
        other.owner_ = nullptr;
    }
    return *this;
}

void Bulkhead::Slot::release() {
    if (owner_ == nullptr) return;
    Bulkhead* owner = owner_;
    owner_ = nullptr;
    // Destructors and a noexcept move call this: a failed check in it is recorded (the run
    // stops) and goes no further, where a throw would terminate the whole suite.
    try {
        owner->release_one();
    } catch (const sim::AssertionFailed&) {
    }
}

Bulkhead::Bulkhead(sim::Simulation& sim, BulkheadConfig config) : sim_(&sim), config_(config) {
    SL_ASSERT(validate(config_).empty());
}

// Fatal: a destructor is noexcept, so a failed SL_ASSERT's exception would terminate anyway.
Bulkhead::~Bulkhead() {
    SL_ASSERT_FATAL(in_use_ == 0 && "a Slot outlives its Bulkhead");
    SL_ASSERT_FATAL(waiting_ == 0 && "a fiber still waits in enter()");
}

Bulkhead::Slot Bulkhead::try_enter() {
    if (in_use_ == config_.concurrent_max) return refuse();
    ++in_use_;
    SL_ASSERT(in_use_ <= config_.concurrent_max);  // the bulkhead's bound
    return Slot(this);
}

Bulkhead::Slot Bulkhead::enter() {
    if (in_use_ < config_.concurrent_max || config_.wait_max == sim::Duration{}) return try_enter();
    Waiter w;
    w.token = sim_->begin_wait();
    waiters_.push_back(&w);
    ++waiting_;
    const sim::Wake why = sim_->wait(sim_->now() + config_.wait_max);
    --waiting_;
    if (w.linked) waiters_.remove(&w);
    if (why == sim::Wake::killed) {
        // Granted just before the crash: the slot is this fiber's to pass on, or it leaks.
        if (w.granted) release_one();
        sim_->throw_if_killed();
        return Slot();  // only while already unwinding
    }
    if (!w.granted) return refuse();
    SL_ASSERT(why == sim::Wake::signal);
    // Handed over by release_one, which kept counting the slot: the bound still holds.
    SL_ASSERT(in_use_ <= config_.concurrent_max);
    SL_PROBE(probes::bulkhead_waited_for_slot);
    return Slot(this);  // release_one kept in_use_ counting it
}

Bulkhead::Slot Bulkhead::refuse() {
    ++refused_;
    SL_PROBE(probes::bulkhead_rejected);
    return Slot();
}

// The slot passes to the longest-waiting fiber still waiting (one that timed out and has not run
// yet is skipped; it unlinks itself), else it becomes free.
void Bulkhead::release_one() {
    SL_ASSERT(in_use_ > 0);
    while (Waiter* w = waiters_.pop_front()) {
        if (!sim_->waiting(w->token)) continue;
        w->granted = true;
        sim_->notify(w->token, sim::Wake::signal);
        return;
    }
    --in_use_;
}

}  // namespace stormlog::system::resilience
