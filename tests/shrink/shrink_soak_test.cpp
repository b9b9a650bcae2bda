// Shrinking every other deliberate-bug switch a nemesis scenario catches within 12 seeds (the
// areas' representatives run in make test: shrink_areas_test.cpp). Label soak.

#include "tests/shrink/shrink_check.hpp"

namespace stormlog::shrink {
namespace {

using test_support::check_shrinks;

class ShrinkSoak : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(ShrinkSoak, ShrinksToAFewFaultsThatFailTheSameProperty) {
    check_shrinks(GetParam().first, GetParam().second);
}

INSTANTIATE_TEST_SUITE_P(
    Switches, ShrinkSoak,
    ::testing::Values(std::pair{"raft.grant_any_vote", "nemesis-within"},
                      std::pair{"raft.skip_vote_log_check", "nemesis-within"},
                      std::pair{"raft.skip_conflict_check", "nemesis-within"},
                      std::pair{"raft.apply_uncommitted", "nemesis-within"},
                      std::pair{"raft.ack_before_sync", "nemesis-within"},
                      std::pair{"raft.stale_reads", "nemesis-within"},
                      std::pair{"raft.leader_accepts_stale", "nemesis-within"},
                      std::pair{"raft.never_campaign", "nemesis-within"},
                      std::pair{"raft.drop_acks", "nemesis-within"},
                      std::pair{"raft.unpersisted_vote", "nemesis-within"},
                      std::pair{"raft.skip_pre_vote", "nemesis-within"},
                      std::pair{"store.skip_idempotency", "nemesis-within"},
                      std::pair{"client.retry_at_once", "nemesis-within"},
                      std::pair{"client.backoff_never_grows", "nemesis-within"},
                      std::pair{"store.replay_answered_as_conflict", "nemesis-within"},
                      std::pair{"ledger.credit_fresh_id", "ledger-nemesis"},
                      std::pair{"ledger.retry_fresh_id", "ledger-nemesis"},
                      std::pair{"ledger.fence_after_unknown", "ledger-nemesis"},
                      std::pair{"ledger.retry_without_backoff", "ledger-nemesis"},
                      std::pair{"ledger.projection_retry_without_backoff", "ledger-nemesis"},
                      std::pair{"ledger.notify_skip_when_open", "ledger-nemesis"},
                      std::pair{"ledger.breaker_half_open_admits_all", "ledger-nemesis"},
                      std::pair{"ledger.projection_load_oldest_slot", "ledger-nemesis"},
                      std::pair{"ledger.projection_checkpoint_only_every_n", "ledger-nemesis"},
                      std::pair{"ledger.projection_park_without_dead_letter", "ledger-nemesis"},
                      std::pair{"ledger.projection_drop_replay_request", "ledger-nemesis"}));

}  // namespace
}  // namespace stormlog::shrink
