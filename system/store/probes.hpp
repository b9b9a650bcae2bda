#pragma once
// Sometimes-probes of the event store (sim/probe.hpp): the Raft node, the state machine and its
// server, and the client library. Each marks a rare moment a suite should reach at least once -
// where the protocol's hard cases (deposed leaders, conflicting logs, damaged disks, lost
// answers) are actually exercised. Counting never changes what the system does.

#include <array>

#include "sim/probe_list.hpp"

namespace stormlog::system::store::probes {

// ---- Elections and leadership -------------------------------------------------------------
inline constexpr sim::Probe leader_deposed_with_uncommitted{
    "raft.leader_deposed_with_uncommitted",
    "a leader steps down while entries it appended are not yet committed (appends in flight)"};
inline constexpr sim::Probe elected_with_uncommitted_tail{
    "raft.elected_with_uncommitted_tail",
    "a new leader holds entries past its commit index: only its own term's first entry commits "
    "them"};
inline constexpr sim::Probe leader_lost_quorum{
    "raft.leader_lost_quorum",
    "CheckQuorum: a leader that has not heard from a majority for an election timeout steps down"};
inline constexpr sim::Probe read_index_lost_leadership{
    "raft.read_index_lost_leadership",
    "a leader steps down with ReadIndex reads pending: they are dropped unconfirmed and refused"};
inline constexpr sim::Probe vote_refused_stale_log{
    "raft.vote_refused_stale_log",
    "a node refuses its vote to a candidate whose log is less up to date than its own"};
inline constexpr sim::Probe prevote_refused_stale_log{
    "raft.prevote_refused_stale_log",
    "a node refuses a pre-vote to a pre-candidate whose log is less up to date than its own"};
inline constexpr sim::Probe prevote_refused_leader_alive{
    "raft.prevote_refused_leader_alive",
    "a pre-vote for a newer term is refused because this node still hears from (or is) a leader"};
inline constexpr sim::Probe rejoined_after_abstaining{
    "raft.rejoined_after_abstaining",
    "a node that lost its disk or its hard state caught up with a leader and votes again"};

// ---- Replication and commitment -----------------------------------------------------------
inline constexpr sim::Probe follower_truncated_conflict{
    "raft.follower_truncated_conflict",
    "a follower truncates a conflicting suffix of its log to take the leader's entries"};
inline constexpr sim::Probe commit_withheld_older_term{
    "raft.commit_withheld_older_term",
    "a majority holds an entry of an older term that the leader does not commit by counting "
    "(Figure 8)"};
inline constexpr sim::Probe commit_older_term_via_current{
    "raft.commit_older_term_via_current",
    "the commit index passes older-term entries because an entry of the leader's term reached a "
    "majority"};
inline constexpr sim::Probe persist_failed{
    "raft.persist_failed",
    "the disk refused a hard-state save or a log sync: the cycle's replies are dropped"};

// ---- Storage faults and recovery ----------------------------------------------------------
inline constexpr sim::Probe torn_tail_recovered{
    "raft.torn_tail_recovered",
    "a restarting node finds a torn, never acknowledged log tail and truncates it"};
inline constexpr sim::Probe recovered_with_holes{
    "raft.recovered_with_holes",
    "a restarting node finds corrupt entries that may be committed and keeps them as holes"};
inline constexpr sim::Probe recovered_with_gap{
    "raft.recovered_with_gap",
    "a restarting node's newest snapshot is damaged and its log follows a gap"};
inline constexpr sim::Probe hole_repaired_from_append{
    "raft.hole_repaired_from_append",
    "a corrupt entry is repaired with the copy a leader's AppendEntries resent"};
inline constexpr sim::Probe hole_repaired_from_peer{
    "raft.hole_repaired_from_peer",
    "a corrupt entry is repaired with a copy a peer vouched for in answer to a repair request"};

inline constexpr sim::Probe fail_stop{
    "raft.fail_stop",
    "an fsync failed (the disk may have dropped what it covered): the node crashes and recovers "
    "from its disk instead of trusting its memory"};
inline constexpr sim::Probe truncate_refused{
    "raft.truncate_refused",
    "the disk refused to truncate a conflicting suffix: the node keeps it and acks below it"};

// ---- Snapshots ----------------------------------------------------------------------------
inline constexpr sim::Probe snapshot_taken{
    "raft.snapshot_taken", "a node snapshots its state machine and compacts its log"};
inline constexpr sim::Probe snapshot_sent{
    "raft.snapshot_sent",
    "a leader sends InstallSnapshot to a follower whose next entry it has compacted away"};
inline constexpr sim::Probe snapshot_installed{
    "raft.snapshot_installed",
    "a lagging follower installs a leader's snapshot durably and restores its state from it"};

// ---- The state machine and its server -----------------------------------------------------
inline constexpr sim::Probe session_replay{
    "store.session_replay",
    "another committed copy of a client's request is answered from its session, not applied "
    "again"};
inline constexpr sim::Probe idempotent_replay{
    "store.idempotent_replay",
    "an append whose events are already in the stream succeeds as a replay of their positions"};
inline constexpr sim::Probe stale_request{
    "store.stale_request",
    "a delayed copy of a request older than its client's latest commits and is not evaluated"};
inline constexpr sim::Probe pending_appends_unknown{
    "store.pending_appends_unknown",
    "a node's leadership ends with appends pending: their clients are answered unknown"};

// ---- The client library -------------------------------------------------------------------
inline constexpr sim::Probe leader_hint_followed{
    "client.leader_hint_followed",
    "a not_leader refusal names another node as leader: the client's next attempt goes there"};
inline constexpr sim::Probe ok_after_lost_attempt{
    "client.ok_after_lost_attempt",
    "an append settles ok after an earlier attempt of it timed out or was answered unknown"};
inline constexpr sim::Probe append_indeterminate{
    "client.append_indeterminate",
    "an append's deadline passes without a verdict: its outcome is indeterminate"};

inline constexpr std::array<const sim::Probe*, 29> all{
    &leader_deposed_with_uncommitted,
    &elected_with_uncommitted_tail,
    &leader_lost_quorum,
    &read_index_lost_leadership,
    &vote_refused_stale_log,
    &prevote_refused_stale_log,
    &prevote_refused_leader_alive,
    &rejoined_after_abstaining,
    &follower_truncated_conflict,
    &commit_withheld_older_term,
    &commit_older_term_via_current,
    &persist_failed,
    &torn_tail_recovered,
    &recovered_with_holes,
    &recovered_with_gap,
    &hole_repaired_from_append,
    &hole_repaired_from_peer,
    &fail_stop,
    &truncate_refused,
    &snapshot_taken,
    &snapshot_sent,
    &snapshot_installed,
    &session_replay,
    &idempotent_replay,
    &stale_request,
    &pending_appends_unknown,
    &leader_hint_followed,
    &ok_after_lost_attempt,
    &append_indeterminate,
};

static_assert(sim::distinct_names(all));  // the coverage counts probes by name

}  // namespace stormlog::system::store::probes
