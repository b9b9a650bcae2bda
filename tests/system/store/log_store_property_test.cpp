// Model-based property: random sequences of append / sync / truncate / crash (and, in one variant,
// bit rot) against a model of what was made durable. After every crash: every durable entry not
// truncated since is recovered intact or reported corrupt (never missing, never wrong); nothing
// that was not made durable is reported proven; without corruption faults nothing is corrupt.
// Then each deliberate bug of LogStoreOptions is shown to be caught by the same checker.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "sim/rng.hpp"
#include "system/store/log_store.hpp"
#include "tests/system/store/store_world.hpp"

namespace stormlog::system::store {
namespace {

using testing::make_entry;
using testing::StoreWorld;

// kind in [0, 100) picks the operation; a and b parameterise it.
struct Op {
    int kind = 0;
    int a = 0;
    int b = 0;
};

[[maybe_unused]] void showValue(const Op& op, std::ostream& os) {
    os << "{" << op.kind << "," << op.a << "," << op.b << "}";
}

struct Flags {
    bool rot = false;  // inject bit rot into raft.log between operations
    LogStoreOptions store;
};

// What the store must have: every entry appended and not truncated, and which were made durable
// (a completed sync() or repair()).
struct Model {
    std::vector<Entry> log;
    std::vector<bool> durable;
    uint64_t term = 1;
    uint64_t snapshot = 0;  // indices up to here are covered by a durable snapshot (moot)
};

std::string at(const char* what, uint64_t i) {
    return std::string(what) + " at index " + std::to_string(i);
}

std::optional<std::string> check(const Recovered& r, const Model& m, bool rot) {
    if (r.first_index.value != m.snapshot + 1)
        return at("the log starts wrong", r.first_index.value);
    if (r.gap) return "a gap with an intact snapshot";
    if (m.snapshot > 0 && (!r.snapshot || r.snapshot->index.value != m.snapshot))
        return "the snapshot was lost";
    if (r.log.size() != r.last_index.value - m.snapshot) return "last_index disagrees with the log";
    for (uint64_t i = r.last_index.value + 1; i <= m.log.size(); ++i)
        if (m.durable[i - 1]) return at("a durable entry is missing", i);
    if (r.last_index.value > m.log.size())
        return at("an entry never appended appears", r.last_index.value);
    for (const LogSlot& s : r.log) {
        const uint64_t i = s.index.value;
        if (s.entry && *s.entry != m.log[i - 1]) return at("wrong data", i);
        if (!s.entry && !rot) return at("corruption reported with no corruption fault", i);
        if (m.durable[i - 1] && !s.proven) return at("a durable entry is not proven", i);
        if (!m.durable[i - 1] && s.proven) return at("an entry never synced is proven", i);
    }
    return std::nullopt;
}

// How often the interesting cases happened, so a test can show the property reaches them.
struct Coverage {
    uint64_t crashes = 0;
    uint64_t torn_tails = 0;        // recoveries that dropped a torn tail
    uint64_t unsynced_kept = 0;     // unsynced entries that survived a crash intact
    uint64_t corrupt_reported = 0;  // holes reported (and then repaired)
    uint64_t truncations = 0;
    uint64_t snapshots = 0;
};

class Runner {
  public:
    Runner(uint64_t seed, Flags flags) : w_(seed), flags_(std::move(flags)) {}

    std::optional<std::string> run(const std::vector<Op>& ops) {
        w_.reopen(flags_.store);
        for (const Op& op : ops) {
            if (auto v = step(op)) return v;
        }
        return crash_and_check(Op{});
    }

  private:
    std::optional<std::string> step(const Op& op) {
        if (op.kind < 35) return append(op);
        if (op.kind < 60) return sync();
        if (op.kind < 70) return truncate(op);
        if (op.kind < 90) return crash_and_check(op);
        if (op.b % 2 == 0) return snapshot(op);
        if (flags_.rot) rot(op);
        return std::nullopt;
    }

    std::optional<std::string> append(const Op& op) {
        std::vector<Entry> es;
        for (int k = 0; k <= op.a % 4; ++k)
            es.push_back(make_entry(m_.log.size() + es.size() + 1, m_.term,
                                    static_cast<size_t>(op.b % 1200)));
        const Status s = w_.append(es);
        if (s != Status::ok) return std::string("append failed: ") + to_string(s);
        for (Entry& e : es) {
            m_.log.push_back(std::move(e));
            m_.durable.push_back(false);
        }
        return std::nullopt;
    }

    std::optional<std::string> sync() {
        const Status s = w_.sync();
        if (s != Status::ok) return std::string("sync failed: ") + to_string(s);
        m_.durable.assign(m_.log.size(), true);
        return std::nullopt;
    }

    std::optional<std::string> truncate(const Op& op) {
        if (m_.log.size() <= m_.snapshot) return std::nullopt;
        const uint64_t from =
            m_.snapshot + 1 + static_cast<uint64_t>(op.a) % (m_.log.size() - m_.snapshot);
        const Status s = w_.call([&](LogStore& st) { return st.truncate_suffix(Index{from}); });
        if (s != Status::ok) return std::string("truncate failed: ") + to_string(s);
        m_.log.resize(from - 1);
        m_.durable.resize(from - 1);
        ++coverage.truncations;
        ++m_.term;  // the entries that replace them come from a newer leader
        return std::nullopt;
    }

    // A snapshot of the state at an index (compaction), or - one time in four - a leader's
    // snapshot beyond the log, which resets it.
    std::optional<std::string> snapshot(const Op& op) {
        const bool beyond = op.a % 4 == 0 || m_.log.size() <= m_.snapshot;
        uint64_t index =
            beyond ? m_.log.size() + 1 + static_cast<uint64_t>(op.a) % 5
                   : m_.snapshot + 1 + static_cast<uint64_t>(op.a) % (m_.log.size() - m_.snapshot);
        if (!beyond && !w_.store->holds(Index{index})) return std::nullopt;  // a hole: not applied
        const uint64_t term = beyond ? ++m_.term : m_.log[index - 1].term.value;
        const Snapshot snap{Index{index}, Term{term},
                            std::vector<uint8_t>(static_cast<size_t>(op.b), 7)};
        const uint64_t trailing = static_cast<uint64_t>(op.a) % 3;
        const Status s = w_.call([&](LogStore& st) { return st.save_snapshot(snap, trailing); });
        if (s != Status::ok) return std::string("snapshot failed: ") + to_string(s);
        while (m_.log.size() < index) {
            m_.log.push_back(make_entry(m_.log.size() + 1, term));
            m_.durable.push_back(true);
        }
        m_.snapshot = index;
        ++coverage.snapshots;
        return std::nullopt;
    }

    void rot(const Op& op) {
        const uint64_t size = w_.disk.size("raft.log");
        if (size == 0) return;
        (void)w_.disk.rot("raft.log", static_cast<uint64_t>(op.a) * 7919 % size,
                          static_cast<uint8_t>(1u << (op.b % 8)));
    }

    std::optional<std::string> crash_and_check(const Op& op) {
        w_.disk.set_torn_write_probability(static_cast<double>(op.a % 11) / 10.0);
        w_.crash();
        const Recovered r = w_.reopen(flags_.store);
        if (auto v = check(r, m_, flags_.rot)) return v;
        ++coverage.crashes;
        coverage.torn_tails += r.truncated_from.has_value() ? 1 : 0;
        coverage.corrupt_reported += r.corrupt.size();
        for (const LogSlot& s : r.log) coverage.unsynced_kept += (s.entry && !s.proven) ? 1 : 0;
        m_.log.resize(r.last_index.value);
        m_.durable.resize(r.last_index.value);
        // A peer supplies every corrupt entry; ascending order lets each hole be located.
        for (Index i : r.corrupt) {
            const Status s = w_.call([&](LogStore& st) { return st.repair(m_.log[i.value - 1]); });
            if (s != Status::ok) return at("repair failed", i.value) + ": " + to_string(s);
            m_.durable[i.value - 1] = true;
        }
        return std::nullopt;
    }

  public:
    Coverage coverage;

  private:
    StoreWorld w_;
    Flags flags_;
    Model m_;
};

rc::Gen<std::vector<Op>> gen_ops() {
    return rc::gen::container<std::vector<Op>>(
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 100), rc::gen::inRange(0, 1000),
                                    rc::gen::inRange(0, 1000)),
                     [](const std::tuple<int, int, int>& t) {
                         return Op{std::get<0>(t), std::get<1>(t), std::get<2>(t)};
                     }));
}

RC_GTEST_PROP(StoreProperty, WithoutCorruptionEverySyncedEntrySurvivesAndNothingIsCorrupt, ()) {
    const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
    const auto ops = *gen_ops();
    const auto violation = Runner(seed, Flags{}).run(ops);
    if (violation) RC_LOG() << *violation << "\n";
    RC_ASSERT(!violation.has_value());
}

RC_GTEST_PROP(StoreProperty, UnderBitRotEverySyncedEntryIsIntactOrReportedCorrupt, ()) {
    const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
    const auto ops = *gen_ops();
    Flags flags;
    flags.rot = true;
    const auto violation = Runner(seed, flags).run(ops);
    if (violation) RC_LOG() << *violation << "\n";
    RC_ASSERT(!violation.has_value());
}

// ---- The checker catches deliberate bugs within a few seeds
// --------------------------------------

std::vector<Op> seeded_ops(uint64_t seed, size_t n) {
    sim::Rng rng = sim::Rng::root(seed).fork("ops");
    std::vector<Op> ops(n);
    for (Op& op : ops) {
        op.kind = static_cast<int>(rng.below(100));
        op.a = static_cast<int>(rng.below(1000));
        op.b = static_cast<int>(rng.below(1000));
    }
    return ops;
}

// The first violation the checker reports over seeds 1..k_seeds_max, or nullopt.
std::optional<std::string> first_violation(const Flags& flags, Coverage* total = nullptr) {
    constexpr uint64_t k_seeds_max = 30;
    for (uint64_t seed = 1; seed <= k_seeds_max; ++seed) {
        Runner runner(seed, flags);
        auto v = runner.run(seeded_ops(seed, 60));
        if (total != nullptr) {
            total->crashes += runner.coverage.crashes;
            total->torn_tails += runner.coverage.torn_tails;
            total->unsynced_kept += runner.coverage.unsynced_kept;
            total->corrupt_reported += runner.coverage.corrupt_reported;
            total->truncations += runner.coverage.truncations;
            total->snapshots += runner.coverage.snapshots;
        }
        if (v) return "seed " + std::to_string(seed) + ": " + *v;
    }
    return std::nullopt;
}

TEST(StoreDeliberateBug, TheCheckerPassesTheCorrectStoreOnTheSameSeedsAndReachesEveryCase) {
    Flags flags;
    flags.rot = true;
    Coverage rot;
    EXPECT_EQ(first_violation(flags, &rot), std::nullopt);
    Coverage clean;
    EXPECT_EQ(first_violation(Flags{}, &clean), std::nullopt);
    EXPECT_EQ(clean.corrupt_reported, 0u);
    EXPECT_GT(clean.crashes, 100u);
    EXPECT_GT(clean.torn_tails, 5u);
    EXPECT_GT(clean.unsynced_kept, 5u);
    EXPECT_GT(clean.truncations, 20u);
    EXPECT_GT(clean.snapshots, 5u);
    EXPECT_GT(rot.corrupt_reported, 5u);
    std::printf(
        "coverage clean: crashes=%lu torn=%lu unsynced_kept=%lu truncations=%lu; rot: "
        "corrupt=%lu\n",
        static_cast<unsigned long>(clean.crashes), static_cast<unsigned long>(clean.torn_tails),
        static_cast<unsigned long>(clean.unsynced_kept),
        static_cast<unsigned long>(clean.truncations),
        static_cast<unsigned long>(rot.corrupt_reported));
}

TEST(StoreDeliberateBug, CorruptionTreatedAsATornTailIsCaught) {
    Flags flags;
    flags.rot = true;
    flags.store.bug_truncate_corruption = true;
    const auto v = first_violation(flags);
    ASSERT_TRUE(v.has_value());
    EXPECT_NE(v->find("durable entry is missing"), std::string::npos) << *v;
}

TEST(StoreDeliberateBug, SkippingTheIdentityFsyncIsCaught) {
    Flags flags;
    flags.store.bug_skip_ids_fsync = true;
    const auto v = first_violation(flags);
    ASSERT_TRUE(v.has_value());
    EXPECT_NE(v->find("durable entry is not proven"), std::string::npos) << *v;
}

}  // namespace
}  // namespace stormlog::system::store
