// Model-based property: random command sequences (advance time, acquire, answer a held permit
// with success / failure / slow / release, force_open, disable, reset) run against the
// CircuitBreaker and against a reference written separately and naively - it keeps every permit
// and every outcome it ever saw, tagged with the era (state change) it belongs to, and recomputes
// windows, rates and half-open slots by scanning them. After every command the two must agree on
// the state, each grant decision, the transition sequence (time, from, to), open_until, the
// half-open permits in flight, the closed window's totals and every counter.
// Then each deliberate bug of BreakerConfig is shown to be caught by the same check, on a fixed
// RapidCheck seed so the demonstration is reproducible.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "system/resilience/circuit_breaker.hpp"

namespace stormlog::system::resilience {
namespace {

using sim::Duration;
using sim::Time;

// ---- Showing counterexamples
// ----------------------------------------------------------------------

}  // namespace

// Found by RapidCheck through argument-dependent lookup, hence outside the unnamed namespace.
[[maybe_unused]] static void showValue(const BreakerConfig& c, std::ostream& os) {
    os << "{" << to_string(c.window) << " window " << c.window_size << ", minimum "
       << c.minimum_calls << ", failure >= " << c.failure_rate_threshold
       << "%, slow >= " << c.slow_call_rate_threshold << "% at "
       << sim::format_duration(c.slow_call_duration) << ", wait "
       << sim::format_duration(c.wait_in_open) << " x" << c.wait_backoff
       << " <= " << sim::format_duration(c.wait_in_open_max) << ", half-open "
       << c.permitted_in_half_open << (c.bug_half_open_admits_all ? ", BUG admits all" : "")
       << (c.bug_count_stale_results ? ", BUG counts stale" : "") << "}";
}

namespace {

// ---- The reference ------------------------------------------------------------------------------

enum class Answer : uint8_t { success, failure, release };

const char* to_string(Answer a) {
    switch (a) {
        case Answer::success:
            return "success";
        case Answer::failure:
            return "failure";
        case Answer::release:
            return "release";
    }
    return "?";
}

struct RefPermit {
    uint64_t era = 0;
    enum Fate : uint8_t { held, answered, released } fate = held;
};

struct RefOutcome {
    uint64_t era = 0;
    Time at;
    bool failed = false;
    bool slow = false;
};

struct RefTransition {
    Time at;
    BreakerState from = BreakerState::closed;
    BreakerState to = BreakerState::closed;
};

int64_t whole_second(Time t) {
    return static_cast<int64_t>(std::floor(static_cast<double>(t.ns()) / 1e9));
}

// What the breaker must do, from the rules in circuit_breaker.hpp and nothing else. Time only
// moves forward here (the property never steps it back).
class Reference {
  public:
    explicit Reference(const BreakerConfig& c) : config(c) {}

    void advance(Duration d) { now = now + d; }

    bool acquire() {
        if (state == BreakerState::open && now >= opened_at + wait_after(reopenings))
            enter(BreakerState::half_open);
        bool granted = state == BreakerState::closed || state == BreakerState::disabled;
        if (state == BreakerState::half_open) {
            // A trial slot stays taken by a held or answered permit; a released one gives it back.
            size_t taken = 0;
            for (const RefPermit& p : permits)
                taken += (p.era == era && p.fate != RefPermit::released) ? 1 : 0;
            granted = taken < config.permitted_in_half_open;
        }
        if (granted) {
            permits.push_back(RefPermit{era, RefPermit::held});
            ++stats.permitted;
        } else {
            ++stats.rejected;
        }
        return granted;
    }

    // Answers the `nth` held permit, in order of grant.
    void answer(size_t nth, Answer how, Duration elapsed) {
        RefPermit& p = held_permit(nth);
        if (how == Answer::release) {
            p.fate = RefPermit::released;
            ++stats.released;
            return;
        }
        p.fate = RefPermit::answered;
        if (p.era != era) {
            ++stats.stale_results;
            return;
        }
        const RefOutcome o{era, now, how == Answer::failure, elapsed >= config.slow_call_duration};
        stats.successes += o.failed ? 0 : 1;
        stats.failures += o.failed ? 1 : 0;
        stats.slow += o.slow ? 1 : 0;
        if (state == BreakerState::disabled) return;
        outcomes.push_back(o);
        if (state == BreakerState::closed) judge_closed();
        if (state == BreakerState::half_open) judge_trials();
    }

    void force_open() {
        if (state != BreakerState::forced_open) enter(BreakerState::forced_open);
    }
    void disable() {
        if (state != BreakerState::disabled) enter(BreakerState::disabled);
    }
    void reset() { enter(BreakerState::closed); }

    // ---- what is observed
    size_t held_count() const {
        return static_cast<size_t>(
            std::count_if(permits.begin(), permits.end(),
                          [](const RefPermit& p) { return p.fate == RefPermit::held; }));
    }
    uint32_t half_open_in_flight() const {
        if (state != BreakerState::half_open) return 0;
        uint32_t n = 0;
        for (const RefPermit& p : permits) n += (p.era == era && p.fate == RefPermit::held) ? 1 : 0;
        return n;
    }
    Time open_until() const {
        return state == BreakerState::open ? opened_at + wait_after(reopenings) : Time::max();
    }
    // The closed window: this era's outcomes, the last window_size of them (count), or those of the
    // window_size seconds ending at the newest one (time).
    OutcomeTally window() const {
        std::vector<RefOutcome> mine;
        if (state == BreakerState::closed)
            for (const RefOutcome& o : outcomes)
                if (o.era == era) mine.push_back(o);
        OutcomeTally t;
        if (mine.empty()) return t;
        const int64_t newest = whole_second(mine.back().at);
        for (size_t i = 0; i < mine.size(); ++i) {
            const bool in =
                config.window == WindowKind::count
                    ? mine.size() - i <= config.window_size
                    : whole_second(mine[i].at) > newest - static_cast<int64_t>(config.window_size);
            if (!in) continue;
            ++t.calls;
            t.failures += mine[i].failed ? 1 : 0;
            t.slow += mine[i].slow ? 1 : 0;
        }
        return t;
    }

    BreakerConfig config;
    Time now;
    BreakerState state = BreakerState::closed;
    std::vector<RefTransition> transitions;
    BreakerStats stats;

  private:
    RefPermit& held_permit(size_t nth) {
        for (RefPermit& p : permits) {
            if (p.fate != RefPermit::held) continue;
            if (nth == 0) return p;
            --nth;
        }
        RC_FAIL("no such held permit");
        std::abort();  // not reached: RC_FAIL throws
    }

    bool above(const OutcomeTally& t) const {
        const double failure_rate = 100.0 * t.failures / t.calls;
        const double slow_rate = 100.0 * t.slow / t.calls;
        return failure_rate >= config.failure_rate_threshold ||
               slow_rate >= config.slow_call_rate_threshold;
    }

    void judge_closed() {
        const OutcomeTally t = window();
        uint32_t minimum = config.minimum_calls;
        if (config.window == WindowKind::count) minimum = std::min(minimum, config.window_size);
        if (t.calls < minimum || !above(t)) return;
        reopenings = 0;
        open();
    }

    void judge_trials() {
        OutcomeTally t;
        for (const RefOutcome& o : outcomes) {
            if (o.era != era) continue;
            ++t.calls;
            t.failures += o.failed ? 1 : 0;
            t.slow += o.slow ? 1 : 0;
        }
        if (t.calls < config.permitted_in_half_open) return;
        if (!above(t)) {
            enter(BreakerState::closed);
            return;
        }
        ++reopenings;
        open();
    }

    void open() {
        opened_at = now;
        ++stats.trips;
        enter(BreakerState::open);
    }

    // wait_in_open, multiplied by wait_backoff once per reopening, rounded to the nanosecond at
    // each step and capped.
    Duration wait_after(int reopened) const {
        int64_t ns = config.wait_in_open.ns();
        for (int i = 0; i < reopened; ++i) {
            const double next = static_cast<double>(ns) * config.wait_backoff;
            ns = next >= static_cast<double>(config.wait_in_open_max.ns())
                     ? config.wait_in_open_max.ns()
                     : std::llround(next);
        }
        return Duration::nanos(ns);
    }

    void enter(BreakerState to) {
        transitions.push_back(RefTransition{now, state, to});
        state = to;
        ++era;
    }

    uint64_t era = 0;
    std::vector<RefPermit> permits;    // every permit granted, in order
    std::vector<RefOutcome> outcomes;  // every outcome recorded in a closed or half-open era
    Time opened_at;
    int reopenings = 0;  // consecutive half_open -> open since the last closed -> open
};

// ---- The system under test ---------------------------------------------------------------------

// How often the interesting cases happened, so a test can show the property reaches them.
struct Coverage {
    uint64_t trips_from_closed = 0, reopenings = 0, closings = 0, capped_waits = 0;
    uint64_t half_open_refusals = 0, stale_results = 0, time_window_runs = 0;
};

struct Sut {
    Sut(const BreakerConfig& c, Coverage* cov)
        : breaker("sut", c, [this](const BreakerTransition& t) { transitions.push_back(t); }),
          coverage(cov) {
        if (coverage != nullptr && c.window == WindowKind::time) ++coverage->time_window_runs;
    }
    Sut(const Sut&) = delete;
    Sut& operator=(const Sut&) = delete;

    CircuitBreaker breaker;
    Time now;
    std::vector<Permit> held;
    std::vector<BreakerTransition> transitions;
    size_t transitions_seen = 0;
    uint64_t stale_seen = 0;
    Coverage* coverage;
};

void expect(bool ok, const std::string& what) {
    if (!ok) RC_FAIL(what);
}

std::string differ(const char* what, uint64_t sut, uint64_t ref) {
    return std::string(what) + ": breaker " + std::to_string(sut) + ", reference " +
           std::to_string(ref);
}

void note_coverage(Sut& s) {
    if (s.coverage == nullptr) return;
    const BreakerConfig& c = s.breaker.config();
    for (; s.transitions_seen < s.transitions.size(); ++s.transitions_seen) {
        const BreakerTransition& t = s.transitions[s.transitions_seen];
        if (t.to == BreakerState::open && t.from == BreakerState::closed)
            ++s.coverage->trips_from_closed;
        if (t.to == BreakerState::open && t.from == BreakerState::half_open)
            ++s.coverage->reopenings;
        if (t.to == BreakerState::closed && t.from == BreakerState::half_open)
            ++s.coverage->closings;
        const bool capped = t.to == BreakerState::open && c.wait_in_open_max > c.wait_in_open &&
                            s.breaker.current_wait() == c.wait_in_open_max;
        s.coverage->capped_waits += capped ? 1 : 0;
    }
    s.coverage->stale_results += s.breaker.stats().stale_results - s.stale_seen;
    s.stale_seen = s.breaker.stats().stale_results;
}

void expect_agreement(const Reference& ref, Sut& s) {
    const CircuitBreaker& b = s.breaker;
    expect(b.state() == ref.state, std::string("state: breaker ") + to_string(b.state()) +
                                       ", reference " + to_string(ref.state));
    expect(s.transitions.size() == ref.transitions.size(),
           differ("transitions", s.transitions.size(), ref.transitions.size()));
    for (size_t i = 0; i < ref.transitions.size(); ++i) {
        const BreakerTransition& t = s.transitions[i];
        const RefTransition& r = ref.transitions[i];
        expect(t.at == r.at && t.from == r.from && t.to == r.to && !t.reason.empty(),
               "transition " + std::to_string(i) + ": breaker " + to_string(t.from) + " -> " +
                   to_string(t.to) + " at " + sim::format_duration(t.at - Time::zero()) + " (" +
                   t.reason + "), reference " + to_string(r.from) + " -> " + to_string(r.to) +
                   " at " + sim::format_duration(r.at - Time::zero()));
    }
    expect(b.open_until() == ref.open_until(),
           differ("open_until (ns)", static_cast<uint64_t>(b.open_until().ns()),
                  static_cast<uint64_t>(ref.open_until().ns())));
    expect(
        b.half_open_in_flight() == ref.half_open_in_flight(),
        differ("half-open permits in flight", b.half_open_in_flight(), ref.half_open_in_flight()));
    const OutcomeTally w = ref.window();
    expect(b.window_totals().calls == w.calls && b.window_totals().failures == w.failures &&
               b.window_totals().slow == w.slow,
           differ("window calls", b.window_totals().calls, w.calls) + "; " +
               differ("failures", b.window_totals().failures, w.failures) + "; " +
               differ("slow", b.window_totals().slow, w.slow));
    const BreakerStats& x = b.stats();
    const BreakerStats& y = ref.stats;
    expect(x.permitted == y.permitted, differ("permitted", x.permitted, y.permitted));
    expect(x.rejected == y.rejected, differ("rejected", x.rejected, y.rejected));
    expect(x.successes == y.successes, differ("successes", x.successes, y.successes));
    expect(x.failures == y.failures, differ("failures", x.failures, y.failures));
    expect(x.slow == y.slow, differ("slow", x.slow, y.slow));
    expect(x.trips == y.trips, differ("trips", x.trips, y.trips));
    expect(x.stale_results == y.stale_results,
           differ("stale results", x.stale_results, y.stale_results));
    expect(x.released == y.released, differ("released", x.released, y.released));
    expect(s.held.size() == ref.held_count(),
           differ("held permits", s.held.size(), ref.held_count()));
    expect(b.in_flight() == s.held.size(), differ("in flight", b.in_flight(), s.held.size()));
    note_coverage(s);
}

// ---- Commands
// ------------------------------------------------------------------------------------

using Command = rc::state::Command<Reference, Sut>;

struct Advance : Command {
    Duration by = Duration::millis(*rc::gen::weightedOneOf<int64_t>(
        {{4, rc::gen::element<int64_t>(0, 1, 250, 999, 1000, 1001, 1500)},
         {3, rc::gen::inRange<int64_t>(0, 4000)},
         {1, rc::gen::element<int64_t>(5000, 10'000, 40'000)}}));

    void apply(Reference& m) const override { m.advance(by); }
    void run(const Reference& m, Sut& s) const override {
        s.now = s.now + by;
        Reference expected = m;
        apply(expected);
        expect_agreement(expected, s);
    }
    void show(std::ostream& os) const override { os << "advance " << sim::format_duration(by); }
};

struct Acquire : Command {
    void apply(Reference& m) const override { m.acquire(); }
    void run(const Reference& m, Sut& s) const override {
        Reference expected = m;
        const bool granted = expected.acquire();
        const Permit p = s.breaker.try_acquire(s.now);
        if (p.granted) s.held.push_back(p);
        if (s.coverage != nullptr && !p.granted && p.state == BreakerState::half_open)
            ++s.coverage->half_open_refusals;
        expect(p.granted == granted, std::string("grant in ") + to_string(expected.state) +
                                         ": breaker " + (p.granted ? "granted" : "refused") +
                                         ", reference " + (granted ? "granted" : "refused"));
        expect_agreement(expected, s);
    }
    void show(std::ostream& os) const override { os << "acquire"; }
};

// Answers one held permit: a success or failure after a fast or slow call, or a release.
struct Respond : Command {
    explicit Respond(const Reference& m)
        : nth(pick_permit(m.held_count())),
          how(*rc::gen::weightedElement<Answer>(
              {{4, Answer::success}, {4, Answer::failure}, {1, Answer::release}})),
          elapsed(elapsed_for(m.config,
                              *rc::gen::weightedElement<int>({{6, 0}, {1, 1}, {2, 2}, {2, 3}}))) {}

    // The newest permit half of the time (the call just made), otherwise any: old permits are
    // mostly stale, and a sequence that answered only those would rarely reach a verdict.
    static size_t pick_permit(size_t held) {
        RC_PRE(held > 0);
        return *rc::gen::weightedOneOf<size_t>(
            {{1, rc::gen::just(held - 1)}, {1, rc::gen::inRange<size_t>(0, held)}});
    }

    // Fast, just below the slow-call duration, exactly it, or well above it.
    static Duration elapsed_for(const BreakerConfig& c, int pick) {
        const Duration choices[] = {Duration::millis(1), c.slow_call_duration - Duration::nanos(1),
                                    c.slow_call_duration, c.slow_call_duration * 3};
        return choices[pick];
    }

    size_t nth;
    Answer how;
    Duration elapsed;

    void checkPreconditions(const Reference& m) const override { RC_PRE(nth < m.held_count()); }
    void apply(Reference& m) const override { m.answer(nth, how, elapsed); }
    void run(const Reference& m, Sut& s) const override {
        Reference expected = m;
        apply(expected);
        const Permit p = s.held[nth];
        s.held.erase(s.held.begin() + static_cast<std::ptrdiff_t>(nth));
        if (how == Answer::release) s.breaker.release(p, s.now);
        if (how == Answer::success) s.breaker.on_success(p, s.now, elapsed);
        if (how == Answer::failure) s.breaker.on_error(p, s.now, elapsed);
        expect_agreement(expected, s);
    }
    void show(std::ostream& os) const override {
        os << "answer #" << nth << " " << to_string(how);
        if (how != Answer::release) os << " after " << sim::format_duration(elapsed);
    }
};

// force_open, disable or reset. Overrides are rarer than calls, and force_open and disable rarer
// still, so that sequences spend most of their time in the automatic states.
struct Override : Command {
    enum Kind : uint8_t { force_open, disable, reset };
    Kind kind = *rc::gen::weightedElement<Kind>({{1, force_open}, {1, disable}, {3, reset}});

    void apply(Reference& m) const override {
        if (kind == force_open) m.force_open();
        if (kind == disable) m.disable();
        if (kind == reset) m.reset();
    }
    void run(const Reference& m, Sut& s) const override {
        Reference expected = m;
        apply(expected);
        if (kind == force_open) s.breaker.force_open(s.now);
        if (kind == disable) s.breaker.disable(s.now);
        if (kind == reset) s.breaker.reset(s.now);
        expect_agreement(expected, s);
    }
    void show(std::ostream& os) const override {
        const char* names[] = {"force_open", "disable", "reset"};
        os << names[kind];
    }
};

// Small windows, thresholds that fall on exact rates, waits comparable to the time steps.
rc::Gen<BreakerConfig> gen_config() {
    return rc::gen::exec([] {
        BreakerConfig c;
        c.window = *rc::gen::element(WindowKind::count, WindowKind::time);
        c.window_size = *rc::gen::inRange<uint32_t>(1, 7);
        c.minimum_calls = *rc::gen::inRange<uint32_t>(1, 8);
        c.failure_rate_threshold = *rc::gen::element(1.0, 25.0, 33.3, 50.0, 66.7, 75.0, 100.0);
        c.slow_call_rate_threshold = *rc::gen::element(25.0, 50.0, 100.0);
        c.slow_call_duration = *rc::gen::element(Duration::millis(500), Duration::seconds(1));
        c.wait_in_open = *rc::gen::element(Duration::millis(1), Duration::seconds(1),
                                           Duration::millis(1500), Duration::seconds(3));
        c.wait_backoff = *rc::gen::element(1.0, 1.5, 2.0, 3.0);
        c.wait_in_open_max = c.wait_in_open * *rc::gen::inRange<int64_t>(1, 6);
        c.permitted_in_half_open = *rc::gen::inRange<uint32_t>(1, 5);
        RC_ASSERT(validate(c).empty());
        return c;
    });
}

// The property: one generated config, one generated command sequence.
void check_against_reference(bool bug_half_open_admits_all, bool bug_count_stale_results,
                             Coverage* coverage) {
    BreakerConfig c = *gen_config();
    c.bug_half_open_admits_all = bug_half_open_admits_all;
    c.bug_count_stale_results = bug_count_stale_results;
    Sut sut(c, coverage);
    rc::state::check(Reference(c), sut,
                     rc::state::gen::execOneOfWithArgs<Advance, Advance, Advance, Acquire, Acquire,
                                                       Acquire, Acquire, Respond, Respond, Respond,
                                                       Respond, Respond, Override>());
}

RC_GTEST_PROP(BreakerModel, AgreesWithTheReferenceOnEveryCommand, ()) {
    check_against_reference(false, false, nullptr);
}

// ---- The check catches deliberate bugs on a fixed seed
// --------------------------------------------

struct Outcome {
    bool passed = false;
    std::string failure;  // the first failing command's complaint, after shrinking
};

// Tells nobody: a failure expected here must not make RapidCheck print "Some of your RapidCheck
// properties had failures" at exit, as the default listener would.
class SilentListener : public rc::detail::TestListener {
  public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

Outcome check_fixed_seed(bool bug_half_open_admits_all, bool bug_count_stale_results,
                         Coverage* coverage) {
    rc::detail::TestParams params;
    params.seed = 20240601;
    params.maxSuccess = 500;
    params.maxSize = 100;
    rc::detail::TestMetadata metadata;
    metadata.id = metadata.description = "breaker agrees with the reference";
    SilentListener silent;
    const rc::detail::TestResult result = rc::detail::checkTestable(
        [=] {
            check_against_reference(bug_half_open_admits_all, bug_count_stale_results, coverage);
        },
        metadata, params, silent);
    Outcome out;
    rc::detail::SuccessResult success;
    rc::detail::FailureResult failure;
    out.passed = result.match(success);
    if (result.match(failure)) {
        out.failure = failure.description;
        for (const auto& [what, value] : failure.counterExample)
            out.failure += "\n" + what + ": " + value;
    }
    return out;
}

TEST(BreakerModelFixedSeed, TheCorrectBreakerPassesAndReachesEveryCase) {
    Coverage coverage;
    const Outcome out = check_fixed_seed(false, false, &coverage);
    EXPECT_TRUE(out.passed) << out.failure;
    EXPECT_GT(coverage.trips_from_closed, 50u);
    EXPECT_GT(coverage.reopenings, 20u);
    EXPECT_GT(coverage.closings, 20u);
    EXPECT_GT(coverage.capped_waits, 5u);
    EXPECT_GT(coverage.half_open_refusals, 20u);
    EXPECT_GT(coverage.stale_results, 5u);
    EXPECT_GT(coverage.time_window_runs, 50u);
    std::printf(
        "coverage: trips=%lu reopenings=%lu closings=%lu capped=%lu half-open refusals=%lu "
        "stale=%lu\n",
        static_cast<unsigned long>(coverage.trips_from_closed),
        static_cast<unsigned long>(coverage.reopenings),
        static_cast<unsigned long>(coverage.closings),
        static_cast<unsigned long>(coverage.capped_waits),
        static_cast<unsigned long>(coverage.half_open_refusals),
        static_cast<unsigned long>(coverage.stale_results));
}

TEST(BreakerModelFixedSeed, AHalfOpenBreakerAdmittingEveryCallIsCaught) {
    const Outcome out = check_fixed_seed(true, false, nullptr);
    ASSERT_FALSE(out.passed);
    EXPECT_NE(out.failure.find("grant in half_open: breaker granted, reference refused"),
              std::string::npos)
        << out.failure;
    std::printf("caught: %s\n", out.failure.c_str());
}

TEST(BreakerModelFixedSeed, CountingStaleResultsInTheClosedWindowIsCaught) {
    const Outcome out = check_fixed_seed(false, true, nullptr);
    ASSERT_FALSE(out.passed);
    EXPECT_NE(out.failure.find(", reference "), std::string::npos) << out.failure;
    std::printf("caught: %s\n", out.failure.c_str());
}

}  // namespace
}  // namespace stormlog::system::resilience
