// Always-on assertions: checked whatever NDEBUG says; inside a simulation a failed SL_ASSERT fails
// the run (property "assert", the node, file:line: condition) and unwinds only the code that
// asserted; outside one, and SL_ASSERT_FATAL anywhere, print and abort.

#ifndef NDEBUG
#define NDEBUG 1  // as in every Release build: the assertions below must still be checked
#endif
#include "sim/assert.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/env.hpp"
#include "sim/simulation.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

// A function whose precondition a test breaks: how protocol code uses SL_ASSERT.
int halve_even(int n) {
    SL_ASSERT(n % 2 == 0);
    return n / 2;
}

TEST(Assert, APassingAssertionChangesNothing) {
    Simulation sim(testing::options());
    int got = 0;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.sleep(ms(5));
        got = halve_even(10);
    });
    sim.run_until(at_ms(100));
    EXPECT_FALSE(sim.failed());
    EXPECT_EQ(got, 5);
}

TEST(Assert, AFailedAssertionInAFiberFailsTheRunWithItsFileLineAndCondition) {
    Simulation sim(testing::options());
    bool went_on = false;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.sleep(ms(5));
        halve_even(7);
        went_on = true;
    });
    sim.run_until(at_ms(100));
    ASSERT_EQ(sim.failures().size(), 1u);
    const Failure& f = sim.failures()[0];
    EXPECT_EQ(f.property, "assert");
    EXPECT_EQ(f.node, "n1");
    EXPECT_EQ(f.at, at_ms(5));
    EXPECT_EQ(f.message.rfind("tests/sim/assert_test.cpp:", 0), 0u)
        << f.message << ": a path from the project's root";
    EXPECT_NE(f.message.find(": n % 2 == 0"), std::string::npos) << f.message;
    EXPECT_FALSE(went_on) << "the code after a failed assertion must not run";
    EXPECT_EQ(sim.now(), at_ms(5)) << "the run stops where the assertion failed";
}

TEST(Assert, OtherFibersDoNotRunOnceAnAssertionFailed) {
    Simulation sim(testing::options());
    int ticks = 0;
    testing::start_process(sim, "n1", "bad", [&](Env& env) {
        env.sleep(ms(5));
        halve_even(1);
    });
    testing::start_process(sim, "n2", "ticker", [&](Env& env) {
        for (;;) {
            env.sleep(ms(1));
            ++ticks;
        }
    });
    sim.run_until(at_ms(100));
    ASSERT_TRUE(sim.failed());
    EXPECT_LE(ticks, 5);
}

TEST(Assert, AFailedAssertionInATimerCallbackFailsTheRun) {
    Simulation sim(testing::options());
    sim.schedule_at(at_ms(7), [] { halve_even(3); });
    sim.run_until(at_ms(100));
    ASSERT_EQ(sim.failures().size(), 1u);
    EXPECT_EQ(sim.failures()[0].property, "assert");
    EXPECT_EQ(sim.failures()[0].node, "-");
    EXPECT_EQ(sim.failures()[0].at, at_ms(7));
}

TEST(Assert, ATimerCallbackIsNoFibersEvenWhileOneSuspends) {
    // The fiber's sleep suspends it with the timer due first: the timer fires on its way out.
    Simulation sim(testing::options());
    testing::start_process(sim, "n1", "p", [&](Env& env) { env.sleep(ms(50)); });
    sim.schedule_at(at_ms(7), [&] {
        EXPECT_FALSE(sim.in_fiber());
        EXPECT_EQ(sim.current_process(), nullptr);
        halve_even(3);
    });
    sim.run_until(at_ms(100));
    ASSERT_EQ(sim.failures().size(), 1u);
    EXPECT_EQ(sim.failures()[0].node, "-") << "not the suspending fiber's node";
}

TEST(Assert, AnExceptionOutOfATimerCallbackFailsTheRun) {
    Simulation sim(testing::options());
    testing::start_process(sim, "n1", "p", [&](Env& env) { env.sleep(ms(50)); });
    sim.schedule_at(at_ms(7), [] { throw std::runtime_error("boom"); });
    sim.run_until(at_ms(100));
    ASSERT_EQ(sim.failures().size(), 1u);
    EXPECT_EQ(sim.failures()[0].property, "sim.timer_exception");
    EXPECT_NE(sim.failures()[0].message.find("boom"), std::string::npos);
    EXPECT_EQ(Simulation::running(), nullptr);
}

TEST(Assert, ChecksAfterTheRunFailItInsteadOfAborting) {
    Simulation sim(testing::options());
    sim.run_until(at_ms(10));
    bool went_on = false;
    EXPECT_TRUE(sim.run_checks([&] { halve_even(4); }));
    EXPECT_FALSE(sim.failed());
    EXPECT_FALSE(sim.run_checks([&] {
        halve_even(5);
        went_on = true;
    }));
    EXPECT_FALSE(went_on);
    ASSERT_EQ(sim.failures().size(), 1u);
    EXPECT_EQ(sim.failures()[0].property, "assert");
    EXPECT_EQ(sim.failures()[0].node, "-");
    EXPECT_EQ(Simulation::running(), nullptr) << "run_checks leaves no simulation attached";
}

TEST(Assert, SystemCodeCatchingStdExceptionCannotSwallowIt) {
    Simulation sim(testing::options());
    bool swallowed = false;
    testing::start_process(sim, "n1", "p", [&](Env&) {
        try {
            halve_even(5);
        } catch (const std::exception&) {
            swallowed = true;
        }
    });
    sim.run_until(at_ms(10));
    EXPECT_TRUE(sim.failed());
    EXPECT_FALSE(swallowed);
}

// An assertion that fails in a destructor while a crash unwinds the fiber: recorded, and the
// process (a whole suite, in practice) is not terminated by a second exception.
struct AssertsWhenDestroyed {
    ~AssertsWhenDestroyed() { halve_even(9); }
};

TEST(Assert, AFailureWhileUnwindingIsRecordedWithoutTerminating) {
    Simulation sim(testing::options());
    Process& p = testing::start_process(sim, "n1", "p", [&](Env& env) {
        AssertsWhenDestroyed guard;
        env.sleep(ms(50));
    });
    sim.schedule_at(at_ms(5), [&] { sim.crash(p); });
    sim.run_until(at_ms(100));
    ASSERT_EQ(sim.failures().size(), 1u);
    EXPECT_EQ(sim.failures()[0].property, "assert");
}

TEST(Assert, TwoSimulationsInOneThreadEachGetTheirOwnFailures) {
    Simulation a(testing::options(1));
    Simulation b(testing::options(2));
    testing::start_process(a, "n1", "p", [&](Env& env) {
        env.sleep(ms(1));
        halve_even(1);
    });
    testing::start_process(b, "n1", "p", [&](Env& env) { env.sleep(ms(1)); });
    a.run_until(at_ms(10));
    b.run_until(at_ms(10));
    EXPECT_TRUE(a.failed());
    EXPECT_FALSE(b.failed());
    EXPECT_EQ(Simulation::running(), nullptr) << "no simulation runs between run_until calls";
}

TEST(AssertDeathTest, OutsideASimulationAFailedAssertionAbortsWithFileAndLine) {
    EXPECT_DEATH(halve_even(3), "assertion failed: tests/sim/assert_test.cpp:[0-9]+: n % 2 == 0");
}

TEST(AssertDeathTest, AFatalAssertionAbortsEvenInsideASimulation) {
    EXPECT_DEATH(
        {
            Simulation sim(testing::options());
            testing::start_process(sim, "n1", "p", [](Env&) { SL_ASSERT_FATAL(1 + 1 == 3); });
            sim.run_until(at_ms(10));
        },
        "assertion failed: tests/sim/assert_test.cpp:[0-9]+: 1 \\+ 1 == 3");
}

}  // namespace
}  // namespace stormlog::sim
