// The reference fold behind projection.consistent (properties/projections/reference_fold.hpp)
// keeps every kind's view current as it folds, instead of rebuilding it at each check. Whatever
// the order the events come in (parked events are replayed out of order), and across a clear()
// and a fold again (the checker's restart), its view equals the one rebuilt here from the events
// by the definition: each account's balance; each account's entry count and its newest 8
// entries by global position; the counters, shown while nonzero (in_flight once a transfer was
// debited).

#include "properties/projections/reference_fold.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "system/ledger/ledger_events.hpp"

namespace stormlog::properties::projections {
namespace {

using system::ledger::EventType;
using system::ledger::LedgerEvent;
using system::store::RecordedEvent;
using View = ReferenceFold::View;

const std::vector<std::string> k_kinds = {"balances", "account-history", "totals", "transfers"};

RecordedEvent event(uint64_t position, const std::string& stream, std::vector<uint8_t> data) {
    return RecordedEvent{stream, 0, position, "e" + std::to_string(position), std::move(data)};
}

// Up to 100 events over two accounts (so some hold more than eight entries), with now and then
// a '$' stream event or a payload no model decodes.
rc::Gen<std::vector<RecordedEvent>> gen_events() {
    return rc::gen::exec([] {
        std::vector<RecordedEvent> out;
        const size_t n = *rc::gen::inRange<size_t>(0, 101);
        for (uint64_t p = 0; p < n; ++p) {
            const int what = *rc::gen::inRange(0, 20);
            if (what == 0) {
                out.push_back(event(p, "$probe", *rc::gen::arbitrary<std::vector<uint8_t>>()));
                continue;
            }
            const std::string stream =
                system::ledger::account_stream(*rc::gen::element<std::string>("a", "b"));
            if (what == 1) {
                out.push_back(event(p, stream, system::ledger::poison_payload(1)));
                continue;
            }
            const auto type = static_cast<EventType>(*rc::gen::inRange(1, 6));
            const bool transfer =
                type == EventType::transfer_debited || type == EventType::transfer_credited;
            const LedgerEvent le{type, type == EventType::opened ? 0 : *rc::gen::inRange(1, 100),
                                 transfer ? "t" : "", transfer ? "x" : ""};
            out.push_back(event(p, stream, system::ledger::encode(le)));
        }
        return out;
    });
}

std::string entry_key(const std::string& account, uint64_t position) {
    char digits[24];
    std::snprintf(digits, sizeof digits, "%012llu", static_cast<unsigned long long>(position));
    return account + "@" + digits;
}

// The definition: what the view of `kind` is after folding `events`, built from nothing.
View rebuilt(const std::string& kind, const std::vector<RecordedEvent>& events) {
    std::map<std::string, std::map<uint64_t, int64_t>> entries;  // account -> position -> amount
    int64_t opened = 0, deposited = 0, withdrawn = 0, in_flight = 0, debits = 0, credits = 0;
    for (const RecordedEvent& e : events) {
        const auto account = system::ledger::account_of(e.stream);
        const auto le = system::ledger::decode(e.data);
        if (!account || !le) continue;
        const bool out =
            le->type == EventType::withdrawn || le->type == EventType::transfer_debited;
        entries[*account][e.global_position] = out ? -le->amount : le->amount;
        opened += le->type == EventType::opened;
        deposited += le->type == EventType::deposited ? le->amount : 0;
        withdrawn += le->type == EventType::withdrawn ? le->amount : 0;
        debits += le->type == EventType::transfer_debited;
        credits += le->type == EventType::transfer_credited;
        in_flight += le->type == EventType::transfer_debited    ? le->amount
                     : le->type == EventType::transfer_credited ? -le->amount
                                                                : 0;
    }
    View v;
    const auto show = [&v](const char* key, int64_t x) {
        if (x != 0) v[key] = x;
    };
    for (const auto& [account, mine] : entries) {
        if (kind == "balances") {
            v[account] = 0;  // an account whose amounts sum to zero still shows
            for (const auto& [position, amount] : mine) v[account] += amount;
        }
        if (kind != "account-history") continue;
        v[account + ".count"] = static_cast<int64_t>(mine.size());
        auto newest = mine.rbegin();
        for (int i = 0; i < 8 && newest != mine.rend(); ++i, ++newest) {
            v[entry_key(account, newest->first)] = newest->second;
        }
    }
    if (kind == "totals") {
        show("accounts", opened);
        show("deposited", deposited);
        show("withdrawn", withdrawn);
        if (debits > 0) v["in_flight"] = in_flight;
        show("transfers_debited", debits);
        show("transfers_credited", credits);
    }
    if (kind == "transfers") {
        show("started", debits);
        show("completed", credits);
    }
    return v;
}

// The same events in a random order.
std::vector<RecordedEvent> shuffled(std::vector<RecordedEvent> events) {
    for (size_t i = events.size(); i > 1; --i) {
        std::swap(events[i - 1], events[*rc::gen::inRange<size_t>(0, i)]);
    }
    return events;
}

RC_GTEST_PROP(ReferenceFold, TheViewKeptWhileFoldingIsTheViewRebuiltFromTheEvents, ()) {
    const std::string kind = *rc::gen::elementOf(k_kinds);
    const std::vector<RecordedEvent> events = *gen_events();
    const std::vector<RecordedEvent> order = shuffled(events);
    ReferenceFold fold(kind);
    // Some events first, then a clear (the checker's restart), then all of them in a new order.
    const size_t before = *rc::gen::inRange<size_t>(0, events.size() + 1);
    for (size_t i = 0; i < before; ++i) fold.add(events[i]);
    RC_ASSERT(fold.view() == rebuilt(kind, std::vector(events.begin(), events.begin() + before)));
    fold.clear();
    RC_ASSERT(fold.view().empty());
    for (const RecordedEvent& e : order) fold.add(e);
    RC_ASSERT(fold.view() == rebuilt(kind, events));
}

TEST(ReferenceFold, AnOldEntryArrivingLateStaysOutOfTheNewestEight) {
    ReferenceFold fold("account-history");
    std::vector<RecordedEvent> events;
    for (uint64_t p = 0; p < 10; ++p) {
        events.push_back(event(p, system::ledger::account_stream("a"),
                               system::ledger::encode(LedgerEvent{
                                   EventType::deposited, static_cast<int64_t>(p + 1), {}, {}})));
    }
    for (uint64_t p = 1; p < 10; ++p) fold.add(events[p]);  // 9 entries: 1 is out of view
    fold.add(events[0]);                                    // older than all: changes the count
    EXPECT_EQ(fold.view(), rebuilt("account-history", events));
    EXPECT_EQ(fold.view().at("a.count"), 10);
    EXPECT_EQ(fold.view().count(entry_key("a", 1)), 0u);
    EXPECT_EQ(fold.view().at(entry_key("a", 2)), 3);
}

}  // namespace
}  // namespace stormlog::properties::projections
