#pragma once
// Raft's five safety properties (Raft paper, Figure 3), checked continuously: RaftSafety listens
// to the store's observation tap (system/store/observer.hpp) and reports a violation at the
// report that breaks a property, with the smallest evidence that shows it.
//
//   raft.election_safety       at most one leader per term.
//   raft.leader_append_only    a node reporting role leader never truncates its log, and never
//                              appends (other than a repair) over an intact entry it holds with a
//                              different (term, digest).
//   raft.log_matching          checked inductively: two reports of the same (index, term) must
//                              carry the same digest and, where both know it, the same prev_term.
//                              Together with the leader's one-entry-per-index-per-term rule this
//                              gives "same (index, term) => identical prefixes" by induction.
//   raft.leader_completeness   a leader of term T holds, intact and equal, every entry known to
//                              be committed in a term < T (see "Commits" below).
//   raft.state_machine_safety  no two nodes (nor two incarnations) apply different entries at one
//                              index; each incarnation applies 1, 2, 3, ... without gap or repeat;
//                              the applied payload hashes to the entry's digest; an applied index
//                              that is known committed matches the committed entry.
// And two rules of Figure 2 and §5.4.2 that the five rest on, checked where they are broken rather
// than where (rarely) the damage shows:
//   raft.vote_durable          a voter's persistent state holds its vote before the reply leaves:
//                              it never grants two votes in one term, and a restart that reads its
//                              hard state back whole finds the last vote it granted (or a later
//                              term). A lost disk is exempt: such a node abstains until caught up.
//   raft.current_term_commit   a leader's commit index moves only onto an entry of its own term;
//                              older entries commit through it (Figure 8 shows what counting
//                              replicas of an older term's entry loses).
//
// Commits: when a node reports on_commit(c), entries 1..c of its log (as mirrored here) are
// committed. The first node to report an index fixes the committed entry and the term it was
// committed in (the reporter's current term). A later commit report of that index with another
// (term, digest) is reported as raft.leader_completeness when the reporter is a leader (a leader
// committed over a committed entry it should have held) and as raft.log_matching otherwise (a
// follower's log diverged below the commit point). A leader of term T is only required to hold
// entries committed in terms < T: a stale leader may legitimately win term T after a leader of a
// later term has committed more (its last vote was delayed), and Figure 3 allows that.
//
// Snapshots: a node's indices up to its snapshot count as held, intact and equal to the committed
// entries (a snapshot holds only applied, hence committed, entries) - so leader completeness
// holds for a leader whose log is compacted - and its state machine continues at last + 1.
//
// Flooding: only the first violation of each property is reported; one broken invariant usually
// breaks it again at every later report, and the first report is the useful evidence.
//
// Cost: every report is O(entries reported) amortised, without allocation beyond growing the
// per-index tables; on_leader is O(committed entries) (elections are rare).

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/time.hpp"
#include "system/store/observer.hpp"
#include "system/store/types.hpp"

namespace stormlog::properties::raft {

using system::store::EntryView;
using system::store::HardState;
using system::store::Index;
using system::store::NodeId;
using system::store::Role;
using system::store::SlotView;
using system::store::Term;

struct Violation {
    std::string property;
    NodeId node = 0;       // the node whose report broke the property
    std::string evidence;  // e.g. "n3 leads term 7 but n1 already led term 7"
};

class RaftSafety final : public system::store::Observer {
  public:
    using Report = std::function<void(const Violation&)>;
    using Name = std::function<std::string(NodeId)>;

    // Nodes are 0..nodes-1. `report` is called once per violated property (see "Flooding").
    // `name` names nodes in evidence; empty: "n<id+1>".
    RaftSafety(size_t nodes, Report report, Name name = {});

    // Check only these properties (replaces the current selection; default: all). Unknown names
    // are ignored. State is tracked either way, so enabling later checks from then on.
    void enable(const std::vector<std::string>& properties);
    // The names: Figure 3's five in its order, then raft.vote_durable, raft.current_term_commit.
    static const std::vector<std::string>& property_names();

    void on_recover(NodeId node, const HardState& hard, bool hard_intact,
                    std::span<const SlotView> log) override;
    void on_vote(NodeId node, Term term, NodeId candidate) override;
    void on_leader(NodeId node, Term term, Index last_index) override;
    void on_append(NodeId node, Term current_term, Role role, std::optional<Term> prev_term,
                   std::span<const EntryView> entries, bool repair) override;
    void on_truncate(NodeId node, Term current_term, Role role, Index from) override;
    void on_commit(NodeId node, Term current_term, Role role, Index commit) override;
    void on_apply(NodeId node, const EntryView& e, std::span<const uint8_t> data) override;
    void on_snapshot(NodeId node, Index last, Term term) override;

    // Committed entries known so far: element i is index i+1 (for other checkers, e.g.
    // end-of-run durability).
    const std::vector<EntryView>& committed() const { return committed_; }
    // Where elections are timed (for availability checks): unset, every election is at zero.
    void set_clock(std::function<sim::Time()> clock) { clock_ = std::move(clock); }
    // Terms some node won at or after `from`.
    size_t elections_since(sim::Time from) const;
    // The leader of the highest term won so far, with that term and when it won it.
    struct LatestLeader {
        NodeId node = 0;
        uint64_t term = 0;
        sim::Time elected;
    };
    std::optional<LatestLeader> latest_leader() const {
        if (leaders_.empty()) return std::nullopt;
        const auto& [term, l] = *leaders_.rbegin();
        return LatestLeader{l.node, term, l.elected};
    }
    // Called as a node starts an election, and as a leader steps down (availability checks).
    void set_campaign_hook(std::function<void(NodeId, Term)> hook) { campaign_ = std::move(hook); }
    void set_step_down_hook(std::function<void(NodeId, Term)> hook) {
        step_down_ = std::move(hook);
    }
    void on_campaign(NodeId node, Term term) override {
        if (campaign_) campaign_(node, term);
    }
    void on_step_down(NodeId node, Term term) override {
        if (step_down_) step_down_(node, term);
    }
    // The lowest term any node won, if any.
    std::optional<uint64_t> first_term_led() const {
        return leaders_.empty() ? std::nullopt : std::optional<uint64_t>(leaders_.begin()->first);
    }

  private:
    enum Property : uint8_t {
        election_safety,
        leader_append_only,
        log_matching,
        leader_completeness,
        state_machine_safety,
        vote_durable,
        current_term_commit,
        property_count
    };

    // One index of a node's log as this checker mirrors it.
    struct Slot {
        Term term;
        uint64_t digest = 0;
        bool term_known = false;
        bool intact = false;  // false: a hole (corrupt on disk, or never reported)
    };

    // One (index, term) any node ever reported holding, for log matching.
    struct Seen {
        Term term;
        uint64_t digest = 0;
        std::optional<Term> prev_term;
        NodeId node = 0;       // the first reporter, for evidence
        NodeId prev_node = 0;  // the first reporter of prev_term
    };
    // Few terms ever reach one index, so the first lives inline and the rest in `more`.
    struct SeenAtIndex {
        std::optional<Seen> first;
        std::vector<Seen> more;
    };

    struct CommitInfo {
        NodeId node = 0;  // the first node that reported this index committed
        Term term;        // that node's current term then: the term it was committed in
    };

    struct AppliedAt {
        EntryView entry;
        NodeId node = 0;
        bool known = false;
    };

    struct NodeState {
        std::vector<Slot> log;  // log[i] is index i+1
        Index commit;           // last on_commit of this incarnation
        Index compared;         // log[..compared] has been checked against committed_
        Index applied;          // last on_apply of this incarnation
        std::optional<std::pair<Term, NodeId>> vote;  // the last vote it granted (any incarnation)
        bool vote_lost = false;  // a restart lost its hard state since: nothing to read back
    };

    // Evidence is built only when it will be reported: a broken run keeps breaking a property at
    // every report, and must not pay for strings nobody reads.
    bool wants(Property p) const { return enabled_[p] && !reported_[p]; }
    void violation(Property p, NodeId node, std::string evidence);
    std::string name(NodeId node) const;
    NodeState& state(NodeId node);

    void place(NodeState& n, Index index, const Slot& slot);
    void check_overwrite(NodeId node, Term current_term, const Slot& old, const EntryView& e);
    void see(NodeId node, Index index, Term term, uint64_t digest, std::optional<Term> prev_term);
    void check_seen(NodeId node, Index index, Seen& known, uint64_t digest,
                    std::optional<Term> prev_term);
    void compare_committed(NodeId node, Term current_term, Role role);
    void check_committed_slot(NodeId node, Role role, Index index, const Slot& slot);
    void check_leader_holds_committed(NodeId node, Term term);
    void check_apply_order(NodeId node, NodeState& n, const EntryView& e);
    void check_applied(NodeId node, const EntryView& e, std::span<const uint8_t> data);

    std::vector<NodeState> nodes_;
    Report report_;
    Name name_;
    std::array<bool, property_count> enabled_{};
    std::array<bool, property_count> reported_{};

    struct Leader {
        NodeId node = 0;
        sim::Time elected;  // when the term was first won (zero without a clock)
    };
    std::map<uint64_t, Leader> leaders_;  // term -> its leader; touched only at elections
    std::function<sim::Time()> clock_;
    std::function<void(NodeId, Term)> campaign_;
    std::function<void(NodeId, Term)> step_down_;
    std::vector<SeenAtIndex> seen_;        // seen_[i]: reports of index i+1
    std::vector<EntryView> committed_;     // committed_[i]: index i+1
    std::vector<CommitInfo> commit_info_;  // parallel to committed_
    std::vector<AppliedAt> applied_;       // applied_[i]: index i+1
};

}  // namespace stormlog::properties::raft
