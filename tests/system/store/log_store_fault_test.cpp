// LogStore under the disk's I/O error faults: a failed fsync stops the store (fail-stop, never a
// retry: what it covered may be gone), a refused truncate changes nothing the store relies on, and
// a tear inside a record of several sectors is a torn tail that recovery cuts off.

#include <gtest/gtest.h>

#include "system/store/log_store.hpp"
#include "tests/system/store/store_world.hpp"

namespace stormlog::system::store {
namespace {

using testing::make_entry;
using testing::StoreWorld;

Status truncate_from(StoreWorld& w, uint64_t from) {
    return w.call([&](LogStore& s) { return s.truncate_suffix(Index{from}); });
}

// ---- Failed fsyncs ---------------------------------------------------------------------------

TEST(StoreFsyncError, AFailedSyncStopsTheStoreAndRecoveryFindsWhatTheDiskHolds) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 3, 1);
    ASSERT_EQ(w.append({make_entry(4, 1), make_entry(5, 1)}), Status::ok);
    w.disk.set_fsync_error_probability(1.0);
    EXPECT_EQ(w.sync(), Status::fail_stop);
    EXPECT_TRUE(w.store->stopped());
    EXPECT_EQ(w.disk.stats().fsync_errors, 1u);
    // Sticky: nothing later claims durability, even once the disk behaves again.
    w.disk.set_fsync_error_probability(0.0);
    EXPECT_EQ(w.sync(), Status::fail_stop);
    EXPECT_EQ(w.append({make_entry(6, 1)}), Status::fail_stop);
    EXPECT_EQ(w.call([](LogStore& s) {
        return s.save_hard_state(HardState{Term{2}, std::nullopt, Index{0}});
    }),
              Status::fail_stop);
    // The owner crashes its process (the page cache stays) and recovers from the disk: the
    // dropped records are gone, every synced one is there.
    const Recovered r = w.reopen();
    EXPECT_FALSE(w.store->stopped());
    EXPECT_EQ(r.last_index, Index{3});
    EXPECT_TRUE(r.corrupt.empty());
    for (const LogSlot& s : r.log) EXPECT_TRUE(s.proven);
}

TEST(StoreFsyncError, AFailedHardStateSaveStopsTheStoreAndTheOlderStateRemains) {
    StoreWorld w;
    w.reopen();
    const HardState h1{Term{1}, 1u, Index{0}};
    ASSERT_EQ(w.call([&](LogStore& s) { return s.save_hard_state(h1); }), Status::ok);
    w.disk.set_fsync_error_probability(1.0);
    const HardState h2{Term{2}, 2u, Index{0}};
    EXPECT_EQ(w.call([&](LogStore& s) { return s.save_hard_state(h2); }), Status::fail_stop);
    EXPECT_EQ(w.store->hard_state(), h1);  // never believed saved
    w.disk.set_fsync_error_probability(0.0);
    const Recovered r = w.reopen();
    EXPECT_FALSE(r.meta_damaged);
    EXPECT_EQ(r.hard, h1);
}

// The classic bug: fsync again until it "succeeds". sync() then calls entries durable whose
// records the disk dropped; a power loss later shows they never were.
TEST(StoreFsyncError, RetryingAFailedFsyncCallsDroppedEntriesDurable) {
    int caught = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        StoreWorld w(seed);
        LogStoreOptions bug;
        bug.bug_retry_failed_fsync = true;
        w.reopen(bug);
        w.append_synced(1, 3, 1);
        ASSERT_EQ(w.append({make_entry(4, 1), make_entry(5, 1)}), Status::ok);
        w.disk.set_fsync_error_probability(0.5);
        const Status s = w.sync();
        w.disk.set_fsync_error_probability(0.0);
        // Only a failed fsync of raft.log drops records (the records are one sector each).
        const bool dropped = w.disk.size("raft.log") == 3 * format::k_sector_bytes;
        if (s != Status::ok || !dropped) continue;
        EXPECT_FALSE(w.store->stopped());
        w.crash();
        const Recovered r = w.reopen();
        // Synced, yet not held intact: lost, or at best a hole only a peer could fill.
        EXPECT_FALSE(r.holds(Index{4}) && r.holds(Index{5})) << "seed " << seed;
        ++caught;
    }
    EXPECT_GT(caught, 0);
}

// ---- Refused truncates -------------------------------------------------------------------------

TEST(StoreTruncateError, ARefusedTruncationKeepsTheLogAndTheStoreGoesOn) {
    StoreWorld w;
    w.reopen();
    w.append_synced(1, 5, 1);
    w.disk.set_truncate_error_probability(1.0);
    EXPECT_EQ(truncate_from(w, 3), Status::io_error);
    EXPECT_FALSE(w.store->stopped());
    EXPECT_EQ(w.store->last_index(), Index{5});
    EXPECT_TRUE(w.store->holds(Index{4}));
    w.disk.set_truncate_error_probability(0.0);
    EXPECT_EQ(truncate_from(w, 3), Status::ok);
    EXPECT_EQ(w.store->last_index(), Index{2});
    w.crash();
    EXPECT_EQ(w.reopen().last_index, Index{2});
}

// raft.ids cut but raft.log refused: the kept entries lost their proofs and the next sync proves
// them again, so a crash finds them proven (not a bad tail to drop, were one to rot).
TEST(StoreTruncateError, EntriesWhoseProofsACutRemovedAreProvenAgainBySync) {
    int partial = 0;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        StoreWorld w(seed);
        w.reopen();
        w.append_synced(1, 5, 1);
        w.disk.set_truncate_error_probability(0.5);
        const Status s = truncate_from(w, 3);
        w.disk.set_truncate_error_probability(0.0);
        if (s != Status::io_error || w.disk.size("raft.ids") != 2 * format::k_proof_bytes) continue;
        ++partial;
        EXPECT_EQ(w.store->last_index(), Index{5});
        EXPECT_EQ(w.sync(), Status::ok);
        EXPECT_EQ(w.disk.size("raft.ids"), 5 * format::k_proof_bytes);
        w.crash();
        const Recovered r = w.reopen();
        ASSERT_EQ(r.last_index, Index{5});
        for (const LogSlot& slot : r.log) EXPECT_TRUE(slot.proven) << slot.index.value;
    }
    EXPECT_GT(partial, 0);
}

// ---- Torn writes inside multi-sector records ----------------------------------------------------

// 4000- and 6000-byte payloads: records of 8 and 12 sectors. A torn write keeps a strict prefix
// of the last write's sectors, so a tear of the lone unsynced record lands inside it.
TEST(StoreTornRecord, ATearInsideAMultiSectorRecordIsATornTailAndIsCut) {
    const uint64_t span = format::record_span(4000);
    ASSERT_EQ(span, 8 * format::k_sector_bytes);
    int inside = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        StoreWorld w(seed);
        w.disk.set_torn_write_probability(1.0);
        w.reopen();
        w.append_synced(1, 2, 1, 4000);
        ASSERT_EQ(w.append({make_entry(3, 1, 6000)}), Status::ok);
        w.crash();
        const bool torn = w.disk.stats().torn_writes == 1;
        if (torn) {
            ++inside;
            EXPECT_GT(w.disk.size("raft.log"), 2 * span);  // part of record 3 landed
            EXPECT_LT(w.disk.size("raft.log"), 2 * span + format::record_span(6000));
        }
        const Recovered r = w.reopen();
        EXPECT_EQ(r.last_index, Index{2}) << "seed " << seed;
        EXPECT_TRUE(r.corrupt.empty()) << "seed " << seed;  // its checksum fails: never proven
        if (torn) {
            EXPECT_EQ(r.truncated_from, std::optional<Index>(Index{3}));
        }
        EXPECT_EQ(w.disk.size("raft.log"), 2 * span);  // cut durably at the record boundary
        w.append_synced(3, 3, 2, 5000);
        w.crash();
        const Recovered again = w.reopen();
        ASSERT_EQ(again.last_index, Index{3});
        EXPECT_EQ(*again.log[2].entry, make_entry(3, 2, 5000));
        EXPECT_FALSE(again.truncated_from.has_value());
    }
    EXPECT_GT(inside, 5);
}

// Recovery must cut a torn tail before anything is appended; a disk that refuses stops the store
// (its owner restarts and tries again), and once it accepts, the tail goes.
TEST(StoreTornRecord, RecoveryThatCannotCutATornTailStopsUntilItCan) {
    int tested = 0;
    for (uint64_t seed = 1; seed <= 20 && tested == 0; ++seed) {
        StoreWorld w(seed);
        w.disk.set_torn_write_probability(1.0);
        w.reopen();
        w.append_synced(1, 2, 1, 4000);
        ASSERT_EQ(w.append({make_entry(3, 1, 6000)}), Status::ok);
        w.crash();
        if (w.disk.stats().torn_writes != 1) continue;
        ++tested;
        w.disk.set_truncate_error_probability(1.0);
        w.reopen();
        EXPECT_TRUE(w.store->stopped());
        EXPECT_EQ(w.sync(), Status::fail_stop);
        w.disk.set_truncate_error_probability(0.0);
        const Recovered r = w.reopen();
        EXPECT_FALSE(w.store->stopped());
        EXPECT_EQ(r.truncated_from, std::optional<Index>(Index{3}));
        EXPECT_EQ(r.last_index, Index{2});
    }
    EXPECT_EQ(tested, 1);
}

}  // namespace
}  // namespace stormlog::system::store
