#pragma once
// The account aggregate: an account's state rebuilt by folding its stream, and the decisions the
// command handlers make from it. Pure: no I/O, so the rules are testable on their own.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "system/ledger/ledger_events.hpp"
#include "system/store/event_store.hpp"

namespace stormlog::system::ledger {

struct Account {
    bool opened = false;
    int64_t balance = 0;
    int64_t version = -1;          // the stream's last position (-1: no stream)
    std::vector<std::string> ids;  // event ids in stream order (to recognise a retried operation)
    std::string error;  // non-empty: the stream holds an event that is not a ledger event

    // Folds the next event of the stream into the state.
    void apply(const store::RecordedEvent& e);
    bool has(const std::string& event_id) const;
};

// Why a command is refused, or nullopt if it may go ahead.
std::optional<std::string> refuse_open(const Account& a);
std::optional<std::string> refuse_deposit(const Account& a, int64_t amount);
// Withdrawals and transfer debits: the account must exist and hold the amount (no overdraft).
std::optional<std::string> refuse_debit(const Account& a, int64_t amount);

}  // namespace stormlog::system::ledger
