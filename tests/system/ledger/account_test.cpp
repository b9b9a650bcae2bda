// The account aggregate:
//   - folding a stream gives the balance (deposits and credits in, withdrawals and debits out),
//     the version (last position) and the event ids, by hand and for random streams against a
//     running sum;
//   - has() recognises exactly the ids applied;
//   - refusals: opening an existing account, anything on a missing account, non-positive
//     amounts, and overdrafts (the message names both numbers); a debit of the whole balance is
//     allowed;
//   - an event that is not a ledger event sets `error` (naming the event and its position),
//     changes no balance, and every later deposit or debit is refused with that error.

#include "system/ledger/account.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "system/ledger/ledger_events.hpp"

namespace stormlog::system::ledger {
namespace {

// Builds one account's stream: positions 0, 1, 2, ... and global positions far apart from them.
class StreamBuilder {
  public:
    explicit StreamBuilder(std::string account) : stream_(account_stream(account)) {}

    store::RecordedEvent raw(const std::string& id, std::vector<uint8_t> data) {
        store::RecordedEvent e;
        e.stream = stream_;
        e.stream_position = next_;
        e.global_position = 1000 + 3 * static_cast<uint64_t>(next_);
        e.id = id;
        e.data = std::move(data);
        ++next_;
        return e;
    }
    store::RecordedEvent event(const std::string& id, EventType type, int64_t amount = 0,
                               const std::string& transfer = "",
                               const std::string& counterparty = "") {
        return raw(id, encode(LedgerEvent{type, amount, transfer, counterparty}));
    }
    store::RecordedEvent opened(const std::string& id = "open") {
        return event(id, EventType::opened);
    }
    store::RecordedEvent deposit(const std::string& id, int64_t amount) {
        return event(id, EventType::deposited, amount);
    }
    store::RecordedEvent withdraw(const std::string& id, int64_t amount) {
        return event(id, EventType::withdrawn, amount);
    }
    store::RecordedEvent debit(const std::string& transfer, int64_t amount) {
        return event(debit_id(transfer), EventType::transfer_debited, amount, transfer, "bob");
    }
    store::RecordedEvent credit(const std::string& transfer, int64_t amount) {
        return event(credit_id(transfer), EventType::transfer_credited, amount, transfer, "bob");
    }

  private:
    std::string stream_;
    int64_t next_ = 0;
};

Account fold(const std::vector<store::RecordedEvent>& events) {
    Account a;
    for (const store::RecordedEvent& e : events) a.apply(e);
    return a;
}

// ---- Folding ---------------------------------------------------------------------------------

TEST(AccountTest, ANewAccountHasNoStream) {
    const Account a;
    EXPECT_FALSE(a.opened);
    EXPECT_EQ(a.balance, 0);
    EXPECT_EQ(a.version, -1);
    EXPECT_TRUE(a.ids.empty());
    EXPECT_TRUE(a.error.empty());
}

TEST(AccountTest, FoldingAStreamGivesBalanceVersionAndIds) {
    StreamBuilder s("alice");
    const Account a = fold({s.opened(), s.deposit("op-1", 100), s.withdraw("op-2", 30),
                            s.debit("t-1", 20), s.credit("t-2", 5), s.deposit("op-3", 7)});
    EXPECT_TRUE(a.opened);
    EXPECT_EQ(a.balance, 100 - 30 - 20 + 5 + 7);
    EXPECT_EQ(a.version, 5);
    EXPECT_EQ(a.ids, (std::vector<std::string>{"open", "op-1", "op-2", "t-1-debit", "t-2-credit",
                                               "op-3"}));
    EXPECT_TRUE(a.error.empty());
}

TEST(AccountTest, EachEventMovesTheBalanceItsWay) {
    struct Case {
        EventType type;
        int64_t delta;
    };
    for (const Case c :
         {Case{EventType::deposited, 40}, Case{EventType::withdrawn, -40},
          Case{EventType::transfer_debited, -40}, Case{EventType::transfer_credited, 40}}) {
        StreamBuilder s("alice");
        const bool transfer =
            c.type == EventType::transfer_debited || c.type == EventType::transfer_credited;
        const Account a =
            fold({s.opened(), s.deposit("op-1", 100),
                  s.event("x", c.type, 40, transfer ? "t" : "", transfer ? "bob" : "")});
        EXPECT_EQ(a.balance, 100 + c.delta) << to_string(c.type);
        EXPECT_EQ(a.version, 2) << to_string(c.type);
    }
}

TEST(AccountTest, HasRecognisesExactlyTheAppliedIds) {
    StreamBuilder s("alice");
    const Account a = fold({s.opened(), s.deposit("op-1", 10), s.debit("t-1", 5)});
    EXPECT_TRUE(a.has("open"));
    EXPECT_TRUE(a.has("op-1"));
    EXPECT_TRUE(a.has(debit_id("t-1")));
    EXPECT_FALSE(a.has(credit_id("t-1")));
    EXPECT_FALSE(a.has("op-2"));
    EXPECT_FALSE(a.has("op"));
    EXPECT_FALSE(a.has(""));
    EXPECT_FALSE(Account{}.has("open"));
}

// Random streams of money movements: the fold agrees with a running sum at every step, and
// refuse_debit allows exactly the amounts the balance covers.
RC_GTEST_PROP(AccountProperty, FoldMatchesARunningSum, ()) {
    StreamBuilder s("alice");
    Account a;
    a.apply(s.opened());
    int64_t balance = 0;
    const size_t n = *rc::gen::inRange<size_t>(0, 60);
    for (size_t i = 0; i < n; ++i) {
        const int kind = *rc::gen::inRange(0, 4);
        const int64_t amount = *rc::gen::inRange<int64_t>(1, 1000);
        const std::string id = "op-" + std::to_string(i);
        switch (kind) {
            case 0:
                a.apply(s.deposit(id, amount));
                balance += amount;
                break;
            case 1:
                a.apply(s.withdraw(id, amount));
                balance -= amount;
                break;
            case 2:
                a.apply(s.debit(id, amount));
                balance -= amount;
                break;
            default:
                a.apply(s.credit(id, amount));
                balance += amount;
                break;
        }
        RC_ASSERT(a.balance == balance);
        RC_ASSERT(a.version == static_cast<int64_t>(i) + 1);
        RC_ASSERT(a.ids.size() == i + 2);
    }
    const int64_t ask = *rc::gen::inRange<int64_t>(1, 2000);
    const bool allowed = !refuse_debit(a, ask).has_value();
    RC_ASSERT(allowed == (ask <= a.balance));
    RC_ASSERT(!refuse_deposit(a, ask).has_value());
    RC_ASSERT(refuse_open(a).has_value());
}

// ---- Refusals --------------------------------------------------------------------------------

TEST(AccountTest, OpeningIsRefusedOnceTheAccountExists) {
    EXPECT_EQ(refuse_open(Account{}), std::nullopt);
    StreamBuilder s("alice");
    EXPECT_EQ(refuse_open(fold({s.opened()})), "the account already exists");
    // A stream that exists without an opening (e.g. a lone credit) also counts as existing.
    StreamBuilder t("bob");
    EXPECT_EQ(refuse_open(fold({t.credit("t-1", 5)})), "the account already exists");
}

TEST(AccountTest, DepositsNeedAnOpenAccountAndAPositiveAmount) {
    EXPECT_EQ(refuse_deposit(Account{}, 10), "no such account");
    StreamBuilder s("alice");
    const Account a = fold({s.opened()});
    EXPECT_EQ(refuse_deposit(a, 10), std::nullopt);
    EXPECT_EQ(refuse_deposit(a, 1), std::nullopt);
    EXPECT_EQ(refuse_deposit(a, 0), "the amount must be positive");
    EXPECT_EQ(refuse_deposit(a, -5), "the amount must be positive");
    StreamBuilder t("bob");
    EXPECT_EQ(refuse_deposit(fold({t.credit("t-1", 5)}), 10), "no such account")
        << "a credit does not open";
}

TEST(AccountTest, DebitsNeedAnOpenAccountAPositiveAmountAndTheFunds) {
    EXPECT_EQ(refuse_debit(Account{}, 10), "no such account");
    StreamBuilder s("alice");
    const Account a = fold({s.opened(), s.deposit("op-1", 50)});
    EXPECT_EQ(refuse_debit(a, 0), "the amount must be positive");
    EXPECT_EQ(refuse_debit(a, -1), "the amount must be positive");
    EXPECT_EQ(refuse_debit(a, 1), std::nullopt);
    EXPECT_EQ(refuse_debit(a, 50), std::nullopt) << "the whole balance may go";
    EXPECT_EQ(refuse_debit(a, 51), "insufficient funds: balance 50 < 51");
    const std::optional<std::string> why = refuse_debit(a, 80);
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("50"), std::string::npos) << *why;
    EXPECT_NE(why->find("80"), std::string::npos) << *why;
    EXPECT_EQ(refuse_debit(fold({StreamBuilder("bob").opened()}), 1),
              "insufficient funds: balance 0 < 1");
}

// ---- Undecodable events ----------------------------------------------------------------------

TEST(AccountTest, AnUndecodableEventSetsTheErrorAndRefusesLaterCommands) {
    StreamBuilder s("alice");
    std::vector<store::RecordedEvent> events = {s.opened(), s.deposit("op-1", 100),
                                                s.raw("weird", poison_payload(3))};
    const Account a = fold(events);
    EXPECT_EQ(a.balance, 100) << "the event moved no money";
    EXPECT_EQ(a.version, 2) << "but it is part of the stream";
    EXPECT_TRUE(a.has("weird"));
    ASSERT_FALSE(a.error.empty());
    EXPECT_NE(a.error.find("weird"), std::string::npos) << a.error;
    EXPECT_NE(a.error.find("position 2"), std::string::npos) << a.error;
    EXPECT_EQ(refuse_deposit(a, 10), a.error);
    EXPECT_EQ(refuse_debit(a, 10), a.error);
    EXPECT_TRUE(refuse_open(a).has_value());
}

TEST(AccountTest, TheFirstUndecodableEventIsTheOneReported) {
    StreamBuilder s("alice");
    const Account a =
        fold({s.opened(), s.raw("bad-1", {}), s.deposit("op-1", 5), s.raw("bad-2", {0xff, 0xff})});
    EXPECT_NE(a.error.find("bad-1"), std::string::npos) << a.error;
    EXPECT_EQ(a.error.find("bad-2"), std::string::npos) << a.error;
    EXPECT_EQ(a.balance, 5) << "valid events after it still fold";
    EXPECT_EQ(a.version, 3);
    EXPECT_EQ(refuse_debit(a, 1), a.error);
}

}  // namespace
}  // namespace stormlog::system::ledger
