// RaftSafety driven by scripted observation reports: correct histories (leader changes that
// truncate a follower's uncommitted suffix, restarts with holes repaired from a peer) stay
// silent; each broken history is caught under the right property with evidence naming the index
// and terms.

#include "properties/raft/raft_safety.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace stormlog::properties::raft {
namespace {

using system::store::entry_digest;

// Entries carry a one-byte payload so that applies can pass data whose digest matches.
uint64_t digest(uint8_t payload) {
    std::array<uint8_t, 1> data{payload};
    return entry_digest(data);
}

EntryView entry(uint64_t index, uint64_t term, uint8_t payload) {
    return EntryView{Index{index}, Term{term}, digest(payload)};
}

SlotView intact(uint64_t index, uint64_t term, uint8_t payload) {
    return SlotView{Index{index}, Term{term}, digest(payload)};
}

SlotView hole(uint64_t index, std::optional<Term> term) {
    return SlotView{Index{index}, term, std::nullopt};
}

class RaftSafetyTest : public ::testing::Test {
  protected:
    std::vector<Violation> found;
    RaftSafety check{3, [this](const Violation& v) { found.push_back(v); }};

    void recover(NodeId n, std::vector<SlotView> log = {}) {
        check.on_recover(n, HardState{}, true, log);
    }
    void lead(NodeId n, uint64_t term, uint64_t last = 0) {
        check.on_leader(n, Term{term}, Index{last});
    }
    void append(NodeId n, uint64_t term, Role role, std::optional<uint64_t> prev,
                std::vector<EntryView> entries, bool repair = false) {
        std::optional<Term> prev_term;
        if (prev) prev_term = Term{*prev};
        check.on_append(n, Term{term}, role, prev_term, entries, repair);
    }
    void truncate(NodeId n, uint64_t term, Role role, uint64_t from) {
        check.on_truncate(n, Term{term}, role, Index{from});
    }
    void commit(NodeId n, uint64_t term, Role role, uint64_t index) {
        check.on_commit(n, Term{term}, role, Index{index});
    }
    void apply(NodeId n, uint64_t index, uint64_t term, uint8_t payload) {
        std::array<uint8_t, 1> data{payload};
        check.on_apply(n, entry(index, term, payload), data);
    }
    void apply_all(NodeId n, const std::vector<EntryView>& log, uint8_t first_payload) {
        for (size_t k = 0; k < log.size(); ++k) {
            apply(n, log[k].index.value, log[k].term.value,
                  static_cast<uint8_t>(first_payload + k));
        }
    }

    // A correct run of a 3-node cluster touching every property: n1 leads term 1 and leaves an
    // uncommitted suffix; n2 wins term 2, the old leader and n3 truncate and take n2's entry; n3
    // restarts with a hole, repairs it from a peer and re-applies from index 1.
    void correct_history() {
        for (NodeId n = 0; n < 3; ++n) recover(n);
        lead(0, 1);
        append(0, 1, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2), entry(3, 1, 3)});
        append(1, 1, Role::follower, 0, {entry(1, 1, 1), entry(2, 1, 2)});
        append(2, 1, Role::follower, 0, {entry(1, 1, 1)});
        append(2, 1, Role::follower, 1, {entry(2, 1, 2), entry(3, 1, 3)});
        commit(0, 1, Role::leader, 2);
        commit(1, 1, Role::follower, 2);
        for (NodeId n = 0; n < 3; ++n) apply_all(n, {entry(1, 1, 1), entry(2, 1, 2)}, 1);
        append(0, 1, Role::leader, 1, {entry(4, 1, 4)});  // never replicated

        lead(1, 2, 2);
        append(1, 2, Role::leader, 1, {entry(3, 2, 30)});
        truncate(0, 2, Role::follower, 3);  // the deposed leader drops its uncommitted suffix
        append(0, 2, Role::follower, 1, {entry(3, 2, 30)});
        truncate(2, 2, Role::follower, 3);
        append(2, 2, Role::follower, 1, {entry(3, 2, 30)});
        commit(1, 2, Role::leader, 3);
        commit(0, 2, Role::follower, 3);
        apply(0, 3, 2, 30);
        apply(1, 3, 2, 30);

        recover(2, {intact(1, 1, 1), hole(2, Term{1}), intact(3, 2, 30)});
        commit(2, 2, Role::follower, 3);  // stops at the hole until it is repaired
        append(2, 2, Role::follower, 1, {entry(2, 1, 2)}, true);
        apply_all(2, {entry(1, 1, 1), entry(2, 1, 2)}, 1);
        apply(2, 3, 2, 30);
        lead(1, 2, 3);  // a repeated report of the same leadership is not a second leader
    }

    void expect_one(const std::string& property, NodeId node,
                    const std::vector<std::string>& evidence_parts) {
        ASSERT_EQ(found.size(), 1u) << (found.empty() ? "" : found[0].evidence);
        EXPECT_EQ(found[0].property, property);
        EXPECT_EQ(found[0].node, node);
        for (const auto& part : evidence_parts) {
            EXPECT_NE(found[0].evidence.find(part), std::string::npos)
                << "'" << found[0].evidence << "' lacks '" << part << "'";
        }
    }
};

TEST_F(RaftSafetyTest, CorrectHistoryHasNoViolation) {
    correct_history();
    EXPECT_TRUE(found.empty()) << found[0].property << ": " << found[0].evidence;
    std::vector<EntryView> want{entry(1, 1, 1), entry(2, 1, 2), entry(3, 2, 30)};
    EXPECT_EQ(check.committed(), want);
}

// Each property on its own stays silent on the correct history (no property leans on another's
// checks to stay quiet).
class RaftSafetyEachProperty : public RaftSafetyTest,
                               public ::testing::WithParamInterface<std::string> {};

TEST_P(RaftSafetyEachProperty, CorrectHistoryKeepsProperty) {
    check.enable({GetParam()});
    correct_history();
    EXPECT_TRUE(found.empty()) << found[0].property << ": " << found[0].evidence;
}

INSTANTIATE_TEST_SUITE_P(Properties, RaftSafetyEachProperty,
                         ::testing::ValuesIn(RaftSafety::property_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                             std::string s = param.param;
                             for (char& c : s) c = c == '.' ? '_' : c;
                             return s;
                         });

// ---- raft.election_safety ------------------------------------------------------------------

TEST_F(RaftSafetyTest, TwoLeadersInOneTermViolateElectionSafety) {
    lead(0, 7);
    lead(1, 8);
    lead(2, 7);
    expect_one("raft.election_safety", 2, {"n3 leads term 7 but n1 already led term 7"});
}

TEST_F(RaftSafetyTest, EvidenceUsesTheGivenNodeNames) {
    RaftSafety named(
        2, [this](const Violation& v) { found.push_back(v); },
        [](NodeId n) { return n == 0 ? std::string("alpha") : std::string("beta"); });
    named.on_leader(0, Term{3}, Index{0});
    named.on_leader(1, Term{3}, Index{0});
    expect_one("raft.election_safety", 1, {"beta leads term 3 but alpha already led term 3"});
}

// ---- raft.leader_append_only ---------------------------------------------------------------

TEST_F(RaftSafetyTest, LeaderTruncatingViolatesLeaderAppendOnly) {
    lead(0, 2);
    append(0, 2, Role::leader, 0, {entry(1, 1, 1), entry(2, 2, 2), entry(3, 2, 3)});
    truncate(0, 2, Role::leader, 2);
    expect_one("raft.leader_append_only", 0,
               {"n1 as leader of term 2 truncated its log from index 2"});
}

TEST_F(RaftSafetyTest, LeaderOverwritingViolatesLeaderAppendOnly) {
    lead(0, 3);
    append(0, 3, Role::leader, 0, {entry(1, 1, 1), entry(2, 2, 2)});
    append(0, 3, Role::leader, 1, {entry(2, 3, 20)});
    expect_one("raft.leader_append_only", 0,
               {"overwrote index 2", "term 2 digest 0x", "with term 3 digest 0x"});
}

TEST_F(RaftSafetyTest, LeaderReappendingTheSameEntryOrRepairingAHoleIsAllowed) {
    recover(0, {intact(1, 1, 1), hole(2, std::nullopt)});
    lead(0, 3, 2);
    append(0, 3, Role::leader, 1, {entry(2, 1, 2)}, true);
    append(0, 3, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2), entry(3, 3, 3)});
    EXPECT_TRUE(found.empty()) << found[0].evidence;
}

// ---- raft.log_matching ---------------------------------------------------------------------

TEST_F(RaftSafetyTest, SameIndexAndTermWithDifferentDigestViolatesLogMatching) {
    append(0, 2, Role::leader, 0, {entry(1, 1, 1), entry(2, 2, 2)});
    append(1, 2, Role::follower, 0, {entry(1, 1, 1), entry(2, 2, 99)});
    expect_one("raft.log_matching", 1,
               {"n2 holds index 2 as term 2 digest " + std::string("0x"), "but n1 holds it"});
}

TEST_F(RaftSafetyTest, SameIndexAndTermWithDifferentPrevTermViolatesLogMatching) {
    append(0, 3, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2), entry(3, 3, 3)});
    // Within a batch the previous entry's term is the prev_term: (3, 3) follows term 2 here.
    append(1, 3, Role::follower, 1, {entry(2, 2, 20), entry(3, 3, 3)});
    expect_one("raft.log_matching", 1,
               {"n2 holds index 3 term 3 after term 2 but n1 holds it after term 1"});
}

TEST_F(RaftSafetyTest, RecoveredSlotsTakePartInLogMatching) {
    append(0, 2, Role::leader, 0, {entry(1, 1, 1), entry(2, 2, 2)});
    recover(1, {intact(1, 1, 1), intact(2, 2, 77)});
    expect_one("raft.log_matching", 1, {"index 2", "term 2"});
}

TEST_F(RaftSafetyTest, UnknownPrevTermSkipsOnlyThePrevCheck) {
    append(0, 2, Role::leader, 0, {entry(1, 1, 1), entry(2, 2, 2)});
    recover(1, {hole(1, std::nullopt), intact(2, 2, 2)});
    append(2, 2, Role::follower, std::nullopt, {entry(2, 2, 2)});
    EXPECT_TRUE(found.empty()) << found[0].evidence;
    append(2, 2, Role::follower, std::nullopt, {entry(2, 2, 5)});
    expect_one("raft.log_matching", 2, {"index 2"});
}

TEST_F(RaftSafetyTest, FollowerCommittingOverACommittedEntryViolatesLogMatching) {
    append(0, 1, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2)});
    commit(0, 1, Role::leader, 2);
    append(1, 2, Role::follower, 0, {entry(1, 1, 1), entry(2, 2, 3)});
    commit(1, 2, Role::follower, 2);
    expect_one("raft.log_matching", 1,
               {"n2 commits index 2 as term 2", "committed as term 1", "by n1 in term 1"});
}

// ---- raft.leader_completeness --------------------------------------------------------------

TEST_F(RaftSafetyTest, NewLeaderMissingACommittedEntryViolatesLeaderCompleteness) {
    lead(0, 1);
    append(0, 1, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2)});
    append(1, 1, Role::follower, 0, {entry(1, 1, 1), entry(2, 1, 2)});
    append(2, 1, Role::follower, 0, {entry(1, 1, 1)});
    commit(0, 1, Role::leader, 2);
    lead(2, 2, 1);
    expect_one(
        "raft.leader_completeness", 2,
        {"n3 leads term 2 but lacks index 2 (its log ends at index 1)", "committed as term 1"});
}

TEST_F(RaftSafetyTest, NewLeaderHoldingAHoleAtACommittedIndexViolatesLeaderCompleteness) {
    append(0, 1, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2), entry(3, 1, 3)});
    commit(0, 1, Role::leader, 3);
    recover(1, {intact(1, 1, 1), hole(2, Term{1}), intact(3, 1, 3)});
    lead(1, 2, 3);
    expect_one("raft.leader_completeness", 1, {"n2 leads term 2 but holds a hole at index 2"});
}

TEST_F(RaftSafetyTest, NewLeaderHoldingAnotherEntryAtACommittedIndexViolatesLeaderCompleteness) {
    append(0, 1, Role::leader, 0, {entry(1, 1, 1), entry(2, 1, 2)});
    commit(0, 1, Role::leader, 2);
    append(1, 2, Role::follower, 0, {entry(1, 1, 1), entry(2, 2, 9)});
    lead(1, 3, 2);
    expect_one("raft.leader_completeness", 1,
               {"n2 leads term 3 but holds index 2 as term 2", "committed as term 1"});
}

TEST_F(RaftSafetyTest, LeaderCommittingOverACommittedEntryViolatesLeaderCompleteness) {
    append(0, 1, Role::leader, 0, {entry(1, 1, 1)});
    commit(0, 1, Role::leader, 1);
    append(1, 2, Role::leader, 0, {entry(1, 2, 5)});
    commit(1, 2, Role::leader, 1);
    expect_one("raft.leader_completeness", 1, {"n2 commits index 1 as term 2"});
}

// A stale candidate of term 2 may count a delayed vote after the leader of term 3 committed:
// Figure 3 only promises it the entries committed in terms before 2.
TEST_F(RaftSafetyTest, StaleLeaderMayLackEntriesCommittedInALaterTerm) {
    append(0, 1, Role::leader, 0, {entry(1, 1, 1)});
    commit(0, 1, Role::leader, 1);
    append(1, 3, Role::leader, 1, {entry(2, 3, 2)});
    commit(1, 3, Role::leader, 2);
    append(2, 2, Role::candidate, 0, {entry(1, 1, 1)});
    lead(2, 2, 1);
    EXPECT_TRUE(found.empty()) << found[0].evidence;
}

// ---- raft.state_machine_safety -------------------------------------------------------------

TEST_F(RaftSafetyTest, TwoNodesApplyingDifferentEntriesAtIndex5ViolateStateMachineSafety) {
    for (uint64_t i = 1; i <= 4; ++i) {
        apply(0, i, 1, static_cast<uint8_t>(i));
        apply(1, i, 1, static_cast<uint8_t>(i));
    }
    apply(0, 5, 1, 5);
    apply(1, 5, 2, 50);
    expect_one("raft.state_machine_safety", 1,
               {"n2 applied index 5 as term 2", "but n1 applied term 1"});
}

TEST_F(RaftSafetyTest, ApplyingWithAGapViolatesStateMachineSafety) {
    apply(0, 1, 1, 1);
    apply(0, 3, 1, 3);
    expect_one("raft.state_machine_safety", 0,
               {"n1 applied index 3 after index 1, skipping index 2"});
}

TEST_F(RaftSafetyTest, ApplyingAnIndexTwiceViolatesStateMachineSafety) {
    apply(0, 1, 1, 1);
    apply(0, 2, 1, 2);
    apply(0, 2, 1, 2);
    expect_one("raft.state_machine_safety", 0, {"n1 applied index 2 after index 2"});
}

TEST_F(RaftSafetyTest, ApplyingAnEntryOtherThanTheCommittedOneViolatesStateMachineSafety) {
    append(0, 1, Role::leader, 0, {entry(1, 1, 1)});
    commit(0, 1, Role::leader, 1);
    apply(1, 1, 2, 7);
    expect_one("raft.state_machine_safety", 1,
               {"n2 applied index 1 as term 2", "committed as term 1"});
}

TEST_F(RaftSafetyTest, ApplyingAPayloadThatIsNotTheEntryViolatesStateMachineSafety) {
    std::array<uint8_t, 1> data{2};
    check.on_apply(0, entry(1, 1, 1), data);
    expect_one("raft.state_machine_safety", 0, {"n1 applied index 1", "payload of digest"});
}

// ---- selection and flooding ----------------------------------------------------------------

TEST_F(RaftSafetyTest, EnablingElectionSafetyOnlySuppressesTheOthers) {
    check.enable({"raft.election_safety", "raft.no_such_property"});
    lead(0, 2);
    append(0, 2, Role::leader, 0, {entry(1, 1, 1), entry(2, 2, 2)});
    truncate(0, 2, Role::leader, 2);                    // leader_append_only
    append(1, 2, Role::follower, 0, {entry(1, 1, 9)});  // log_matching
    apply(1, 2, 2, 2);                                  // state_machine_safety
    EXPECT_TRUE(found.empty()) << found[0].property;
    lead(1, 2);
    expect_one("raft.election_safety", 1, {"n2 leads term 2 but n1 already led term 2"});
}

TEST_F(RaftSafetyTest, OnlyTheFirstViolationOfEachPropertyIsReported) {
    lead(0, 1);
    lead(1, 1);
    lead(2, 1);
    lead(0, 2);
    lead(1, 2);
    apply(0, 2, 1, 2);
    apply(0, 5, 1, 5);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].property, "raft.election_safety");
    EXPECT_EQ(found[0].node, 1u);
    EXPECT_EQ(found[1].property, "raft.state_machine_safety");
}

}  // namespace
}  // namespace stormlog::properties::raft

namespace stormlog::properties::raft {
namespace {

// ---- raft.vote_durable ---------------------------------------------------------------------

class VoteDurable : public ::testing::Test {
  protected:
    std::vector<Violation> found;
    RaftSafety check{3, [this](const Violation& v) { found.push_back(v); }};
    void recover(NodeId n, uint64_t term, std::optional<NodeId> vote, bool intact = true) {
        check.on_recover(n, HardState{Term{term}, vote, Index{0}}, intact, {});
    }
};

TEST_F(VoteDurable, AVoteReadBackAfterARestartOrALaterTermIsKept) {
    recover(0, 0, std::nullopt);
    check.on_vote(0, Term{3}, 1);
    check.on_vote(0, Term{3}, 1);  // the same vote again (a retried request)
    recover(0, 3, 1);              // read back
    check.on_vote(0, Term{4}, 2);  // a later term: a new vote
    recover(0, 5, std::nullopt);   // a later term on disk (it moved on before the crash)
    EXPECT_TRUE(found.empty()) << found[0].evidence;
}

TEST_F(VoteDurable, AVoteMissingAfterARestartFromAnIntactDiskIsCaught) {
    recover(0, 0, std::nullopt);
    check.on_vote(0, Term{3}, 1);
    recover(0, 3, std::nullopt);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].property, "raft.vote_durable");
    EXPECT_NE(found[0].evidence.find("n1 granted its vote in term 3 to n2, but restarted reading "
                                     "term 3 with no vote"),
              std::string::npos)
        << found[0].evidence;
}

TEST_F(VoteDurable, ATermGoneBackOnAnIntactDiskIsCaughtALostDiskIsNot) {
    recover(0, 0, std::nullopt);
    check.on_vote(0, Term{3}, 1);
    recover(0, 0, std::nullopt, /*intact=*/false);  // a wiped disk: the node abstains
    EXPECT_TRUE(found.empty());
    check.on_vote(0, Term{5}, 2);
    recover(0, 4, std::nullopt);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].property, "raft.vote_durable");
}

TEST_F(VoteDurable, TwoVotesInOneTermAreCaught) {
    check.on_vote(2, Term{7}, 0);
    check.on_vote(2, Term{7}, 1);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].property, "raft.vote_durable");
    EXPECT_NE(found[0].evidence.find("n3 granted its vote in term 7 to n2 after granting it to n1"),
              std::string::npos)
        << found[0].evidence;
}

// ---- raft.current_term_commit ----------------------------------------------------------------

TEST(CurrentTermCommit, ALeaderCommitsOnlyOntoItsOwnTermsEntry) {
    std::vector<Violation> found;
    RaftSafety check{3, [&](const Violation& v) { found.push_back(v); }};
    check.on_recover(0, HardState{}, true, {});
    // n1 holds index 1 of term 2 and leads term 4: the index-1 entry commits only through
    // index 2 of term 4.
    const std::array<EntryView, 1> old{EntryView{Index{1}, Term{2}, 11}};
    check.on_append(0, Term{2}, Role::follower, Term{0}, old, false);
    check.on_leader(0, Term{4}, Index{1});
    const std::array<EntryView, 1> mine{EntryView{Index{2}, Term{4}, 22}};
    check.on_append(0, Term{4}, Role::leader, Term{2}, mine, false);
    check.on_commit(0, Term{4}, Role::leader, Index{2});
    EXPECT_TRUE(found.empty()) << found[0].evidence;
    // A follower may learn any commit index; only a leader counts replicas.
    check.on_recover(1, HardState{}, true, {});
    check.on_append(1, Term{4}, Role::follower, Term{0}, old, false);
    check.on_commit(1, Term{4}, Role::follower, Index{1});
    EXPECT_TRUE(found.empty()) << found[0].evidence;
    // Elsewhere: n3 leads term 5 holding only index 1 of term 2, and commits it by counting
    // its replicas (Figure 8).
    found.clear();
    RaftSafety other{3, [&](const Violation& v) { found.push_back(v); }};
    other.on_recover(2, HardState{}, true, {});
    other.on_append(2, Term{2}, Role::follower, Term{0}, old, false);
    other.on_leader(2, Term{5}, Index{1});
    other.on_commit(2, Term{5}, Role::leader, Index{1});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].property, "raft.current_term_commit");
    EXPECT_NE(found[0].evidence.find("n3 leads term 5 and commits index 1 of term 2"),
              std::string::npos)
        << found[0].evidence;
}

}  // namespace
}  // namespace stormlog::properties::raft
