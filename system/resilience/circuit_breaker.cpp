#include "system/resilience/circuit_breaker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "sim/assert.hpp"
#include "system/resilience/probes.hpp"

namespace stormlog::system::resilience {
namespace {

constexpr int64_t k_ns_per_second = 1'000'000'000;

// The whole second containing `t`, rounding towards the past (times before zero included).
int64_t second_of(sim::Time t) {
    const int64_t ns = t.ns();
    return ns >= 0 ? ns / k_ns_per_second : -((-(ns + 1)) / k_ns_per_second) - 1;
}

size_t ring_index(int64_t second, size_t size) {
    const int64_t n = static_cast<int64_t>(size);
    return static_cast<size_t>(((second % n) + n) % n);
}

double rate_percent(uint32_t part, uint32_t calls) {
    SL_ASSERT(calls > 0);
    return 100.0 * static_cast<double>(part) / static_cast<double>(calls);
}

bool failure_rate_above(const OutcomeTally& t, const BreakerConfig& c) {
    return rate_percent(t.failures, t.calls) >= c.failure_rate_threshold;
}

bool slow_rate_above(const OutcomeTally& t, const BreakerConfig& c) {
    return rate_percent(t.slow, t.calls) >= c.slow_call_rate_threshold;
}

bool above_thresholds(const OutcomeTally& t, const BreakerConfig& c) {
    const bool failures = failure_rate_above(t, c);
    const bool slow = slow_rate_above(t, c);
    return failures || slow;
}

std::string format(const char* pattern, double a, double b, uint32_t calls) {
    char text[160];
    std::snprintf(text, sizeof text, pattern, a, b, static_cast<unsigned>(calls));
    return text;
}

// Why a tally crossed a threshold (the failure rate first), or why it crossed neither.
std::string rates_text(const OutcomeTally& t, const BreakerConfig& c) {
    const double failure = rate_percent(t.failures, t.calls);
    const double slow = rate_percent(t.slow, t.calls);
    if (failure_rate_above(t, c))
        return format("failure rate %.1f%% >= %.1f%% over %u calls", failure,
                      c.failure_rate_threshold, t.calls);
    if (slow_rate_above(t, c))
        return format("slow-call rate %.1f%% >= %.1f%% over %u calls", slow,
                      c.slow_call_rate_threshold, t.calls);
    char text[200];
    std::snprintf(text, sizeof text,
                  "failure rate %.1f%% < %.1f%% and slow-call rate %.1f%% < %.1f%% over %u calls",
                  failure, c.failure_rate_threshold, slow, c.slow_call_rate_threshold,
                  static_cast<unsigned>(t.calls));
    return text;
}

// The wait after one more consecutive reopening: rounded to the nanosecond at each step, so the
// sequence is exact and reproducible; never above the cap.
sim::Duration next_wait(sim::Duration wait, const BreakerConfig& c) {
    const double scaled = static_cast<double>(wait.ns()) * c.wait_backoff;
    if (scaled >= static_cast<double>(c.wait_in_open_max.ns())) return c.wait_in_open_max;
    return sim::Duration::nanos(std::llround(scaled));
}

std::string range_error(const char* field, const std::string& expected, const std::string& got) {
    return std::string("breaker ") + field + ": expected " + expected + ", got " + got;
}

std::string number(double x) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", x);
    return text;
}

// Clears a flag when the listener returns, or throws.
class NotifyingScope {
  public:
    explicit NotifyingScope(bool& flag) : flag_(flag) { flag_ = true; }
    ~NotifyingScope() { flag_ = false; }
    NotifyingScope(const NotifyingScope&) = delete;
    NotifyingScope& operator=(const NotifyingScope&) = delete;

  private:
    bool& flag_;
};

}  // namespace

const char* to_string(BreakerState s) {
    switch (s) {
        case BreakerState::closed:
            return "closed";
        case BreakerState::open:
            return "open";
        case BreakerState::half_open:
            return "half_open";
        case BreakerState::forced_open:
            return "forced_open";
        case BreakerState::disabled:
            return "disabled";
    }
    return "?";
}

const char* to_string(WindowKind k) {
    switch (k) {
        case WindowKind::count:
            return "count";
        case WindowKind::time:
            return "time";
    }
    return "?";
}

std::string validate(const BreakerConfig& c) {
    if (c.window_size < 1 || c.window_size > k_breaker_window_size_max)
        return range_error("window_size", "1.." + std::to_string(k_breaker_window_size_max),
                           std::to_string(c.window_size));
    if (c.minimum_calls < 1 || c.minimum_calls > k_breaker_minimum_calls_max)
        return range_error("minimum_calls", "1.." + std::to_string(k_breaker_minimum_calls_max),
                           std::to_string(c.minimum_calls));
    // Written as !(in range) so that NaN is refused too.
    if (!(c.failure_rate_threshold > 0.0 && c.failure_rate_threshold <= 100.0))
        return range_error("failure_rate_threshold", "a percentage in (0, 100]",
                           number(c.failure_rate_threshold));
    if (!(c.slow_call_rate_threshold > 0.0 && c.slow_call_rate_threshold <= 100.0))
        return range_error("slow_call_rate_threshold", "a percentage in (0, 100]",
                           number(c.slow_call_rate_threshold));
    if (c.slow_call_duration <= sim::Duration{})
        return range_error("slow_call_duration", "> 0", sim::format_duration(c.slow_call_duration));
    if (c.wait_in_open <= sim::Duration{})
        return range_error("wait_in_open", "> 0", sim::format_duration(c.wait_in_open));
    if (!(c.wait_backoff >= 1.0 && c.wait_backoff <= k_breaker_wait_backoff_max))
        return range_error("wait_backoff", "1.." + number(k_breaker_wait_backoff_max),
                           number(c.wait_backoff));
    if (c.wait_in_open_max < c.wait_in_open)
        return range_error("wait_in_open_max",
                           ">= wait_in_open (" + sim::format_duration(c.wait_in_open) + ")",
                           sim::format_duration(c.wait_in_open_max));
    if (c.permitted_in_half_open < 1 ||
        c.permitted_in_half_open > k_breaker_permitted_in_half_open_max)
        return range_error("permitted_in_half_open",
                           "1.." + std::to_string(k_breaker_permitted_in_half_open_max),
                           std::to_string(c.permitted_in_half_open));
    return {};
}

uint32_t effective_minimum_calls(const BreakerConfig& c) {
    return c.window == WindowKind::count ? std::min(c.minimum_calls, c.window_size)
                                         : c.minimum_calls;
}

// ---- OutcomeTally, SlidingWindow ----------------------------------------------------------------

void OutcomeTally::add(const OutcomeTally& o) {
    SL_ASSERT(calls <= UINT32_MAX - o.calls);
    calls += o.calls;
    failures += o.failures;
    slow += o.slow;
    SL_ASSERT(failures <= calls);
    SL_ASSERT(slow <= calls);
}

void OutcomeTally::remove(const OutcomeTally& o) {
    SL_ASSERT(o.calls <= calls);
    SL_ASSERT(o.failures <= failures);
    SL_ASSERT(o.slow <= slow);
    calls -= o.calls;
    failures -= o.failures;
    slow -= o.slow;
}

SlidingWindow::SlidingWindow(WindowKind kind, uint32_t size) : kind_(kind), slots_(size) {
    SL_ASSERT(size >= 1);
    SL_ASSERT(size <= k_breaker_window_size_max);
}

const OutcomeTally& SlidingWindow::record(sim::Time now, bool failed, bool slow) {
    const OutcomeTally one{1, failed ? 1u : 0u, slow ? 1u : 0u};
    slots_[slot_for(now)].add(one);
    totals_.add(one);
    SL_ASSERT(kind_ == WindowKind::time || totals_.calls <= slots_.size());
    return totals_;
}

// Frees the slot the outcome at `now` goes to: the oldest call (count), or every bucket of a
// second that has left the window (time).
size_t SlidingWindow::slot_for(sim::Time now) {
    if (kind_ == WindowKind::count) {
        const size_t slot = next_;
        totals_.remove(slots_[slot]);
        slots_[slot] = {};
        next_ = (next_ + 1) % slots_.size();
        return slot;
    }
    const int64_t second = second_of(now);
    if (empty_) {
        empty_ = false;
        newest_second_ = second;
    } else if (second > newest_second_) {
        // Seconds newest+1 .. second enter; the buckets they reuse held seconds that left.
        const int64_t entering =
            std::min<int64_t>(second - newest_second_, static_cast<int64_t>(slots_.size()));
        for (int64_t s = second - entering + 1; s <= second; ++s) {
            OutcomeTally& bucket = slots_[ring_index(s, slots_.size())];
            totals_.remove(bucket);
            bucket = {};
        }
        newest_second_ = second;
    }
    return ring_index(newest_second_, slots_.size());
}

void SlidingWindow::clear() {
    std::fill(slots_.begin(), slots_.end(), OutcomeTally{});
    totals_ = {};
    next_ = 0;
    empty_ = true;
    newest_second_ = 0;
}

// ---- CircuitBreaker
// --------------------------------------------------------------------------------

CircuitBreaker::CircuitBreaker(std::string name, BreakerConfig config, Listener on_transition)
    : name_(std::move(name)),
      config_(config),
      on_transition_(std::move(on_transition)),
      minimum_calls_(effective_minimum_calls(config)),
      window_(config.window, config.window_size),
      wait_(config.wait_in_open) {
    SL_ASSERT(validate(config_).empty());
}

Permit CircuitBreaker::try_acquire(sim::Time now) {
    SL_ASSERT(!notifying_);
    if (state_ == BreakerState::open && now >= open_until_) {
        SL_PROBE(probes::breaker_open_to_half_open);
        transition(now, BreakerState::half_open,
                   "waited " + sim::format_duration(wait_) + " in open");
    }
    Permit p{false, epoch_, state_};
    switch (state_) {
        case BreakerState::closed:
        case BreakerState::disabled:
            p.granted = true;
            break;
        case BreakerState::half_open:
            // Released permits give their slot back; answered ones keep it until the verdict.
            p.granted = config_.bug_half_open_admits_all ||
                        trial_.calls + half_open_in_flight_ < config_.permitted_in_half_open;
            half_open_in_flight_ += p.granted ? 1 : 0;
            if (!p.granted) SL_PROBE(probes::breaker_trial_refused);
            break;
        case BreakerState::open:
            p.granted = config_.bug_ignore_open;
            break;
        case BreakerState::forced_open:
            break;
    }
    if (p.granted) {
        ++stats_.permitted;
        ++in_flight_;
    } else {
        ++stats_.rejected;
    }
    check_invariants();
    return p;
}

void CircuitBreaker::on_success(const Permit& p, sim::Time now, sim::Duration elapsed) {
    answer(p, now, false, elapsed);
}

void CircuitBreaker::on_error(const Permit& p, sim::Time now, sim::Duration elapsed) {
    answer(p, now, true, elapsed);
}

void CircuitBreaker::release(const Permit& p, sim::Time /*now*/) {
    SL_ASSERT(!notifying_);
    SL_ASSERT(p.granted);
    SL_ASSERT(p.epoch <= epoch_);
    SL_ASSERT(in_flight_ > 0);
    --in_flight_;
    ++stats_.released;
    if (p.epoch == epoch_ && state_ == BreakerState::half_open) {
        SL_ASSERT(half_open_in_flight_ > 0);
        --half_open_in_flight_;
    }
    check_invariants();
}

void CircuitBreaker::force_open(sim::Time now) {
    SL_ASSERT(!notifying_);
    if (state_ != BreakerState::forced_open)
        transition(now, BreakerState::forced_open, "forced open");
}

void CircuitBreaker::disable(sim::Time now) {
    SL_ASSERT(!notifying_);
    if (state_ != BreakerState::disabled) transition(now, BreakerState::disabled, "disabled");
}

void CircuitBreaker::reset(sim::Time now) {
    SL_ASSERT(!notifying_);
    transition(now, BreakerState::closed, "reset");
}

void CircuitBreaker::answer(const Permit& p, sim::Time now, bool failed, sim::Duration elapsed) {
    SL_ASSERT(!notifying_);
    SL_ASSERT(p.granted);
    SL_ASSERT(p.epoch <= epoch_);
    SL_ASSERT(in_flight_ > 0);
    --in_flight_;
    // A node clock that steps back can make `elapsed` negative: such a call is simply not slow.
    const bool slow = elapsed >= config_.slow_call_duration;
    if (p.epoch != epoch_) {
        ++stats_.stale_results;
        SL_PROBE(probes::breaker_stale_result);
        if (config_.bug_count_stale_results && state_ == BreakerState::closed)
            record_closed(now, failed, slow);
        check_invariants();
        return;
    }
    SL_ASSERT(p.state == state_);
    stats_.successes += failed ? 0 : 1;
    stats_.failures += failed ? 1 : 0;
    stats_.slow += slow ? 1 : 0;
    switch (state_) {
        case BreakerState::closed:
            record_closed(now, failed, slow);
            break;
        case BreakerState::half_open:
            record_trial(now, failed, slow);
            break;
        case BreakerState::disabled:
            break;
        case BreakerState::open:
        case BreakerState::forced_open:
            SL_ASSERT(false && "a permit of the current epoch granted by a state that grants none");
            break;
    }
    check_invariants();
}

void CircuitBreaker::record_closed(sim::Time now, bool failed, bool slow) {
    const OutcomeTally& t = window_.record(now, failed, slow);
    if (t.calls < minimum_calls_ || !above_thresholds(t, config_)) return;
    SL_PROBE(probes::breaker_closed_to_open);
    trip(now, config_.wait_in_open, rates_text(t, config_));
}

void CircuitBreaker::record_trial(sim::Time now, bool failed, bool slow) {
    SL_ASSERT(half_open_in_flight_ > 0);
    --half_open_in_flight_;
    trial_.add(OutcomeTally{1, failed ? 1u : 0u, slow ? 1u : 0u});
    if (trial_.calls < config_.permitted_in_half_open) return;
    std::string reason = "trial calls: " + rates_text(trial_, config_);
    if (!above_thresholds(trial_, config_)) {
        SL_PROBE(probes::breaker_half_open_to_closed);
        transition(now, BreakerState::closed, std::move(reason));
        return;
    }
    const sim::Duration wait = next_wait(wait_, config_);
    SL_PROBE(probes::breaker_half_open_to_open);
    trip(now, wait, reason + "; waiting " + sim::format_duration(wait));
}

void CircuitBreaker::trip(sim::Time now, sim::Duration wait, std::string reason) {
    wait_ = wait;
    ++stats_.trips;
    transition(now, BreakerState::open, std::move(reason));
}

void CircuitBreaker::transition(sim::Time now, BreakerState to, std::string reason) {
    const BreakerState from = state_;
    SL_ASSERT(from != to || to == BreakerState::closed);
    // Legal transitions only: open is entered by a verdict (a closed window's or a half-open
    // trial's), half_open only from open; forced_open, disabled and closed (reset) follow any
    // state. Twin of breaker.semantics, which checks that the transitions chain.
    SL_ASSERT(to != BreakerState::open || from == BreakerState::closed ||
              from == BreakerState::half_open);
    SL_ASSERT(to != BreakerState::half_open || from == BreakerState::open);
    state_ = to;
    ++epoch_;
    half_open_in_flight_ = 0;
    trial_ = {};
    if (from == BreakerState::closed || to == BreakerState::closed) window_.clear();
    open_until_ = to == BreakerState::open ? now + wait_ : sim::Time::max();
    check_invariants();
    if (!on_transition_) return;
    NotifyingScope scope(notifying_);
    on_transition_(BreakerTransition{now, from, to, std::move(reason)});
}

void CircuitBreaker::check_invariants() const {
    SL_ASSERT(state_ == BreakerState::open || open_until_ == sim::Time::max());
    SL_ASSERT(state_ == BreakerState::closed || window_.totals().calls == 0);
    SL_ASSERT(state_ == BreakerState::half_open || half_open_in_flight_ == 0);
    SL_ASSERT(state_ == BreakerState::half_open || trial_.calls == 0);
    SL_ASSERT(config_.bug_half_open_admits_all ||
              trial_.calls + half_open_in_flight_ <= config_.permitted_in_half_open);
    SL_ASSERT(trial_.calls < config_.permitted_in_half_open);
    SL_ASSERT(half_open_in_flight_ <= in_flight_);
    SL_ASSERT(wait_ >= config_.wait_in_open);
    SL_ASSERT(wait_ <= config_.wait_in_open_max);
    SL_ASSERT(stats_.permitted == in_flight_ + stats_.released + stats_.successes +
                                      stats_.failures + stats_.stale_results);
}

}  // namespace stormlog::system::resilience
