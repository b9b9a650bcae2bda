#include "properties/catalogue.hpp"

#include <algorithm>

namespace stormlog::properties {
namespace {

using namespace property;

constexpr const Property* k_all[] = {
    &smoke_no_phantom,
    &smoke_no_duplicate,
    &smoke_addressed,
    &smoke_down_node_silent,
    &smoke_paused_node_silent,
    &smoke_reply_matches,
    &smoke_restart_liveness,
    &smoke_liveness,
    &net_no_phantom,
    &journal_durable,
    &journal_no_silent_corruption,
    &liveness_messaging,
    &raft_election_safety,
    &raft_leader_append_only,
    &raft_log_matching,
    &raft_leader_completeness,
    &raft_state_machine_safety,
    &raft_vote_durable,
    &raft_current_term_commit,
    &store_expected_version,
    &store_idempotent_append,
    &store_durability,
    &store_linearizable,
    &client_backoff,
    &liveness_leader,
    &liveness_commit,
    &liveness_stable_leader,
    &liveness_no_disruption,
    &ledger_conservation,
    &ledger_no_overdraft,
    &projection_consistent,
    &projection_checkpoint_monotonic,
    &queue_no_silent_loss,
    &projection_dead_letters,
    &projection_parked_replayed,
    &breaker_semantics,
    &retry_backoff,
    &liveness_projections,
    &liveness_service,
};

}  // namespace

std::span<const Property* const> catalogue() {
    return k_all;
}

const Property* find_property(std::string_view name) {
    const auto it = std::find_if(std::begin(k_all), std::end(k_all),
                                 [name](const Property* p) { return p->name == name; });
    return it == std::end(k_all) ? nullptr : *it;
}

const char* to_string(Moment m) {
    switch (m) {
        case Moment::continuous:
            return "continuous";
        case Moment::at_end:
            return "at the end";
        case Moment::after_heal:
            return "after healing";
    }
    return "?";
}

}  // namespace stormlog::properties
