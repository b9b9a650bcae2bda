// LogStore: hard state, durability of synced entries, torn tails truncated, and every kind of
// corruption of a durable entry reported as a hole (never truncated) until repaired.

#include "system/store/log_store.hpp"

#include <gtest/gtest.h>

#include "tests/system/store/store_world.hpp"

namespace stormlog::system::store {
namespace {

using testing::make_entry;
using testing::StoreWorld;

// 100-byte payloads make every record exactly one sector: record i starts at (i - 1) * 512.
constexpr uint64_t k_record_bytes = 512;
uint64_t payload_byte(uint64_t index) {
    return (index - 1) * k_record_bytes + 32 + 10;
}

std::vector<Index> indices(std::initializer_list<uint64_t> xs) {
    std::vector<Index> out;
    for (uint64_t x : xs) out.push_back(Index{x});
    return out;
}

// ---- Hard state --------------------------------------------------------------------------------

TEST(StoreHardState, AFreshDiskIsAFreshStartNotALoss) {
    StoreWorld w;
    const Recovered r = w.reopen();
    EXPECT_FALSE(r.hard_state_lost);
    EXPECT_EQ(r.hard, HardState{});
    EXPECT_EQ(r.last_index, Index{0});
}

TEST(StoreHardState, ASavedStateSurvivesACrash) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    const HardState h{Term{3}, 2u, Index{0}};
    EXPECT_EQ(w.call([&](LogStore& s) { return s.save_hard_state(h); }), Status::ok);
    w.crash();
    const Recovered r = w.reopen();
    EXPECT_FALSE(r.hard_state_lost);
    EXPECT_EQ(r.hard, h);
}

TEST(StoreHardState, ARottenNewestSlotFallsBackToTheOlderOne) {
    StoreWorld w;
    w.reopen();
    const HardState h1{Term{1}, 1u, Index{0}};
    const HardState h2{Term{2}, std::nullopt, Index{0}};
    ASSERT_EQ(w.call([&](LogStore& s) { return s.save_hard_state(h1); }),
              Status::ok);  // seq 1, slot 1
    ASSERT_EQ(w.call([&](LogStore& s) { return s.save_hard_state(h2); }),
              Status::ok);  // seq 2, slot 0
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.meta", 15, 0x10));  // inside slot 0's term
    Recovered r = w.reopen();
    EXPECT_EQ(r.hard, h1);
    EXPECT_FALSE(r.hard_state_lost);
    // The next save overwrites the rotten slot, never the one just recovered from.
    const HardState h3{Term{4}, 3u, Index{0}};
    ASSERT_EQ(w.call([&](LogStore& s) { return s.save_hard_state(h3); }), Status::ok);
    w.crash();
    ASSERT_TRUE(w.disk.add_latent_error("raft.meta", 1));  // slot 1 (h1) now unreadable
    r = w.reopen();
    EXPECT_EQ(r.hard, h3);
}

TEST(StoreHardState, BothSlotsBadOnADiskWithALogIsReportedLost) {
    StoreWorld w;
    w.reopen();
    ASSERT_EQ(w.call([](LogStore& s) {
        return s.save_hard_state({Term{5}, 1u, Index{0}});
    }),
              Status::ok);
    w.append_synced(1, 3, 5);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.meta", 512 + 15, 0x01));  // the only written slot (seq 1)
    const Recovered r = w.reopen();
    EXPECT_TRUE(r.hard_state_lost);
    EXPECT_EQ(r.hard.term, Term{5});  // a lower bound from the log: never vote at or below it
    EXPECT_EQ(r.last_index, Index{3});
}

// ---- Synced, unsynced, torn --------------------------------------------------------------------

TEST(StoreLog, EverySyncedEntrySurvivesACrash) {
    StoreWorld w(2, sim::DiskOptions{});
    w.reopen();
    w.append_synced(1, 4, 1, 700);
    w.append_synced(5, 9, 2, 10);
    w.crash();
    const Recovered r = w.reopen();
    ASSERT_EQ(r.last_index, Index{9});
    EXPECT_TRUE(r.corrupt.empty());
    EXPECT_FALSE(r.truncated_from.has_value());
    for (uint64_t i = 1; i <= 9; ++i) {
        ASSERT_TRUE(r.holds(Index{i}));
        EXPECT_EQ(*r.log[i - 1].entry, make_entry(i, i <= 4 ? 1 : 2, i <= 4 ? 700 : 10));
        EXPECT_TRUE(r.log[i - 1].proven);
        EXPECT_EQ(w.store->term_at(Index{i}), Term{i <= 4 ? 1u : 2u});
    }
}

TEST(StoreLog, UnsyncedEntriesAreLostOrTornAndATornTailIsTruncated) {
    int torn_tails = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        sim::DiskOptions o = sim::DiskOptions::instant();
        StoreWorld w(seed, o);
        w.disk.set_torn_write_probability(1.0);
        w.reopen();
        w.append_synced(1, 3, 1);
        std::vector<Entry> tail;
        for (uint64_t i = 4; i <= 8; ++i) tail.push_back(make_entry(i, 1, 1000));  // 3 sectors each
        ASSERT_EQ(w.append(tail), Status::ok);
        w.crash();
        const Recovered r = w.reopen();
        ASSERT_GE(r.last_index, Index{3});
        ASSERT_LE(r.last_index, Index{8});
        EXPECT_TRUE(r.corrupt.empty()) << "seed " << seed;
        for (const LogSlot& s : r.log) {
            ASSERT_TRUE(s.entry.has_value());
            EXPECT_EQ(s.proven, s.index <= Index{3});
        }
        if (r.truncated_from) {
            ++torn_tails;
            EXPECT_EQ(*r.truncated_from, r.last_index.next());
        }
        // The torn bytes are gone from the disk: a new append lands where the tail was cut.
        w.append_synced(r.last_index.value + 1, r.last_index.value + 1, 2);
        w.crash();
        const Recovered again = w.reopen();
        EXPECT_EQ(again.last_index, r.last_index.next());
        EXPECT_FALSE(again.truncated_from.has_value());
        EXPECT_TRUE(again.corrupt.empty());
    }
    EXPECT_GT(torn_tails, 0);
}

// ---- Corruption of durable entries -------------------------------------------------------------

TEST(StoreCorruption, BitRotInsideASyncedEntryIsCorruptAndNothingAfterItIsLost) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 5, 1);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.log", payload_byte(3), 0x04));
    const Recovered r = w.reopen();
    EXPECT_EQ(r.corrupt, indices({3}));
    EXPECT_EQ(r.last_index, Index{5});
    EXPECT_FALSE(r.truncated_from.has_value());
    EXPECT_FALSE(r.holds(Index{3}));
    EXPECT_TRUE(r.log[2].proven);
    EXPECT_TRUE(r.holds(Index{4}) && r.holds(Index{5}));
    EXPECT_EQ(w.store->entry(Index{3}), nullptr);
    EXPECT_FALSE(w.store->term_at(Index{3}).has_value());
}

TEST(StoreCorruption, BitRotInTheLastSyncedEntryIsCorruptNotATornTail) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 5, 1);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.log", (5 - 1) * k_record_bytes + 2, 0x80));  // its header magic
    const Recovered r = w.reopen();
    EXPECT_EQ(r.corrupt, indices({5}));  // the identity record proves it was durable
    EXPECT_EQ(r.last_index, Index{5});
    EXPECT_FALSE(r.truncated_from.has_value());
}

TEST(StoreCorruption, ALatentSectorErrorOnASyncedEntryIsCorrupt) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 5, 1);
    w.crash();
    ASSERT_TRUE(w.disk.add_latent_error("raft.log", 1));  // entry 2's sector
    const Recovered r = w.reopen();
    EXPECT_EQ(r.corrupt, indices({2}));
    EXPECT_EQ(r.last_index, Index{5});
}

TEST(StoreCorruption, AMisdirectedWriteIsDetectedAndNoWrongDataIsServed) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 4, 1);
    w.disk.set_misdirect_probability(1.0);
    w.append_synced(5, 5, 1);  // lands over one of entries 1..4; its own place stays zero
    w.disk.set_misdirect_probability(0.0);
    ASSERT_EQ(w.disk.stats().misdirected_writes, 1u);
    w.crash();
    const Recovered r = w.reopen();
    ASSERT_EQ(r.last_index, Index{5});
    ASSERT_EQ(r.corrupt.size(), 2u);
    EXPECT_EQ(r.corrupt.back(), Index{5});
    for (const LogSlot& s : r.log)
        if (s.entry) {
            EXPECT_EQ(*s.entry, make_entry(s.index.value, 1));
        }
}

TEST(StoreCorruption, ARottenIdentityRecordIsNotCorruptionOfItsEntry) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 3, 1);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.ids", 64 + 10, 0x01));  // entry 2's proof
    const Recovered r = w.reopen();
    EXPECT_TRUE(r.corrupt.empty());
    EXPECT_EQ(r.last_index, Index{3});
    EXPECT_TRUE(r.log[1].proven);
}

// ---- Truncate and repair -----------------------------------------------------------------------

TEST(StoreTruncate, TruncatedEntriesNeverComeBackAfterACrash) {
    StoreWorld w(3, sim::DiskOptions{});
    w.reopen();
    w.append_synced(1, 6, 1);
    ASSERT_EQ(w.call([](LogStore& s) { return s.truncate_suffix(Index{4}); }), Status::ok);
    EXPECT_EQ(w.store->last_index(), Index{3});
    w.crash();
    Recovered r = w.reopen();
    EXPECT_EQ(r.last_index, Index{3});
    EXPECT_TRUE(r.corrupt.empty());
    // A conflicting entry from a newer term takes index 4's place for good.
    w.append_synced(4, 4, 2, 300);
    w.crash();
    r = w.reopen();
    ASSERT_EQ(r.last_index, Index{4});
    EXPECT_EQ(*r.log[3].entry, make_entry(4, 2, 300));
    EXPECT_TRUE(r.corrupt.empty());
}

TEST(StoreRepair, ARepairedEntryIsRecoveredIntactAfterwards) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 5, 1);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.log", payload_byte(3), 0x04));
    ASSERT_TRUE(w.disk.add_latent_error("raft.log", 4));  // entry 5
    Recovered r = w.reopen();
    ASSERT_EQ(r.corrupt, indices({3, 5}));
    // A peer's copy that contradicts the identity record is refused.
    EXPECT_EQ(w.call([](LogStore& s) { return s.repair(make_entry(3, 2)); }), Status::mismatch);
    EXPECT_EQ(w.call([](LogStore& s) { return s.repair(make_entry(4, 1)); }), Status::not_corrupt);
    EXPECT_EQ(w.call([](LogStore& s) { return s.repair(make_entry(3, 1)); }), Status::ok);
    EXPECT_EQ(w.call([](LogStore& s) { return s.repair(make_entry(5, 1)); }), Status::ok);
    EXPECT_TRUE(w.store->holds(Index{3}));
    EXPECT_TRUE(w.store->corrupt().empty());
    w.crash();
    r = w.reopen();
    EXPECT_TRUE(r.corrupt.empty());
    ASSERT_EQ(r.last_index, Index{5});
    for (const LogSlot& s : r.log) EXPECT_EQ(*s.entry, make_entry(s.index.value, 1));
}

// ---- Disk full ---------------------------------------------------------------------------------

TEST(StoreDiskFull, AnAppendFailsWholeAndNothingIsAcknowledged) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 2, 1);
    w.disk.set_full(true);
    EXPECT_EQ(w.append({make_entry(3, 1), make_entry(4, 1)}), Status::disk_full);
    EXPECT_EQ(w.store->last_index(), Index{2});
    EXPECT_EQ(w.sync(), Status::ok);
    w.disk.set_full(false);
    w.append_synced(3, 3, 1);
    w.crash();
    const Recovered r = w.reopen();
    EXPECT_EQ(r.last_index, Index{3});
    EXPECT_TRUE(r.corrupt.empty());
}

// ---- Deliberate bugs, shown directly (the property test shows it finds them on its own) ---------

TEST(StoreDeliberateBug, TreatingCorruptionAsATornTailLosesSyncedEntries) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 5, 1);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.log", payload_byte(3), 0x04));
    LogStoreOptions buggy;
    buggy.bug_truncate_corruption = true;
    const Recovered r = w.reopen(buggy);
    EXPECT_EQ(r.last_index, Index{2});  // entries 3..5 were synced, maybe committed: lost
}

// ---- Snapshots and compaction ------------------------------------------------------------------

std::vector<Entry> entries(uint64_t from, uint64_t to, uint64_t term = 1) {
    std::vector<Entry> out;
    for (uint64_t i = from; i <= to; ++i) out.push_back(make_entry(i, term));
    return out;
}

Snapshot snap(uint64_t index, uint64_t term) {
    return Snapshot{Index{index}, Term{term},
                    std::vector<uint8_t>(700, static_cast<uint8_t>(index))};
}

TEST(StoreSnapshot, CompactionKeepsTheSuffixAndTheBoundaryTerm) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    ASSERT_EQ(w.append(entries(1, 10)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(6, 1)); }), Status::ok);
    EXPECT_EQ(w.store->first_index(), Index{7});
    EXPECT_EQ(w.store->last_index(), Index{10});
    EXPECT_EQ(w.store->term_at(Index{6}), Term{1});  // Raft's prev-term check at the boundary
    EXPECT_FALSE(w.store->holds(Index{6}));
    EXPECT_TRUE(w.store->holds(Index{7}));
    ASSERT_EQ(w.append(entries(11, 12, 2)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    w.crash();
    const Recovered r = w.reopen();
    ASSERT_TRUE(r.snapshot.has_value());
    EXPECT_EQ(*r.snapshot, snap(6, 1));
    EXPECT_FALSE(r.gap);
    EXPECT_EQ(r.first_index, Index{7});
    EXPECT_EQ(r.last_index, Index{12});
    ASSERT_EQ(r.log.size(), 6u);
    EXPECT_EQ(*r.log.front().entry, make_entry(7, 1));
    EXPECT_EQ(*r.log.back().entry, make_entry(12, 2));
}

TEST(StoreSnapshot, ASnapshotBeyondTheLogResetsItAndReclaimsTheDisk) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    ASSERT_EQ(w.append(entries(1, 5)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(40, 3)); }), Status::ok);
    EXPECT_EQ(w.store->first_index(), Index{41});
    EXPECT_EQ(w.store->last_index(), Index{40});
    EXPECT_EQ(w.disk.size("raft.log"), 0u);
    ASSERT_EQ(w.append(entries(41, 43, 3)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    w.crash();
    const Recovered r = w.reopen();
    EXPECT_EQ(r.first_index, Index{41});
    EXPECT_EQ(r.last_index, Index{43});
    EXPECT_TRUE(r.corrupt.empty());
    EXPECT_TRUE(r.holds(Index{41}) && r.holds(Index{43}));
}

TEST(StoreSnapshot, AConflictingLogIsDroppedWholeEvenAfterACrashBeforeTheReset) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    ASSERT_EQ(w.append(entries(1, 8, 1)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    // Entry 5 has term 1 here; the leader's snapshot says term 2: nothing after it is ours.
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(5, 2)); }), Status::ok);
    EXPECT_EQ(w.store->last_index(), Index{5});
    w.crash();
    const Recovered r = w.reopen();
    EXPECT_EQ(r.first_index, Index{6});
    EXPECT_EQ(r.last_index, Index{5});
    EXPECT_EQ(w.store->term_at(Index{5}), Term{2});
}

TEST(StoreSnapshot, ARottenNewestSnapshotFallsBackToTheOlderOneWhileTheLogCoversTheDifference) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    ASSERT_EQ(w.append(entries(1, 10)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(3, 1)); }),
              Status::ok);  // file 1
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(8, 1)); }),
              Status::ok);  // file 0
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.snap.0", 600, 0x04));
    const Recovered r = w.reopen();
    EXPECT_TRUE(r.snapshot_damaged);
    ASSERT_TRUE(r.snapshot.has_value());
    EXPECT_EQ(r.snapshot->index, Index{3});
    EXPECT_FALSE(r.gap);  // compaction left raft.log whole: 4..10 are still there
    EXPECT_EQ(r.first_index, Index{4});
    EXPECT_EQ(r.last_index, Index{10});
}

TEST(StoreSnapshot, ARottenSnapshotWhoseLogPrefixIsGoneIsAGapNotAFreshLog) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(20, 2)); }), Status::ok);
    ASSERT_EQ(w.append(entries(21, 24, 2)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.snap.1", 10, 0x01));  // the only snapshot's header
    const Recovered r = w.reopen();
    EXPECT_TRUE(r.snapshot_damaged);
    EXPECT_FALSE(r.snapshot.has_value());
    EXPECT_TRUE(r.gap);
    EXPECT_EQ(r.first_index, Index{21});
    EXPECT_EQ(r.last_index, Index{24});
    EXPECT_TRUE(w.store->has_gap());
    EXPECT_FALSE(w.store->term_at(Index{20}).has_value());
    // A leader's snapshot fills the gap and keeps the matching suffix.
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(22, 2)); }), Status::ok);
    EXPECT_FALSE(w.store->has_gap());
    EXPECT_EQ(w.store->first_index(), Index{23});
    EXPECT_EQ(w.store->last_index(), Index{24});
}

TEST(StoreSnapshot, ATrailingWindowKeepsEntriesBeforeTheSnapshot) {
    StoreWorld w;
    w.reopen();
    ASSERT_EQ(w.append(entries(1, 10)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(8, 1), 3); }), Status::ok);
    EXPECT_EQ(w.store->first_index(), Index{6});
    EXPECT_EQ(w.store->term_at(Index{5}), Term{1});
    EXPECT_EQ(w.store->term_at(Index{8}), Term{1});
}

TEST(StoreSnapshot, AHoleCoveredByTheSnapshotIsMoot) {
    StoreWorld w(1, sim::DiskOptions{});
    w.reopen();
    ASSERT_EQ(w.append(entries(1, 6)), Status::ok);
    ASSERT_EQ(w.sync(), Status::ok);
    ASSERT_EQ(w.call([](LogStore& s) { return s.save_snapshot(snap(4, 1)); }), Status::ok);
    w.crash();
    ASSERT_TRUE(w.disk.rot("raft.log", payload_byte(2), 0x08));
    const Recovered r = w.reopen();
    EXPECT_TRUE(r.corrupt.empty());
    EXPECT_EQ(r.first_index, Index{5});
    EXPECT_EQ(r.last_index, Index{6});
}

}  // namespace
}  // namespace stormlog::system::store
