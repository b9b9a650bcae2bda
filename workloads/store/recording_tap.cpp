#include "workloads/store/recording_tap.hpp"

namespace stormlog::workloads {

using system::store::Index;
using system::store::NodeId;
using system::store::Role;
using system::store::Term;

void RecordingTap::on_recover(NodeId node, const system::store::HardState& hard, bool hard_intact,
                              std::span<const system::store::SlotView> log) {
    if (next_) next_->on_recover(node, hard, hard_intact, log);
}

void RecordingTap::on_vote(NodeId node, Term term, NodeId candidate) {
    if (next_) next_->on_vote(node, term, candidate);
}

void RecordingTap::on_leader(NodeId node, Term term, Index last_index) {
    if (next_) next_->on_leader(node, term, last_index);
    recording_->term(term.value, sim_->now());
    recording_->leader_started(node, term.value, sim_->now());
}

void RecordingTap::on_append(NodeId node, Term current_term, Role role,
                             std::optional<Term> prev_term,
                             std::span<const system::store::EntryView> entries, bool repair) {
    if (next_) next_->on_append(node, current_term, role, prev_term, entries, repair);
}

void RecordingTap::on_truncate(NodeId node, Term current_term, Role role, Index from) {
    if (next_) next_->on_truncate(node, current_term, role, from);
}

void RecordingTap::on_commit(NodeId node, Term current_term, Role role, Index commit) {
    if (next_) next_->on_commit(node, current_term, role, commit);
    recording_->commit(node, commit.value, sim_->now());
}

void RecordingTap::on_apply(NodeId node, const system::store::EntryView& e,
                            std::span<const uint8_t> data) {
    if (next_) next_->on_apply(node, e, data);
}

void RecordingTap::on_snapshot(NodeId node, Index last, Term term) {
    if (next_) next_->on_snapshot(node, last, term);
}

void RecordingTap::on_campaign(NodeId node, Term term) {
    if (next_) next_->on_campaign(node, term);
    recording_->term(term.value, sim_->now());
}

void RecordingTap::on_step_down(NodeId node, Term term) {
    if (next_) next_->on_step_down(node, term);
    recording_->leader_ended(node, sim_->now());
}

}  // namespace stormlog::workloads
