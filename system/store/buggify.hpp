#pragma once
// BUGGIFY points of the event store (sim/buggify.hpp): what a Raft node may legally do that a
// quiet run seldom makes it do - time out early, step down, ship one entry at a time, snapshot
// long before its interval. Each only takes a branch the protocol must already handle.

#include "sim/buggify.hpp"

namespace stormlog::system::store::buggify {

inline constexpr sim::BuggifyPoint early_election_timeout{
    "raft.early_election_timeout",
    "an election timer is armed for less than the election timeout (a slow or paused follower's "
    "view): PreVote and leader stickiness must keep a live leader in place",
    0.05};
inline constexpr sim::BuggifyPoint leader_steps_down{
    "raft.leader_steps_down",
    "a leader steps down at a heartbeat for no reason (an operator's transfer, a lost lease)",
    0.01};
inline constexpr sim::BuggifyPoint one_entry_appends{
    "raft.one_entry_appends", "an AppendEntries carries at most one entry: long catch-ups"};
inline constexpr sim::BuggifyPoint early_snapshot{
    "raft.early_snapshot",
    "a node snapshots right after an apply, long before its snapshot interval", 0.02};

}  // namespace stormlog::system::store::buggify
