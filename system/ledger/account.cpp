#include "system/ledger/account.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::system::ledger {

void Account::apply(const store::RecordedEvent& e) {
    // Versions are contiguous: the fold sees every event of the stream, once and in order.
    SL_ASSERT(e.stream_position == version + 1);
    version = e.stream_position;
    ids.push_back(e.id);
    // One id per position, so has() sees every event of the prefix folded so far (the service
    // recognises a retried operation by it).
    SL_ASSERT(ids.size() == static_cast<size_t>(version) + 1);
    const std::optional<LedgerEvent> le = decode(e.data);
    if (!le) {
        if (error.empty())
            error = "event " + e.id + " at position " + std::to_string(e.stream_position) +
                    " is not a ledger event";
        return;
    }
    SL_ASSERT(le->type == EventType::opened || le->amount > 0);  // decode's: the signs below hold
    switch (le->type) {
        case EventType::opened:
            // Opening is decided against "no stream" (expected version -1): the first event.
            SL_ASSERT(version == 0);
            opened = true;
            break;
        case EventType::deposited:
        case EventType::transfer_credited:
            balance += le->amount;
            break;
        case EventType::withdrawn:
        case EventType::transfer_debited:
            balance -= le->amount;
            break;
    }
}

bool Account::has(const std::string& event_id) const {
    return std::find(ids.begin(), ids.end(), event_id) != ids.end();
}

std::optional<std::string> refuse_open(const Account& a) {
    if (a.opened || a.version >= 0) return "the account already exists";
    return std::nullopt;
}

std::optional<std::string> refuse_deposit(const Account& a, int64_t amount) {
    if (!a.error.empty()) return a.error;
    if (!a.opened) return "no such account";
    if (amount <= 0) return "the amount must be positive";
    return std::nullopt;
}

std::optional<std::string> refuse_debit(const Account& a, int64_t amount) {
    if (std::optional<std::string> why = refuse_deposit(a, amount)) return why;
    if (a.balance < amount) {
        return "insufficient funds: balance " + std::to_string(a.balance) + " < " +
               std::to_string(amount);
    }
    return std::nullopt;
}

}  // namespace stormlog::system::ledger
