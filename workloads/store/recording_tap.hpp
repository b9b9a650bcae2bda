#pragma once
// The Raft observation tap of a recorded run: passes every report on to the checkers' observer
// (if any) and records what a report shows - who leads which term, the commit index. It only
// watches, so a recorded run is the same run as one without.

#include "sim/simulation.hpp"
#include "system/monitoring/recording.hpp"
#include "system/store/observer.hpp"

namespace stormlog::workloads {

class RecordingTap final : public system::store::Observer {
  public:
    // `next` may be null (no checker listens). `sim` and `recording` outlive the tap.
    RecordingTap(system::store::Observer* next, const sim::Simulation& sim,
                 system::monitoring::Recording& recording)
        : next_(next), sim_(&sim), recording_(&recording) {}

    void on_recover(system::store::NodeId node, const system::store::HardState& hard,
                    bool hard_intact, std::span<const system::store::SlotView> log) override;
    void on_vote(system::store::NodeId node, system::store::Term term,
                 system::store::NodeId candidate) override;
    void on_leader(system::store::NodeId node, system::store::Term term,
                   system::store::Index last_index) override;
    void on_append(system::store::NodeId node, system::store::Term current_term,
                   system::store::Role role, std::optional<system::store::Term> prev_term,
                   std::span<const system::store::EntryView> entries, bool repair) override;
    void on_truncate(system::store::NodeId node, system::store::Term current_term,
                     system::store::Role role, system::store::Index from) override;
    void on_commit(system::store::NodeId node, system::store::Term current_term,
                   system::store::Role role, system::store::Index commit) override;
    void on_apply(system::store::NodeId node, const system::store::EntryView& e,
                  std::span<const uint8_t> data) override;
    void on_snapshot(system::store::NodeId node, system::store::Index last,
                     system::store::Term term) override;
    void on_campaign(system::store::NodeId node, system::store::Term term) override;
    void on_step_down(system::store::NodeId node, system::store::Term term) override;

  private:
    system::store::Observer* next_;
    const sim::Simulation* sim_;
    system::monitoring::Recording* recording_;
};

}  // namespace stormlog::workloads
