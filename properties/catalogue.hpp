#pragma once
// Every property stormlog checks: its name (spelled here and nowhere else), when it is checked,
// and what it promises. Checkers report violations under these names; workloads declare which of
// them they check (workloads/registry.hpp); a scenario's "properties" may name a subset of its
// workload's; `stormlog list properties` prints this table.

#include <span>
#include <string_view>

namespace stormlog::properties {

enum class Moment : unsigned char {
    continuous,  // at every event of its kind (election, append, apply, commit, checkpoint...)
    at_end,      // once the run ends (safety of what was acknowledged, the whole history)
    after_heal,  // liveness: under budget "within", by the end of the fault-free quiet period
};

struct Property {
    const char* name;
    Moment moment;
    const char* promise;  // one line
};

namespace property {

// The kernel-smoke workload: the kernel's primitives.
inline constexpr Property smoke_no_phantom{"smoke.no_phantom", Moment::continuous,
                                           "nothing is received that was not sent"};
inline constexpr Property smoke_no_duplicate{"smoke.no_duplicate", Moment::continuous,
                                             "nothing is received twice"};
inline constexpr Property smoke_addressed{"smoke.addressed", Moment::continuous,
                                          "a node receives only what was sent to it"};
inline constexpr Property smoke_down_node_silent{"smoke.down_node_silent", Moment::continuous,
                                                 "a crashed node receives nothing"};
inline constexpr Property smoke_paused_node_silent{"smoke.paused_node_silent", Moment::continuous,
                                                   "a paused node receives nothing"};
inline constexpr Property smoke_reply_matches{"smoke.reply_matches", Moment::continuous,
                                              "every reply answers its request"};
inline constexpr Property smoke_restart_liveness{"smoke.restart_liveness", Moment::at_end,
                                                 "the restarted node receives again"};
inline constexpr Property smoke_liveness{"smoke.liveness", Moment::at_end,
                                         "some request gets its reply"};

// The messaging workload.
inline constexpr Property net_no_phantom{
    "net.no_phantom", Moment::continuous,
    "every accepted message was sent, with exactly the content sent"};
inline constexpr Property journal_durable{
    "journal.durable", Moment::continuous,
    "every record reported fsynced is recovered after a crash"};
inline constexpr Property journal_no_silent_corruption{
    "journal.no_silent_corruption", Moment::continuous,
    "every recovered record is exactly what was written"};
inline constexpr Property liveness_messaging{"liveness.messaging", Moment::after_heal,
                                             "every node receives a message and gets an ack"};

// Raft (properties/raft).
inline constexpr Property raft_election_safety{"raft.election_safety", Moment::continuous,
                                               "at most one leader per term"};
inline constexpr Property raft_leader_append_only{
    "raft.leader_append_only", Moment::continuous,
    "a leader never overwrites or deletes its own entries"};
inline constexpr Property raft_log_matching{
    "raft.log_matching", Moment::continuous,
    "two logs with an entry of the same index and term agree up to it"};
inline constexpr Property raft_leader_completeness{
    "raft.leader_completeness", Moment::continuous,
    "a new leader holds every entry committed in earlier terms"};
inline constexpr Property raft_vote_durable{
    "raft.vote_durable", Moment::continuous,
    "a vote once granted survives the voter's crashes: never two votes in one term"};
inline constexpr Property raft_current_term_commit{
    "raft.current_term_commit", Moment::continuous,
    "a leader commits by counting replicas only entries of its own term (Figure 8)"};
inline constexpr Property raft_state_machine_safety{
    "raft.state_machine_safety", Moment::continuous,
    "no two nodes apply different entries at an index"};

// The event store (properties/store, properties/linearizability).
inline constexpr Property store_expected_version{
    "store.expected_version", Moment::continuous,
    "no append commits against a version it did not expect"};
inline constexpr Property store_idempotent_append{
    "store.idempotent_append", Moment::continuous,
    "an append of events already there replays their positions"};
inline constexpr Property store_durability{
    "store.durability", Moment::at_end,
    "every acknowledged append is in the committed log, once, in order"};
inline constexpr Property store_linearizable{"store.linearizable", Moment::at_end,
                                             "the clients' history is linearizable (model stream)"};
inline constexpr Property client_backoff{
    "client.backoff", Moment::at_end,
    "store clients retry with exponential backoff and full jitter, within their deadline"};
inline constexpr Property liveness_leader{"liveness.leader", Moment::after_heal,
                                          "a leader with a majority following it"};
inline constexpr Property liveness_stable_leader{
    "liveness.stable_leader", Moment::after_heal,
    "no election deposes a healthy leader: at most one after the last heal, one in a run without "
    "faults"};
inline constexpr Property liveness_no_disruption{
    "liveness.no_disruption", Moment::continuous,
    "no node campaigns against a healthy leader (PreVote and leader stickiness keep it quiet)"};
inline constexpr Property liveness_commit{"liveness.commit", Moment::after_heal,
                                          "a probe append issued at the last heal commits"};

// The ledger system (properties/ledger, properties/projections, properties/resilience).
inline constexpr Property ledger_conservation{
    "ledger.conservation", Moment::continuous,
    "money is neither created nor destroyed; every money event was issued"};
inline constexpr Property ledger_no_overdraft{
    "ledger.no_overdraft", Moment::continuous,
    "no account's balance goes below zero in the committed log"};
inline constexpr Property projection_consistent{
    "projection.consistent", Moment::continuous,
    "a durable read model is the fold of the log below its checkpoint"};
inline constexpr Property projection_checkpoint_monotonic{
    "projection.checkpoint_monotonic", Moment::continuous,
    "a projection's durable checkpoint never moves back"};
inline constexpr Property queue_no_silent_loss{
    "queue.no_silent_loss", Moment::continuous,
    "a handler receives exactly what its queue accepted, in order"};
inline constexpr Property projection_dead_letters{
    "projection.dead_letters", Moment::at_end,
    "every event a projection parked has its dead letter in the committed log"};
inline constexpr Property projection_parked_replayed{
    "projection.parked_replayed", Moment::after_heal,
    "every event parked before the last heal is replayed after it"};
inline constexpr Property breaker_semantics{
    "breaker.semantics", Moment::continuous,
    "no call passes an open breaker; half-open admits only its trials"};
inline constexpr Property retry_backoff{
    "retry.backoff", Moment::at_end,
    "retry loops back off as their policies say: bounded attempts, capped and jittered waits"};
inline constexpr Property liveness_service{
    "liveness.service", Moment::after_heal,
    "the service serves again: late commands are decided, every entry reached the notifier"};
inline constexpr Property liveness_projections{
    "liveness.projections", Moment::after_heal,
    "projections caught up, breakers closed, no alert, no transfer in flight"};

}  // namespace property

// Every property above, grouped as above.
std::span<const Property* const> catalogue();

// The property named `name`, or null.
const Property* find_property(std::string_view name);

const char* to_string(Moment m);

}  // namespace stormlog::properties
