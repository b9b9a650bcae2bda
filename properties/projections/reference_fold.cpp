#include "properties/projections/reference_fold.hpp"

#include <iterator>

#include "system/ledger/ledger_events.hpp"

namespace stormlog::properties::projections {

using system::ledger::EventType;

namespace {

// `pos` in decimal, zero-padded to 12 digits (printf's "%012llu", which cost more than the rest
// of view() on the ledger's hot path, where view() runs after every applied event).
std::string zero_padded(uint64_t pos) {
    constexpr size_t k_width = 12;
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + pos % 10);
        pos /= 10;
    } while (pos > 0);
    std::string out(n < k_width ? k_width - n : 0, '0');
    out.append(std::make_reverse_iterator(digits + n), std::make_reverse_iterator(digits));
    return out;
}

}  // namespace

bool ReferenceFold::handleable(const system::store::RecordedEvent& e) {
    if (!e.stream.empty() && e.stream[0] == '$') return true;  // skipped by every model
    return system::ledger::account_of(e.stream) && system::ledger::decode(e.data);
}

void ReferenceFold::add(const system::store::RecordedEvent& e) {
    if (!e.stream.empty() && e.stream[0] == '$') return;
    const std::optional<std::string> name = system::ledger::account_of(e.stream);
    const std::optional<system::ledger::LedgerEvent> le = system::ledger::decode(e.data);
    if (!name || !le) return;
    AccountRef& a = accounts_[*name];
    int64_t delta = 0;
    switch (le->type) {
        case EventType::opened:
            a.opened = true;
            ++opened_;
            break;
        case EventType::deposited:
            delta = le->amount;
            deposited_ += le->amount;
            break;
        case EventType::withdrawn:
            delta = -le->amount;
            withdrawn_ += le->amount;
            break;
        case EventType::transfer_debited:
            delta = -le->amount;
            in_flight_ += le->amount;
            ++debits_;
            break;
        case EventType::transfer_credited:
            delta = le->amount;
            in_flight_ -= le->amount;
            ++credits_;
            break;
    }
    a.balance += delta;
    a.entries[e.global_position] = delta;
}

void ReferenceFold::clear() {
    accounts_.clear();
    deposited_ = withdrawn_ = in_flight_ = opened_ = debits_ = credits_ = 0;
}

int64_t ReferenceFold::balance_sum() const {
    int64_t s = 0;
    for (const auto& [name, a] : accounts_) s += a.balance;
    return s;
}

std::map<std::string, int64_t> ReferenceFold::view() const {
    std::map<std::string, int64_t> v;
    auto put = [&v](const std::string& k, int64_t x) {
        if (x != 0) v[k] = x;
    };
    if (kind_ == "balances") {
        for (const auto& [name, a] : accounts_) v[name] = a.balance;
    } else if (kind_ == "account-history") {
        for (const auto& [name, a] : accounts_) {
            v[name + ".count"] = static_cast<int64_t>(a.entries.size());
            size_t skip = a.entries.size() > 8 ? a.entries.size() - 8 : 0;
            for (const auto& [pos, amount] : a.entries) {
                if (skip > 0) {
                    --skip;
                    continue;
                }
                v[name + "@" + zero_padded(pos)] = amount;
            }
        }
    } else if (kind_ == "totals") {
        put("accounts", opened_);
        put("deposited", deposited_);
        put("withdrawn", withdrawn_);
        if (debits_ > 0) v["in_flight"] = in_flight_;
        put("transfers_debited", debits_);
        put("transfers_credited", credits_);
    } else if (kind_ == "transfers") {
        put("started", debits_);
        put("completed", credits_);
    }
    return v;
}

}  // namespace stormlog::properties::projections
