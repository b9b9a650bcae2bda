// The ledger's read models (system/ledger/read_models.hpp):
//   - each kind folds a small hand-written ledger (openings, deposits, a withdrawal, a transfer's
//     debit and credit) into the expected view; account-history keeps each account's newest 8
//     entries by global position and counts all of them;
//   - the fold is commutative: any set of valid ledger events applied in two different orders
//     gives the same view, equal to an independent fold written here (what the projection
//     checker relies on when parked events are replayed out of order). A history that keeps the
//     newest 8 by arrival instead is shown to fail that check;
//   - encode/decode round-trips every state; decode is total on arbitrary and damaged bytes and a
//     refused decode leaves the state empty;
//   - an event the model cannot handle (poison payload, a ledger event outside an account stream)
//     throws HandlerError and changes nothing; events of '$' streams are skipped.

#include "system/ledger/read_models.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "system/ledger/ledger_events.hpp"

namespace stormlog::system::ledger {
namespace {

using Bytes = std::vector<uint8_t>;
using View = std::map<std::string, int64_t>;
using projections::HandlerError;
using projections::ReadModel;
using projections::system_stream;
using store::RecordedEvent;

const std::vector<std::string>& kinds() {
    return read_model_kinds();
}

std::unique_ptr<ReadModel> make(const std::string& kind) {
    std::unique_ptr<ReadModel> m = make_read_model(kind);
    EXPECT_TRUE(m) << kind;
    return m;
}

// Events in global-position order; stream positions per stream.
class Log {
  public:
    const RecordedEvent& add(const std::string& stream, const std::string& id, Bytes data) {
        RecordedEvent e;
        e.stream = stream;
        e.stream_position = ++versions_.try_emplace(stream, -1).first->second;
        e.global_position = events_.size();
        e.id = id;
        e.data = std::move(data);
        events_.push_back(std::move(e));
        return events_.back();
    }
    void ledger(const std::string& account, EventType type, int64_t amount = 0,
                const std::string& transfer = "", const std::string& counterparty = "") {
        add(ledger::account_stream(account), "e" + std::to_string(events_.size()),
            ledger::encode(LedgerEvent{type, amount, transfer, counterparty}));
    }
    const std::vector<RecordedEvent>& events() const { return events_; }

  private:
    std::vector<RecordedEvent> events_;
    std::map<std::string, int64_t> versions_;
};

// Opens a and b, deposits 100 and 50, withdraws 30 from a, transfers 20 from a to b; then a
// probe with a payload no model could decode (skipped: '$' stream).
Log small_ledger_log() {
    Log log;
    log.ledger("a", EventType::opened);                            // 0
    log.ledger("b", EventType::opened);                            // 1
    log.ledger("a", EventType::deposited, 100);                    // 2
    log.ledger("b", EventType::deposited, 50);                     // 3
    log.ledger("a", EventType::withdrawn, 30);                     // 4
    log.ledger("a", EventType::transfer_debited, 20, "t1", "b");   // 5
    log.ledger("b", EventType::transfer_credited, 20, "t1", "a");  // 6
    log.add("$probe", "p", ledger::poison_payload(1));             // 7
    return log;
}
std::vector<RecordedEvent> small_ledger() {
    return small_ledger_log().events();
}

View fold(const std::string& kind, const std::vector<RecordedEvent>& events) {
    std::unique_ptr<ReadModel> m = make(kind);
    for (const RecordedEvent& e : events) m->apply(e);
    return m->view();
}

std::string entry_key(const std::string& account, uint64_t global_position) {
    char pos[24];
    std::snprintf(pos, sizeof pos, "%012llu", static_cast<unsigned long long>(global_position));
    return account + "@" + pos;
}

// ---- Each kind on a small ledger -------------------------------------------------------------

TEST(ReadModelTest, KindsAreTheFourDocumented) {
    EXPECT_EQ(kinds(),
              (std::vector<std::string>{"balances", "account-history", "totals", "transfers"}));
    for (const std::string& kind : kinds()) EXPECT_EQ(make(kind)->kind(), kind);
    EXPECT_EQ(make_read_model("nope"), nullptr);
    EXPECT_EQ(make_read_model(""), nullptr);
}

TEST(ReadModelTest, BalancesOfASmallLedger) {
    EXPECT_EQ(fold("balances", small_ledger()), (View{{"a", 50}, {"b", 70}}));
}

TEST(ReadModelTest, TotalsOfASmallLedger) {
    EXPECT_EQ(fold("totals", small_ledger()), (View{{"accounts", 2},
                                                    {"deposited", 150},
                                                    {"withdrawn", 30},
                                                    {"in_flight", 0},
                                                    {"transfers_debited", 1},
                                                    {"transfers_credited", 1}}));
}

TEST(ReadModelTest, TotalsCountMoneyInFlightBetweenDebitAndCredit) {
    Log log = small_ledger_log();
    log.ledger("b", EventType::transfer_debited, 15, "t2", "a");
    const View v = fold("totals", log.events());
    EXPECT_EQ(v.at("in_flight"), 15);
    EXPECT_EQ(v.at("transfers_debited"), 2);
    EXPECT_EQ(v.at("transfers_credited"), 1);
}

TEST(ReadModelTest, TransfersOfASmallLedger) {
    EXPECT_EQ(fold("transfers", small_ledger()), (View{{"started", 1}, {"completed", 1}}));
    EXPECT_EQ(fold("transfers", {}), View{});
}

// A debit starts a transfer; only its credit completes it (the model once counted debits).
TEST(ReadModelTest, TransfersCountADebitWithoutItsCreditAsStartedNotCompleted) {
    Log log = small_ledger_log();
    log.ledger("b", EventType::transfer_debited, 15, "t2", "a");
    EXPECT_EQ(fold("transfers", log.events()), (View{{"started", 2}, {"completed", 1}}));
}

TEST(ReadModelTest, AccountHistoryOfASmallLedger) {
    EXPECT_EQ(fold("account-history", small_ledger()), (View{{"a.count", 4},
                                                             {entry_key("a", 0), 0},
                                                             {entry_key("a", 2), 100},
                                                             {entry_key("a", 4), -30},
                                                             {entry_key("a", 5), -20},
                                                             {"b.count", 3},
                                                             {entry_key("b", 1), 0},
                                                             {entry_key("b", 3), 50},
                                                             {entry_key("b", 6), 20}}));
}

TEST(ReadModelTest, AccountHistoryKeepsTheNewestEightEntries) {
    Log log;
    log.ledger("a", EventType::opened);
    for (int i = 1; i <= 12; ++i) log.ledger("a", EventType::deposited, i);
    log.ledger("b", EventType::opened);
    const View v = fold("account-history", log.events());
    View want{{"a.count", 13}, {"b.count", 1}, {entry_key("b", 13), 0}};
    for (uint64_t p = 5; p <= 12; ++p) want[entry_key("a", p)] = static_cast<int64_t>(p);
    EXPECT_EQ(v, want);
    // Late entries older than the kept eight are counted but not kept.
    std::vector<RecordedEvent> late(log.events().rbegin(), log.events().rend());
    EXPECT_EQ(fold("account-history", late), want);
}

TEST(ReadModelTest, ClearEmptiesEveryModel) {
    for (const std::string& kind : kinds()) {
        std::unique_ptr<ReadModel> m = make(kind);
        for (const RecordedEvent& e : small_ledger()) m->apply(e);
        ASSERT_FALSE(m->view().empty()) << kind;
        m->clear();
        EXPECT_TRUE(m->view().empty()) << kind;
        EXPECT_EQ(m->encode(), make(kind)->encode()) << kind;
    }
}

// ---- Commutativity ---------------------------------------------------------------------------

// The same folds, written independently: per account its balance and entries by position.
View reference(const std::string& kind, const std::vector<RecordedEvent>& events) {
    struct Acct {
        int64_t balance = 0;
        std::map<uint64_t, int64_t> entries;
    };
    std::map<std::string, Acct> accounts;
    std::map<std::string, int64_t> totals;
    for (const RecordedEvent& e : events) {
        if (!e.stream.empty() && e.stream[0] == '$') continue;
        const LedgerEvent le = *ledger::decode(e.data);
        const bool out = le.type == EventType::withdrawn || le.type == EventType::transfer_debited;
        const int64_t delta = out ? -le.amount : le.amount;
        Acct& a = accounts[*ledger::account_of(e.stream)];
        a.balance += delta;
        a.entries[e.global_position] = delta;
        switch (le.type) {
            case EventType::opened:
                ++totals["accounts"];
                break;
            case EventType::deposited:
                totals["deposited"] += le.amount;
                break;
            case EventType::withdrawn:
                totals["withdrawn"] += le.amount;
                break;
            case EventType::transfer_debited:
                totals["in_flight"] += le.amount;
                ++totals["transfers_debited"];
                break;
            case EventType::transfer_credited:
                totals["in_flight"] -= le.amount;
                ++totals["transfers_credited"];
                break;
        }
    }
    View v;
    if (kind == "totals") return totals;
    if (kind == "transfers") {
        if (totals.count("transfers_debited")) v["started"] = totals["transfers_debited"];
        if (totals.count("transfers_credited")) v["completed"] = totals["transfers_credited"];
        return v;
    }
    for (const auto& [name, a] : accounts) {
        if (kind == "balances") {
            v[name] = a.balance;
            continue;
        }
        v[name + ".count"] = static_cast<int64_t>(a.entries.size());
        size_t skip = a.entries.size() > 8 ? a.entries.size() - 8 : 0;
        for (const auto& [pos, delta] : a.entries) {
            if (skip > 0) {
                --skip;
                continue;
            }
            v[entry_key(name, pos)] = delta;
        }
    }
    return v;
}

// A random ledger: up to 60 valid events over three accounts (so some get more than eight
// entries), with now and then a '$' stream event the models skip.
rc::Gen<std::vector<RecordedEvent>> gen_events() {
    return rc::gen::exec([] {
        Log log;
        const size_t n = *rc::gen::inRange<size_t>(0, 61);
        for (size_t i = 0; i < n; ++i) {
            if (*rc::gen::inRange(0, 20) == 0) {
                log.add(*rc::gen::element<std::string>("$probe", "$parked-balances"),
                        "s" + std::to_string(i), *rc::gen::arbitrary<Bytes>());
                continue;
            }
            const std::string account = *rc::gen::element<std::string>("a", "b", "carol");
            const auto type = static_cast<EventType>(*rc::gen::inRange(1, 6));
            const bool transfer =
                type == EventType::transfer_debited || type == EventType::transfer_credited;
            log.ledger(account, type,
                       type == EventType::opened ? 0 : *rc::gen::inRange<int64_t>(1, 1000),
                       transfer ? "t" + std::to_string(i) : "", transfer ? "x" : "");
        }
        return log.events();
    });
}

// The same events in a random order.
std::vector<RecordedEvent> shuffled(const std::vector<RecordedEvent>& events) {
    const auto keys =
        *rc::gen::container<std::vector<uint32_t>>(events.size(), rc::gen::arbitrary<uint32_t>());
    std::vector<size_t> order(events.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t x, size_t y) { return keys[x] < keys[y]; });
    std::vector<RecordedEvent> out;
    for (size_t i : order) out.push_back(events[i]);
    return out;
}

using Factory = std::function<std::unique_ptr<ReadModel>()>;

// Two orders of one set of events give the same view, and that view is the reference fold's.
void check_order_does_not_matter(const std::string& kind, const Factory& factory) {
    const std::vector<RecordedEvent> events = *gen_events();
    const std::vector<RecordedEvent> other = shuffled(events);
    std::unique_ptr<ReadModel> in_order = factory(), out_of_order = factory();
    for (const RecordedEvent& e : events) in_order->apply(e);
    for (const RecordedEvent& e : other) out_of_order->apply(e);
    RC_ASSERT(in_order->view() == out_of_order->view());
    RC_ASSERT(in_order->encode() == out_of_order->encode());
    RC_ASSERT(in_order->view() == reference(kind, events));
}

RC_GTEST_PROP(ReadModelProperty, BalancesDoNotDependOnTheOrder, ()) {
    check_order_does_not_matter("balances", [] { return make_read_model("balances"); });
}
RC_GTEST_PROP(ReadModelProperty, AccountHistoryDoesNotDependOnTheOrder, ()) {
    check_order_does_not_matter("account-history",
                                [] { return make_read_model("account-history"); });
}
RC_GTEST_PROP(ReadModelProperty, TotalsDoNotDependOnTheOrder, ()) {
    check_order_does_not_matter("totals", [] { return make_read_model("totals"); });
}
RC_GTEST_PROP(ReadModelProperty, TransfersDoNotDependOnTheOrder, ()) {
    check_order_does_not_matter("transfers", [] { return make_read_model("transfers"); });
}

// A deliberately broken account-history: it keeps each account's last 8 entries *to arrive*.
class ArrivalHistory final : public ReadModel {
  public:
    std::string kind() const override { return "account-history"; }
    void apply(const RecordedEvent& e) override {
        if (system_stream(e.stream)) return;
        const LedgerEvent le = *ledger::decode(e.data);
        const bool out = le.type == EventType::withdrawn || le.type == EventType::transfer_debited;
        std::deque<std::pair<uint64_t, int64_t>>& q = recent_[*ledger::account_of(e.stream)];
        q.emplace_back(e.global_position, out ? -le.amount : le.amount);
        if (q.size() > 8) q.pop_front();
        ++counts_[*ledger::account_of(e.stream)];
    }
    void clear() override { recent_.clear(), counts_.clear(); }
    Bytes encode() const override { return {}; }
    bool decode(std::span<const uint8_t>) override { return false; }
    View view() const override {
        View v;
        for (const auto& [name, n] : counts_) v[name + ".count"] = n;
        for (const auto& [name, q] : recent_) {
            for (const auto& [pos, delta] : q) v[entry_key(name, pos)] = delta;
        }
        return v;
    }

  private:
    std::map<std::string, std::deque<std::pair<uint64_t, int64_t>>> recent_;
    std::map<std::string, int64_t> counts_;
};

struct Quiet : rc::detail::TestListener {
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

rc::detail::TestResult check_fixed_seed(const Factory& factory) {
    rc::detail::TestParams params;
    params.seed = 20240917;
    params.maxSuccess = 100;
    params.maxSize = 100;
    rc::detail::TestMetadata metadata;
    metadata.id = "account-history order check";
    Quiet quiet;  // an expected failure must not end up in RapidCheck's reproduce report
    return rc::detail::checkProperty(
        rc::detail::toProperty([=] { check_order_does_not_matter("account-history", factory); }),
        metadata, params, quiet);
}

TEST(ReadModelTest, TheOrderCheckPassesTheRealHistoryAndCatchesOneThatKeepsTheLastArrivals) {
    const auto good = check_fixed_seed([] { return make_read_model("account-history"); });
    EXPECT_TRUE(good.is<rc::detail::SuccessResult>());
    const auto bad = check_fixed_seed([] { return std::make_unique<ArrivalHistory>(); });
    EXPECT_TRUE(bad.is<rc::detail::FailureResult>());
}

// ---- Encoding --------------------------------------------------------------------------------

RC_GTEST_PROP(ReadModelProperty, EncodeDecodeRoundTripsEveryState, ()) {
    const std::string kind = *rc::gen::elementOf(kinds());
    std::unique_ptr<ReadModel> m = make_read_model(kind);
    for (const RecordedEvent& e : *gen_events()) m->apply(e);
    const Bytes bytes = m->encode();
    std::unique_ptr<ReadModel> back = make_read_model(kind);
    back->apply(small_ledger()[2]);  // decode replaces whatever was there
    RC_ASSERT(back->decode(bytes));
    RC_ASSERT(back->view() == m->view());
    RC_ASSERT(back->encode() == bytes);
}

TEST(ReadModelTest, LongestAccountNamesSurviveEncodeDecode) {
    // The longest stream the store takes (256 bytes) names an account of 251 bytes.
    const std::string account(256 - 5, 'n');
    for (const std::string& kind : kinds()) {
        Log log;
        log.ledger(account, EventType::opened);
        log.ledger(account, EventType::deposited, 9);
        std::unique_ptr<ReadModel> m = make(kind);
        for (const RecordedEvent& e : log.events()) m->apply(e);
        std::unique_ptr<ReadModel> back = make(kind);
        EXPECT_TRUE(back->decode(m->encode())) << kind;
        EXPECT_EQ(back->view(), m->view()) << kind;
    }
}

// A model's encoding with random damage: overwritten bytes, a cut, or appended bytes.
Bytes damaged(Bytes b) {
    const int what = *rc::gen::inRange(0, 3);
    if (what == 0 && !b.empty()) {
        const size_t n = *rc::gen::inRange<size_t>(1, 4);
        for (size_t i = 0; i < n; ++i)
            b[*rc::gen::inRange<size_t>(0, b.size())] = *rc::gen::arbitrary<uint8_t>();
    } else if (what == 1 && !b.empty()) {
        b.resize(*rc::gen::inRange<size_t>(0, b.size()));
    } else {
        const Bytes tail = *rc::gen::nonEmpty(rc::gen::arbitrary<Bytes>());
        b.insert(b.end(), tail.begin(), tail.end());
    }
    return b;
}

RC_GTEST_PROP(ReadModelProperty, DecodeIsTotalAndARefusalLeavesNothing, ()) {
    const std::string kind = *rc::gen::elementOf(kinds());
    std::unique_ptr<ReadModel> source = make_read_model(kind);
    for (const RecordedEvent& e : *gen_events()) source->apply(e);
    const Bytes bytes =
        *rc::gen::oneOf(rc::gen::arbitrary<Bytes>(), rc::gen::just(damaged(source->encode())));
    std::unique_ptr<ReadModel> m = make_read_model(kind);
    for (const RecordedEvent& e : small_ledger()) m->apply(e);
    const bool ok = m->decode(bytes);
    RC_TAG(ok ? "decoded" : "refused");
    if (!ok) {
        RC_ASSERT(m->view().empty());
        RC_ASSERT(m->encode() == make_read_model(kind)->encode());
    } else {
        // Whatever it took is a state that round-trips from then on.
        std::unique_ptr<ReadModel> again = make_read_model(kind);
        RC_ASSERT(again->decode(m->encode()));
        RC_ASSERT(again->view() == m->view());
    }
}

TEST(ReadModelTest, DecodeRefusesForgedCountsDuplicateKeysAndTrailingBytes) {
    std::unique_ptr<ReadModel> m = make("balances");
    EXPECT_FALSE(m->decode(Bytes{}));
    EXPECT_FALSE(m->decode(Bytes{0xff, 0xff, 0xff, 0xff})) << "a count no input could hold";
    // Two entries with the same key: "a" -> 1 twice.
    const Bytes entry = {1, 0, 0, 0, 'a', 1, 0, 0, 0, 0, 0, 0, 0};
    Bytes dup = {2, 0, 0, 0};
    dup.insert(dup.end(), entry.begin(), entry.end());
    dup.insert(dup.end(), entry.begin(), entry.end());
    EXPECT_FALSE(m->decode(dup));
    EXPECT_TRUE(m->view().empty());
    Bytes one = {1, 0, 0, 0};
    one.insert(one.end(), entry.begin(), entry.end());
    ASSERT_TRUE(m->decode(one));
    EXPECT_EQ(m->view(), (View{{"a", 1}}));
    one.push_back(0);
    EXPECT_FALSE(m->decode(one));
    EXPECT_TRUE(m->view().empty());
}

// ---- Events a model cannot handle ----------------------------------------------------------

TEST(ReadModelTest, APoisonEventThrowsAndChangesNothing) {
    for (const std::string& kind : kinds()) {
        std::unique_ptr<ReadModel> m = make(kind);
        for (const RecordedEvent& e : small_ledger()) m->apply(e);
        const Bytes before = m->encode();
        Log log;
        const RecordedEvent& poison = log.add("acct-a", "poison-1", ledger::poison_payload(1));
        try {
            m->apply(poison);
            ADD_FAILURE() << kind << ": no HandlerError";
        } catch (const HandlerError& err) {
            const std::string what = err.what();
            EXPECT_NE(what.find("poison-1"), std::string::npos) << what;
            EXPECT_NE(what.find("format 2"), std::string::npos) << what;
        }
        EXPECT_EQ(m->encode(), before) << kind;
        EXPECT_THROW(m->apply(log.add("acct-a", "empty", {})), HandlerError) << kind;
        EXPECT_EQ(m->encode(), before) << kind;
    }
}

TEST(ReadModelTest, ALedgerEventOutsideAnAccountStreamThrowsAndChangesNothing) {
    const Bytes deposit = ledger::encode(LedgerEvent{EventType::deposited, 10, "", ""});
    for (const std::string& kind : kinds()) {
        std::unique_ptr<ReadModel> m = make(kind);
        for (const RecordedEvent& e : small_ledger()) m->apply(e);
        const Bytes before = m->encode();
        Log log;
        for (const std::string stream : {"memo-1", "acct-", "acct", "", "parked-acct-a"}) {
            EXPECT_THROW(m->apply(log.add(stream, "x", deposit)), HandlerError)
                << kind << " '" << stream << "'";
            EXPECT_EQ(m->encode(), before) << kind << " '" << stream << "'";
        }
    }
}

TEST(ReadModelTest, EventsOfDollarStreamsAreSkipped) {
    const Bytes deposit = ledger::encode(LedgerEvent{EventType::deposited, 10, "", ""});
    for (const std::string& kind : kinds()) {
        std::unique_ptr<ReadModel> m = make(kind);
        for (const RecordedEvent& e : small_ledger()) m->apply(e);
        const Bytes before = m->encode();
        Log log;
        EXPECT_NO_THROW(m->apply(log.add("$parked-balances", "p", ledger::poison_payload(4))))
            << kind;
        EXPECT_NO_THROW(m->apply(log.add("$probe", "q", {}))) << kind;
        EXPECT_NO_THROW(m->apply(log.add("$", "r", deposit))) << kind;
        EXPECT_NO_THROW(m->apply(log.add("$acct-a", "s", deposit)))
            << kind << ": a '$' stream is no account";
        EXPECT_EQ(m->encode(), before) << kind;
    }
}

TEST(ReadModelTest, SystemStreamsStartWithADollar) {
    EXPECT_TRUE(system_stream("$parked-balances"));
    EXPECT_TRUE(system_stream("$probe"));
    EXPECT_TRUE(system_stream("$"));
    EXPECT_FALSE(system_stream(""));
    EXPECT_FALSE(system_stream("acct-a"));
    EXPECT_FALSE(system_stream("a$"));
}

}  // namespace
}  // namespace stormlog::system::ledger
