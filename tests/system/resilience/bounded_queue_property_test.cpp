// Model-based test of BoundedQueue (rc::state): random command sequences - try_push, try_pop,
// push and pop with deadlines run in fibers (so they block), time advancing, close - against a
// model made of a std::deque, the blocked producers and consumers in arrival order, and counters.
// After every command the queue must agree with the model on every result so far (pop results
// carry the value, so FIFO order is checked), depth, watermark state and crossings, and stats;
// at the end, draining the queue must yield exactly what the model holds.
//
// Then the deliberate bug (bug_drop_when_full) is shown to be caught under each policy.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "system/resilience/bounded_queue.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::system::resilience {
namespace {

struct Crossing {
    bool above = false;
    size_t depth = 0;
    bool operator==(const Crossing&) const = default;
};

// A blocked push (value) or pop (value unused) and when it gives up.
struct Blocked {
    size_t id = 0;
    int value = 0;
    int64_t deadline_ms = 0;
};

// How often the interesting cases happened (summed over a run of the property).
struct Coverage {
    uint64_t producer_handovers = 0;  // a pop let a blocked producer's item in
    uint64_t consumer_handovers = 0;  // a push went straight to a blocked consumer
    uint64_t push_timeouts = 0;
    uint64_t pop_timeouts = 0;
    uint64_t rejections = 0;
    uint64_t crossings = 0;
    uint64_t closes = 0;
};

// The specification: it knows nothing of bug_drop_when_full (a drop must show as a difference).
struct Model {
    QueueConfig config;
    int64_t now_ms = 0;
    std::deque<int> items;
    std::deque<Blocked> producers;                     // only while full
    std::deque<Blocked> consumers;                     // only while empty
    std::vector<std::optional<std::string>> outcomes;  // by operation id; nullopt while blocked
    std::vector<Crossing> crossings;
    QueueStats stats;
    bool above = false;
    bool closed = false;
    Coverage coverage;

    size_t begin_op() {
        outcomes.emplace_back();
        return outcomes.size() - 1;
    }

    void observe() {
        const size_t d = items.size();
        stats.depth_max = std::max(stats.depth_max, d);
        if (!above && d >= config.high_watermark) {
            above = true;
            ++stats.high_crossings;
            crossings.push_back({true, d});
        } else if (above && d <= config.low_watermark) {
            above = false;
            crossings.push_back({false, d});
        }
    }

    void push(size_t id, bool may_block, int64_t deadline_ms) {
        const int value = static_cast<int>(id);
        std::optional<std::string>& out = outcomes[id];
        if (closed) {
            out = "push closed";
        } else if (!consumers.empty()) {
            outcomes[consumers.front().id] = "pop ok " + std::to_string(value);
            consumers.pop_front();
            ++stats.accepted;
            ++stats.delivered;
            ++coverage.consumer_handovers;
            observe();
            out = "push accepted";
        } else if (items.size() < config.capacity) {
            items.push_back(value);
            ++stats.accepted;
            observe();
            out = "push accepted";
        } else if (!may_block || config.overflow == OverflowPolicy::reject) {
            ++stats.rejected;
            ++coverage.rejections;
            out = "push rejected";
        } else if (deadline_ms <= now_ms) {
            ++stats.timed_out;
            ++coverage.push_timeouts;
            out = "push timeout";
        } else {
            producers.push_back({id, value, deadline_ms});
        }
    }

    void pop(size_t id, bool may_block, int64_t deadline_ms) {
        std::optional<std::string>& out = outcomes[id];
        if (!items.empty()) {
            out = "pop ok " + std::to_string(items.front());
            items.pop_front();
            ++stats.delivered;
            if (!producers.empty()) {
                items.push_back(producers.front().value);
                outcomes[producers.front().id] = "push accepted";
                producers.pop_front();
                ++stats.accepted;
                ++coverage.producer_handovers;
            }
            observe();
        } else if (!may_block) {
            out = "pop empty";
        } else if (closed) {
            out = "pop closed";
        } else if (deadline_ms <= now_ms) {
            ++coverage.pop_timeouts;
            out = "pop timeout";
        } else {
            consumers.push_back({id, 0, deadline_ms});
        }
    }

    void advance(int64_t by_ms) {
        now_ms += by_ms;
        std::erase_if(producers, [&](const Blocked& b) {
            if (b.deadline_ms > now_ms) return false;
            outcomes[b.id] = "push timeout";
            ++stats.timed_out;
            ++coverage.push_timeouts;
            return true;
        });
        std::erase_if(consumers, [&](const Blocked& b) {
            if (b.deadline_ms > now_ms) return false;
            outcomes[b.id] = "pop timeout";
            ++coverage.pop_timeouts;
            return true;
        });
    }

    void close() {
        if (!closed) ++coverage.closes;
        closed = true;
        for (const Blocked& b : producers) outcomes[b.id] = "push closed";
        for (const Blocked& b : consumers) outcomes[b.id] = "pop closed";
        producers.clear();
        consumers.clear();
    }
};

// The real queue in a simulation with one idle process; each operation runs in a fresh fiber of
// it, and the simulation then runs every fiber that became ready, without advancing time. Under
// scheduling fuzz the woken fibers run in a seeded shuffled order: results must not depend on it.
struct Sut {
    Sut(const QueueConfig& config, uint64_t seed, bool fuzz)
        : sim(sim::testing::options(seed, fuzz)),
          queue(sim, config, [this](bool above, size_t depth) {
              crossings.push_back({above, depth});
          }) {
        process = &sim::testing::start_process(sim, "n1", "test", [](sim::Env&) {});
        sim.run_until(sim.now());
    }
    ~Sut() { sim.shutdown(); }
    Sut(const Sut&) = delete;
    Sut& operator=(const Sut&) = delete;

    size_t begin_op() {
        outcomes.emplace_back();
        return outcomes.size() - 1;
    }

    void run_in_fiber(std::function<void()> fn) {
        sim.spawn(*process, std::move(fn));
        sim.run_until(sim.now());
    }

    sim::Simulation sim;
    sim::Process* process = nullptr;
    std::vector<Crossing> crossings;
    std::vector<std::optional<std::string>> outcomes;
    BoundedQueue<int> queue;
};

std::string describe(PushResult r) {
    return std::string("push ") + to_string(r);
}

std::string describe(PopResult r, int value) {
    if (r == PopResult::ok) return "pop ok " + std::to_string(value);
    return std::string("pop ") + to_string(r);
}

std::string show_outcome(const std::optional<std::string>& o) {
    return o ? *o : "(blocked)";
}

// The first disagreement between the queue and the model, or nullopt.
std::optional<std::string> mismatch(const Model& m, const Sut& sut) {
    if (sut.outcomes.size() != m.outcomes.size()) return "operation count";
    for (size_t i = 0; i < m.outcomes.size(); ++i) {
        if (sut.outcomes[i] != m.outcomes[i])
            return "operation " + std::to_string(i) + ": queue says " +
                   show_outcome(sut.outcomes[i]) + ", model says " + show_outcome(m.outcomes[i]);
    }
    const QueueStats& s = sut.queue.stats();
    if (sut.queue.depth() != m.items.size())
        return "depth " + std::to_string(sut.queue.depth()) + ", model " +
               std::to_string(m.items.size());
    if (sut.queue.above_high_watermark() != m.above) return "watermark state";
    if (sut.crossings != m.crossings) return "watermark crossings";
    if (sut.queue.closed() != m.closed) return "closed";
    if (s.accepted != m.stats.accepted) return "stats.accepted";
    if (s.rejected != m.stats.rejected) return "stats.rejected";
    if (s.timed_out != m.stats.timed_out) return "stats.timed_out";
    if (s.delivered != m.stats.delivered) return "stats.delivered";
    if (s.dropped != m.stats.dropped) return "stats.dropped";
    if (s.high_crossings != m.stats.high_crossings) return "stats.high_crossings";
    if (s.depth_max != m.stats.depth_max) return "stats.depth_max";
    if (sut.sim.now() != sim::Time::zero() + sim::Duration::millis(m.now_ms)) return "time";
    return std::nullopt;
}

using Command = rc::state::Command<Model, Sut>;

// Runs a command's operation on the queue, then compares with the model after the command.
void check_after(const Command& c, const Model& s0, const Sut& sut) {
    const auto bad = mismatch(c.nextState(s0), sut);
    if (bad) RC_FAIL(*bad);
}

struct TryPush : Command {
    void apply(Model& m) const override { m.push(m.begin_op(), false, 0); }
    void run(const Model& s0, Sut& sut) const override {
        const size_t id = sut.begin_op();
        sut.run_in_fiber(
            [&sut, id] { sut.outcomes[id] = describe(sut.queue.try_push(static_cast<int>(id))); });
        check_after(*this, s0, sut);
    }
    void show(std::ostream& os) const override { os << "try_push"; }
};

struct TryPop : Command {
    void apply(Model& m) const override { m.pop(m.begin_op(), false, 0); }
    void run(const Model& s0, Sut& sut) const override {
        const size_t id = sut.begin_op();
        sut.run_in_fiber([&sut, id] {
            int v = -1;
            sut.outcomes[id] = sut.queue.try_pop(v) ? describe(PopResult::ok, v) : "pop empty";
        });
        check_after(*this, s0, sut);
    }
    void show(std::ostream& os) const override { os << "try_pop"; }
};

struct Push : Command {
    int64_t timeout_ms = *rc::gen::inRange<int64_t>(0, 41);
    void apply(Model& m) const override { m.push(m.begin_op(), true, m.now_ms + timeout_ms); }
    void run(const Model& s0, Sut& sut) const override {
        const size_t id = sut.begin_op();
        const sim::Time deadline = sut.sim.now() + sim::Duration::millis(timeout_ms);
        sut.run_in_fiber([&sut, id, deadline] {
            sut.outcomes[id] = describe(sut.queue.push(static_cast<int>(id), deadline));
        });
        check_after(*this, s0, sut);
    }
    void show(std::ostream& os) const override { os << "push(timeout " << timeout_ms << "ms)"; }
};

struct Pop : Command {
    int64_t timeout_ms = *rc::gen::inRange<int64_t>(0, 41);
    void apply(Model& m) const override { m.pop(m.begin_op(), true, m.now_ms + timeout_ms); }
    void run(const Model& s0, Sut& sut) const override {
        const size_t id = sut.begin_op();
        const sim::Time deadline = sut.sim.now() + sim::Duration::millis(timeout_ms);
        sut.run_in_fiber([&sut, id, deadline] {
            int v = -1;
            const PopResult r = sut.queue.pop(v, deadline);
            sut.outcomes[id] = describe(r, v);
        });
        check_after(*this, s0, sut);
    }
    void show(std::ostream& os) const override { os << "pop(timeout " << timeout_ms << "ms)"; }
};

struct Advance : Command {
    int64_t by_ms = *rc::gen::inRange<int64_t>(1, 31);
    void apply(Model& m) const override { m.advance(by_ms); }
    void run(const Model& s0, Sut& sut) const override {
        sut.sim.run_for(sim::Duration::millis(by_ms));
        check_after(*this, s0, sut);
    }
    void show(std::ostream& os) const override { os << "advance(" << by_ms << "ms)"; }
};

struct Close : Command {
    void apply(Model& m) const override { m.close(); }
    void run(const Model& s0, Sut& sut) const override {
        sut.run_in_fiber([&sut] { sut.queue.close(); });
        check_after(*this, s0, sut);
    }
    void show(std::ostream& os) const override { os << "close"; }
};

template <class C>
rc::Gen<std::shared_ptr<const Command>> make() {
    return rc::gen::exec(
        [] { return std::shared_ptr<const Command>(std::make_shared<const C>()); });
}

rc::Gen<std::shared_ptr<const Command>> gen_command(const Model&) {
    return rc::gen::weightedOneOf<std::shared_ptr<const Command>>({
        {20, make<TryPush>()},
        {15, make<TryPop>()},
        {25, make<Push>()},
        {15, make<Pop>()},
        {20, make<Advance>()},
        {1, make<Close>()},
    });
}

// Small capacities and every valid placement of the watermarks, so that full, empty and both
// crossings come up often.
QueueConfig gen_config(OverflowPolicy overflow, bool bug) {
    QueueConfig c;
    c.capacity = *rc::gen::inRange<size_t>(1, 7);
    c.high_watermark = *rc::gen::inRange<size_t>(1, c.capacity + 1);
    c.low_watermark = *rc::gen::inRange<size_t>(0, c.high_watermark);
    c.overflow = overflow;
    c.bug_drop_when_full = bug;
    RC_ASSERT(validate(c).empty());
    return c;
}

void check_queue_against_model(OverflowPolicy overflow, bool bug, Coverage* total = nullptr) {
    Model initial;
    initial.config = gen_config(overflow, bug);
    const auto commands = *rc::state::gen::commands(initial, gen_command);
    const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
    const auto fuzz = *rc::gen::arbitrary<bool>();
    Sut sut(initial.config, seed, fuzz);
    rc::state::runAll(commands, initial, sut);

    // Draining yields what is buffered, then the blocked producers' items, in order.
    Model last = initial;
    rc::state::applyAll(commands, last);
    std::vector<int> expected(last.items.begin(), last.items.end());
    for (const Blocked& b : last.producers) expected.push_back(b.value);
    std::vector<int> drained;
    sut.run_in_fiber([&] {
        int v = -1;
        while (sut.queue.try_pop(v)) drained.push_back(v);
    });
    RC_ASSERT(drained == expected);

    if (total != nullptr) {
        total->producer_handovers += last.coverage.producer_handovers;
        total->consumer_handovers += last.coverage.consumer_handovers;
        total->push_timeouts += last.coverage.push_timeouts;
        total->pop_timeouts += last.coverage.pop_timeouts;
        total->rejections += last.coverage.rejections;
        total->crossings += last.crossings.size();
        total->closes += last.coverage.closes;
    }
}

RC_GTEST_PROP(BoundedQueueModel, UnderTheBlockPolicyTheQueueMatchesTheModel, ()) {
    check_queue_against_model(OverflowPolicy::block, false);
}

RC_GTEST_PROP(BoundedQueueModel, UnderTheRejectPolicyTheQueueMatchesTheModel, ()) {
    check_queue_against_model(OverflowPolicy::reject, false);
}

// ---- The model check catches the deliberate bug, on fixed seeds ---------------------------------

struct Quiet : rc::detail::TestListener {
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

rc::detail::TestResult check_fixed_seed(OverflowPolicy overflow, bool bug,
                                        Coverage* total = nullptr) {
    rc::detail::TestParams params;
    params.seed = 20240611;
    params.maxSuccess = 100;
    params.maxSize = 100;
    rc::detail::TestMetadata metadata;
    metadata.id = std::string("queue model, ") + to_string(overflow) + (bug ? ", drop bug" : "");
    // A quiet listener: an expected failure must not end up in RapidCheck's reproduce report.
    Quiet quiet;
    return rc::detail::checkProperty(
        rc::detail::toProperty([=] { check_queue_against_model(overflow, bug, total); }), metadata,
        params, quiet);
}

TEST(BoundedQueueModel, TheCorrectQueuePassesTheFixedSeedsAndReachesEveryCase) {
    for (const OverflowPolicy overflow : {OverflowPolicy::block, OverflowPolicy::reject}) {
        Coverage c;
        const auto result = check_fixed_seed(overflow, false, &c);
        std::printf(
            "coverage (%s): producer handovers %lu, consumer handovers %lu, push timeouts %lu, "
            "pop timeouts %lu, rejections %lu, crossings %lu, closes %lu\n",
            to_string(overflow), static_cast<unsigned long>(c.producer_handovers),
            static_cast<unsigned long>(c.consumer_handovers),
            static_cast<unsigned long>(c.push_timeouts), static_cast<unsigned long>(c.pop_timeouts),
            static_cast<unsigned long>(c.rejections), static_cast<unsigned long>(c.crossings),
            static_cast<unsigned long>(c.closes));
        EXPECT_TRUE(result.is<rc::detail::SuccessResult>()) << to_string(overflow);
        EXPECT_GT(c.consumer_handovers, 20u) << to_string(overflow);
        EXPECT_GT(c.pop_timeouts, 5u) << to_string(overflow);
        EXPECT_GT(c.crossings, 100u) << to_string(overflow);
        EXPECT_GT(c.closes, 10u) << to_string(overflow);
        EXPECT_GT(c.rejections, 50u) << to_string(overflow);
        if (overflow == OverflowPolicy::block) {
            EXPECT_GT(c.producer_handovers, 40u);
            EXPECT_GT(c.push_timeouts, 20u);
        }
    }
}

TEST(BoundedQueueModel, TheDropBugIsCaughtUnderEachPolicy) {
    for (const OverflowPolicy overflow : {OverflowPolicy::block, OverflowPolicy::reject}) {
        const auto result = check_fixed_seed(overflow, true);
        ASSERT_TRUE(result.is<rc::detail::FailureResult>()) << to_string(overflow);
        const std::string& why = result.get<rc::detail::FailureResult>().description;
        // Told "accepted" where the model expected a refusal (or a wait).
        EXPECT_NE(why.find("queue says push accepted"), std::string::npos) << why;
    }
}

}  // namespace
}  // namespace stormlog::system::resilience
