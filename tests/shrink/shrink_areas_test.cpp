// Shrinking, one deliberate-bug switch of each area of the system (Raft, storage, the store's API,
// projections, breakers, queues, the ledger service): a failing nemesis run shrinks to a few
// faults that still fail the same property, and the same run shrinks to the same file. The other
// switches: shrink_soak_test.cpp (label soak).

#include "tests/shrink/shrink_check.hpp"

namespace stormlog::shrink {
namespace {

using test_support::check_shrinks;

TEST(ShrinkAreas, Raft) {
    check_shrinks("raft.commit_by_counting", "nemesis-within");
}

TEST(ShrinkAreas, Storage) {
    // The disk-level switches (store.truncate_corruption, store.skip_ids_fsync,
    // store.retry_failed_fsync) fail no seed of 1..12 of a nemesis scenario; a node that restarts
    // without restoring its snapshot from disk does.
    check_shrinks("raft.skip_snapshot_restore", "nemesis-within");
}

TEST(ShrinkAreas, StoreApi) {
    check_shrinks("store.ignore_expected_version", "nemesis-within");
}

TEST(ShrinkAreas, Projections) {
    check_shrinks("ledger.projection_in_memory_dedup", "ledger-nemesis");
}

TEST(ShrinkAreas, Breaker) {
    check_shrinks("ledger.breaker_ignore_open", "ledger-nemesis");
}

TEST(ShrinkAreas, Queue) {
    check_shrinks("ledger.queue_drop_when_full", "ledger-nemesis");
}

TEST(ShrinkAreas, Ledger) {
    check_shrinks("ledger.debit_any_version", "ledger-nemesis");
}

}  // namespace
}  // namespace stormlog::shrink
