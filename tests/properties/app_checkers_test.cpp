// The ledger system's checkers on scripted reports: each rule fires on the smallest history that
// breaks it and stays quiet on its legitimate neighbours (the cases a correct system produces).

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "properties/ledger/committed_log.hpp"
#include "properties/ledger/ledger_checker.hpp"
#include "properties/projections/projection_checker.hpp"
#include "properties/resilience/breaker_checker.hpp"
#include "system/ledger/ledger_events.hpp"
#include "system/ledger/read_models.hpp"
#include "system/resilience/guarded_call.hpp"

namespace stormlog::properties {
namespace {

using sim::Duration;
using sim::Time;
using system::ledger::EventType;
using system::ledger::LedgerEvent;
using system::resilience::BreakerConfig;
using system::resilience::BreakerState;
using system::resilience::BreakerTransition;
using system::resilience::CircuitBreaker;
using system::resilience::Permit;
using system::resilience::PushResult;

Time at_ms(int64_t ms) {
    return Time::zero() + Duration::millis(ms);
}

// ---- Breaker semantics ----------------------------------------------------------------------

struct BreakerFixture {
    static BreakerConfig two_trials() {
        BreakerConfig c;
        c.permitted_in_half_open = 2;
        c.wait_in_open = Duration::millis(500);
        return c;
    }
    explicit BreakerFixture(const BreakerConfig& c = two_trials()) : config(c) {}

    std::vector<std::string> violations;
    resilience::BreakerChecker checker{
        [this](const resilience::BreakerViolation& v) { violations.push_back(v.evidence); }};
    BreakerConfig config;
    CircuitBreaker breaker{"b", config};

    void transition(int64_t ms, BreakerState from, BreakerState to) {
        checker.on_transition(breaker, BreakerTransition{at_ms(ms), from, to, "scripted"});
    }
    void permit(int64_t ms, uint64_t epoch, BreakerState state, bool granted = true) {
        checker.on_permit(breaker, Permit{granted, epoch, state}, at_ms(ms));
    }
    void result(int64_t ms, uint64_t epoch, bool failed) {
        checker.on_result(breaker, Permit{true, epoch, BreakerState::closed}, failed, Duration{},
                          at_ms(ms));
    }
};

TEST(BreakerChecker, APermitWhileOpenIsAViolation) {
    BreakerFixture f;
    f.transition(10, BreakerState::closed, BreakerState::open);
    f.permit(20, 1, BreakerState::open, false);  // refused: fine
    EXPECT_TRUE(f.violations.empty());
    f.permit(30, 1, BreakerState::open);
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_NE(f.violations[0].find("while the breaker was open"), std::string::npos)
        << f.violations[0];
}

TEST(BreakerChecker, HalfOpenAdmitsThePermittedTrialsAndAReleaseFreesOne) {
    BreakerFixture f;
    f.transition(0, BreakerState::closed, BreakerState::open);
    f.transition(600, BreakerState::open, BreakerState::half_open);
    f.permit(600, 2, BreakerState::half_open);
    f.permit(601, 2, BreakerState::half_open);
    f.checker.on_release(f.breaker, Permit{true, 2, BreakerState::half_open}, at_ms(602));
    f.permit(603, 2, BreakerState::half_open);  // the released slot
    EXPECT_TRUE(f.violations.empty());
    f.permit(604, 2, BreakerState::half_open);  // a third concurrent trial
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_NE(f.violations[0].find("only 2 trial calls"), std::string::npos) << f.violations[0];
}

TEST(BreakerChecker, AReleaseFromAnEarlierHalfOpenFreesNothing) {
    BreakerFixture f;
    f.transition(0, BreakerState::closed, BreakerState::open);
    f.transition(500, BreakerState::open, BreakerState::half_open);
    f.permit(500, 2, BreakerState::half_open);
    f.permit(501, 2, BreakerState::half_open);
    f.checker.on_release(f.breaker, Permit{true, 1, BreakerState::half_open}, at_ms(502));
    f.permit(503, 2, BreakerState::half_open);
    EXPECT_EQ(f.violations.size(), 1u);
}

TEST(BreakerChecker, LeavingOpenBeforeTheWaitIsAViolation) {
    BreakerFixture f;
    f.transition(100, BreakerState::closed, BreakerState::open);
    f.transition(599, BreakerState::open, BreakerState::half_open);
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_NE(f.violations[0].find("wait in open"), std::string::npos) << f.violations[0];
}

TEST(BreakerChecker, TransitionsMustChain) {
    BreakerFixture f;
    f.transition(0, BreakerState::closed, BreakerState::open);
    EXPECT_TRUE(f.violations.empty());
    f.transition(10, BreakerState::closed, BreakerState::open);  // it was open, not closed
    EXPECT_EQ(f.violations.size(), 1u);
}

// A breaker whose reference opens on its first failure; a scripted verdict then is judged against
// the trial calls of its half-open state, or against nothing for a result of an earlier state.
struct OneCallBreaker : BreakerFixture {
    static BreakerConfig one_call() {
        BreakerConfig c = two_trials();
        c.window_size = 1;
        c.minimum_calls = 1;
        return c;
    }
    OneCallBreaker() : BreakerFixture(one_call()) {
        transition(0, BreakerState::closed, BreakerState::open);
        result(0, 1, /*failed=*/true);  // the verdict it judged right: epoch 2, open
        transition(500, BreakerState::open, BreakerState::half_open);  // epoch 3
    }
};

TEST(BreakerVerdicts, AWrongVerdictIsExplainedByWhatTheReferenceJudged) {
    OneCallBreaker trials;
    ASSERT_TRUE(trials.violations.empty()) << trials.violations[0];
    trials.transition(510, BreakerState::half_open, BreakerState::closed);
    trials.result(510, 3, /*failed=*/false);  // one trial of two: too soon to close
    ASSERT_EQ(trials.violations.size(), 1u);
    EXPECT_NE(trials.violations[0].find("its trial calls gave 1 results, 0 failed, 0 slow: the "
                                        "breaker went closed, but its configuration says stay"),
              std::string::npos)
        << trials.violations[0];

    OneCallBreaker stale;
    stale.transition(510, BreakerState::half_open, BreakerState::open);
    stale.result(510, 1, /*failed=*/true);  // of the first closed state: it decides nothing
    ASSERT_EQ(stale.violations.size(), 1u);
    EXPECT_NE(stale.violations[0].find("the result is of an earlier state (epoch 1, now 3) and "
                                       "counts nowhere: the breaker went open"),
              std::string::npos)
        << stale.violations[0];
}

// A correct breaker never trips the checker, whatever its configuration and calls: the reference
// window (its results and their running failure and slow counts) must slide, clear and judge
// exactly as the breaker's own does, or check_window raises a false alarm.
RC_GTEST_PROP(BreakerVerdictsProperty, ACorrectBreakerNeverTripsTheChecker, ()) {
    BreakerConfig c;
    c.window = *rc::gen::element(system::resilience::WindowKind::count,
                                 system::resilience::WindowKind::time);
    c.window_size = *rc::gen::inRange<uint32_t>(1, 9);
    c.minimum_calls = *rc::gen::inRange<uint32_t>(1, 12);
    c.failure_rate_threshold = *rc::gen::element(25.0, 50.0, 75.0, 100.0);
    c.slow_call_rate_threshold = *rc::gen::element(50.0, 100.0);
    c.slow_call_duration = Duration::millis(5);
    c.wait_in_open = Duration::millis(100);
    c.permitted_in_half_open = *rc::gen::inRange<uint32_t>(1, 4);
    RC_PRE(system::resilience::validate(c).empty());
    std::vector<std::string> violations;
    resilience::BreakerChecker checker{
        [&](const resilience::BreakerViolation& v) { violations.push_back(v.evidence); }};
    std::unique_ptr<CircuitBreaker> breaker;
    breaker = std::make_unique<CircuitBreaker>(
        "b", c, [&](const BreakerTransition& t) { checker.on_transition(*breaker, t); });
    const auto calls = *rc::gen::container<std::vector<std::tuple<int, bool, int>>>(rc::gen::tuple(
        rc::gen::inRange(0, 700), rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 10)));
    int64_t now_ms = 0;
    for (const auto& [gap_ms, failed, took_ms] : calls) {
        now_ms += gap_ms;
        system::resilience::GuardedCall call(*breaker, at_ms(now_ms), &checker);
        if (!call.permitted()) continue;
        failed ? call.failed(at_ms(now_ms + took_ms)) : call.succeeded(at_ms(now_ms + took_ms));
        RC_ASSERT(violations.empty());
    }
    RC_ASSERT(violations.empty());
}

// ---- Projections and queues -----------------------------------------------------------------

system::store::RecordedEvent ledger_event(uint64_t position, const std::string& account,
                                          EventType type, int64_t amount) {
    return system::store::RecordedEvent{system::ledger::account_stream(account), 0, position,
                                        "e" + std::to_string(position),
                                        system::ledger::encode(LedgerEvent{type, amount, {}, {}})};
}

struct ProjectionFixture {
    ledger::CommittedLog log;
    std::vector<std::pair<std::string, std::string>> violations;  // property, evidence
    projections::ProjectionChecker checker{log, [this](const projections::ProjectionViolation& v) {
                                               violations.emplace_back(v.property, v.evidence);
                                           }};
    std::unique_ptr<system::projections::ReadModel> model =
        system::ledger::make_read_model("balances");

    ProjectionFixture() {
        checker.add("balances", "balances");
        // Three committed events: open a, deposit 10, deposit 5.
        commit({ledger_event(0, "a", EventType::opened, 0),
                ledger_event(1, "a", EventType::deposited, 10),
                ledger_event(2, "a", EventType::deposited, 5)});
    }
    void commit(const std::vector<system::store::RecordedEvent>& events) {
        for (const system::store::RecordedEvent& e : events) {
            system::store::AppendCommand c;
            c.stream = e.stream;
            c.events.push_back(system::store::EventData{e.id, e.data});
            system::store::AppendResult r;
            r.first = r.last = 0;
            r.first_global = r.last_global = e.global_position;
            log.on_store_apply(0, system::store::Index{e.global_position + 1}, c, r);
        }
    }
    void apply(uint64_t position) { model->apply(log.events().at(position)); }
};

// ---- Breaker verdicts against the reference window --------------------------------------------

// A real breaker, its transitions and every permit and result going to the checker, as in the
// ledger workload.
struct LiveBreaker {
    std::vector<std::string> violations;
    resilience::BreakerChecker checker{
        [this](const resilience::BreakerViolation& v) { violations.push_back(v.evidence); }};
    BreakerConfig config;
    std::unique_ptr<CircuitBreaker> breaker;
    explicit LiveBreaker(bool bug_count_stale_results = false) {
        config.window = system::resilience::WindowKind::count;
        config.window_size = 4;
        config.minimum_calls = 4;
        config.failure_rate_threshold = 50;
        config.wait_in_open = Duration::millis(100);
        config.permitted_in_half_open = 2;
        config.bug_count_stale_results = bug_count_stale_results;
        breaker = std::make_unique<CircuitBreaker>("b", config, [this](const BreakerTransition& t) {
            checker.on_transition(*breaker, t);
        });
    }
    // One call at `ms` answered at once.
    void call(int64_t ms, bool ok) {
        system::resilience::GuardedCall c(*breaker, at_ms(ms), &checker);
        if (!c.permitted()) return;
        ok ? c.succeeded(at_ms(ms)) : c.failed(at_ms(ms));
    }
};

TEST(BreakerVerdicts, ARealBreakerOpensTriesAndClosesAsItsConfigurationSays) {
    LiveBreaker b;
    for (int i = 0; i < 3; ++i) b.call(i, true);
    b.call(3, false);
    b.call(4, false);  // 2 of the last 4 failed: 50% >= 50%
    EXPECT_EQ(b.breaker->state(), BreakerState::open);
    b.call(50, true);   // refused
    b.call(200, true);  // half-open: trial 1
    b.call(201, true);  // trial 2: closed
    EXPECT_EQ(b.breaker->state(), BreakerState::closed);
    EXPECT_TRUE(b.violations.empty()) << b.violations[0];
}

TEST(BreakerVerdicts, AStaleResultCountedInAFreshWindowIsCaught) {
    LiveBreaker b(/*bug_count_stale_results=*/true);
    // A call admitted while closed, answered after the breaker opened and closed again.
    system::resilience::GuardedCall slow(*b.breaker, at_ms(0), &b.checker);
    for (int i = 1; i <= 4; ++i) b.call(i, false);
    b.call(200, true);
    b.call(201, true);
    ASSERT_EQ(b.breaker->state(), BreakerState::closed);
    EXPECT_TRUE(b.violations.empty()) << b.violations[0];
    slow.failed(at_ms(300));  // its failure counts in the fresh window under the bug
    ASSERT_EQ(b.violations.size(), 1u);
    EXPECT_NE(b.violations[0].find("its closed window holds 1 calls (1 failed, 0 slow), but this "
                                   "state's results in it are 0"),
              std::string::npos)
        << b.violations[0];
}

TEST(BreakerVerdicts, AWindowThatShouldOpenButDoesNotIsCaught) {
    // Results reported as a breaker that never opens would: four failures, no transition.
    std::vector<std::string> violations;
    resilience::BreakerChecker checker{
        [&](const resilience::BreakerViolation& v) { violations.push_back(v.evidence); }};
    BreakerConfig c;
    c.window = system::resilience::WindowKind::count;
    c.window_size = 4;
    c.minimum_calls = 4;
    CircuitBreaker b{"b", c};
    b.disable(at_ms(0));  // unreported: only the scripted results below reach the checker
    for (int i = 0; i < 4; ++i)
        checker.on_result(b, Permit{true, 1, BreakerState::closed}, true, Duration{}, at_ms(i));
    ASSERT_FALSE(violations.empty());
    EXPECT_NE(violations[0].find("its window holds 4 results, 4 failed, 0 slow: the breaker "
                                 "stayed put, but its configuration says go open"),
              std::string::npos)
        << violations[0];
}

TEST(ProjectionChecker, AModelMatchingTheFoldOfItsCheckpointPasses) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.apply(0);
    f.apply(1);
    f.checker.on_checkpoint("balances", 2, {}, *f.model);
    EXPECT_TRUE(f.violations.empty());
}

TEST(ProjectionChecker, AnEventAppliedTwiceIsCaught) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.apply(0);
    f.apply(1);
    f.apply(1);
    f.checker.on_checkpoint("balances", 2, {}, *f.model);
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_EQ(f.violations[0].first, "projection.consistent");
}

// Each checkpoint compares every entry the model holds, not what changed since the last one: a
// state damaged while no event was applied is caught at the next checkpoint all the same.
TEST(ProjectionChecker, AModelStateChangedBetweenCheckpointsWithoutAnEventIsCaught) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.apply(0);
    f.apply(1);
    f.checker.on_checkpoint("balances", 2, {}, *f.model);
    ASSERT_TRUE(f.violations.empty());
    std::unique_ptr<system::projections::ReadModel> other =
        system::ledger::make_read_model("balances");
    other->apply(f.log.events().at(0));
    ASSERT_TRUE(f.model->decode(other->encode()));  // a = 0: the deposit of 10 is gone
    f.checker.on_checkpoint("balances", 2, {}, *f.model);
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_EQ(f.violations[0].first, "projection.consistent");
    EXPECT_NE(f.violations[0].second.find("a = 0 in the model, 10 in the log's fold"),
              std::string::npos)
        << f.violations[0].second;
}

TEST(ProjectionChecker, ACheckpointMovingBackIsCaughtUnlessARebuildSaidSo) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.apply(0);
    f.apply(1);
    f.checker.on_checkpoint("balances", 2, {}, *f.model);
    f.checker.on_rebuild("balances");
    f.model->clear();
    f.checker.on_resume("balances", 0, {}, *f.model);
    EXPECT_TRUE(f.violations.empty());
    f.apply(0);
    f.checker.on_checkpoint("balances", 1, {}, *f.model);
    f.checker.on_resume("balances", 0, {}, *f.model);  // no rebuild this time
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_EQ(f.violations[0].first, "projection.checkpoint_monotonic");
}

TEST(ProjectionChecker, AQueueThatLosesAnAcceptedEventIsCaught) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    for (uint64_t p = 0; p < 3; ++p) {
        f.checker.on_offering("balances", p);
        f.checker.on_offer("balances", p, PushResult::accepted);
    }
    f.checker.on_deliver("balances", 0);
    f.checker.on_deliver("balances", 2);  // 1 was accepted, then lost
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_EQ(f.violations[0].first, "queue.no_silent_loss");
}

TEST(ProjectionChecker, ABlockedOfferHandedStraightToTheHandlerIsNoLoss) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.checker.on_offering("balances", 0);
    f.checker.on_deliver("balances", 0);  // delivered before the producer learnt "accepted"
    f.checker.on_offer("balances", 0, PushResult::accepted);
    f.checker.on_offering("balances", 1);
    f.checker.on_offer("balances", 1, PushResult::accepted);
    f.checker.on_deliver("balances", 1);
    f.checker.finish_queue("balances", 0);
    EXPECT_TRUE(f.violations.empty());
}

TEST(ProjectionChecker, AcceptedEventsNeitherDeliveredNorQueuedAtTheEndAreLost) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.checker.on_offering("balances", 0);
    f.checker.on_offer("balances", 0, PushResult::accepted);
    f.checker.finish_queue("balances", 0);
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_EQ(f.violations[0].first, "queue.no_silent_loss");
}

TEST(ProjectionChecker, ParkingAWellFormedEventIsCaught) {
    ProjectionFixture f;
    f.checker.on_resume("balances", 0, {}, *f.model);
    f.checker.on_parked("balances", 1, "downstream down", 5);
    ASSERT_EQ(f.violations.size(), 1u);
    EXPECT_EQ(f.violations[0].first, "projection.consistent");
}

// ---- Ledger ---------------------------------------------------------------------------------

TEST(LedgerChecker, AnOperationNoClientIssuedIsMoneyFromNowhere) {
    std::vector<std::string> v;
    ledger::LedgerChecker c([&v](const ledger::LedgerViolation& x) { v.push_back(x.property); });
    c.issued("e1", "a", EventType::deposited, 10);
    c.on_committed(ledger_event(0, "a", EventType::opened, 0));  // id e0: not issued
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0], "ledger.conservation");
}

TEST(LedgerChecker, AnOperationToldItFailedMustNotCommit) {
    std::vector<std::string> v;
    ledger::LedgerChecker c([&v](const ledger::LedgerViolation& x) { v.push_back(x.evidence); });
    c.issued("e0", "a", EventType::opened, 0);
    c.issued("e1", "a", EventType::deposited, 10);
    c.on_committed(ledger_event(0, "a", EventType::opened, 0));
    c.on_committed(ledger_event(1, "a", EventType::deposited, 10));
    c.answered("e0", true);
    c.finish();
    EXPECT_TRUE(v.empty());
    c.answered("e1", false);
    c.finish();
    ASSERT_EQ(v.size(), 1u);
    EXPECT_NE(v[0].find("told it did not happen"), std::string::npos) << v[0];
}

TEST(LedgerChecker, AnOverdraftIsCaught) {
    std::vector<std::string> v;
    ledger::LedgerChecker c([&v](const ledger::LedgerViolation& x) { v.push_back(x.property); });
    c.on_committed(ledger_event(0, "a", EventType::opened, 0));
    c.on_committed(ledger_event(1, "a", EventType::deposited, 10));
    c.on_committed(ledger_event(2, "a", EventType::withdrawn, 10));
    EXPECT_TRUE(v.empty());
    c.on_committed(ledger_event(3, "a", EventType::withdrawn, 1));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0], "ledger.no_overdraft");
}

}  // namespace
}  // namespace stormlog::properties
