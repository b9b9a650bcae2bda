#include "properties/projections/reference_fold.hpp"

#include <iterator>

#include "system/ledger/ledger_events.hpp"

namespace stormlog::properties::projections {

using system::ledger::EventType;

namespace {

constexpr size_t k_recent = 8;  // account-history shows each account's newest entries

// `pos` in decimal, zero-padded to 12 digits (printf's "%012llu", which cost more than the rest
// of building the view when it was rebuilt at every check).
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

// An account-history entry's key, as the model names it.
std::string entry_key(const std::string& account, uint64_t pos) {
    return account + "@" + zero_padded(pos);
}

}  // namespace

ReferenceFold::ReferenceFold(std::string kind)
    : kind_(kind == "balances"          ? Kind::balances
            : kind == "account-history" ? Kind::history
            : kind == "totals"          ? Kind::totals
            : kind == "transfers"       ? Kind::transfers
                                        : Kind::other) {}

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
    const auto [entry, added] = a.entries.insert_or_assign(e.global_position, delta);
    switch (kind_) {
        case Kind::balances:
            view_[*name] = a.balance;
            break;
        case Kind::history:
            show_history(*name, a, entry, added);
            break;
        case Kind::totals:
        case Kind::transfers:
            show_counters();
            break;
        case Kind::other:
            break;
    }
}

// account-history shows each account's entry count and its k_recent newest entries. One add
// changes only the count, `entry` if it is among the newest, and - when `entry` is new there -
// the entry it pushed out of view; so the view needs no rebuild.
void ReferenceFold::show_history(const std::string& name, const AccountRef& a, Entry entry,
                                 bool added) {
    const size_t n = a.entries.size();
    view_[name + ".count"] = static_cast<int64_t>(n);
    const Entry oldest_shown =
        n > k_recent ? std::prev(a.entries.end(), k_recent) : a.entries.begin();
    if (entry->first < oldest_shown->first) return;  // older than every entry shown
    view_[entry_key(name, entry->first)] = entry->second;
    if (added && n > k_recent) view_.erase(entry_key(name, std::prev(oldest_shown)->first));
}

// The counters' keys, shown only while nonzero (in_flight once a transfer was debited).
void ReferenceFold::show_counters() {
    if (kind_ == Kind::totals) {
        show_nonzero("accounts", opened_);
        show_nonzero("deposited", deposited_);
        show_nonzero("withdrawn", withdrawn_);
        if (debits_ > 0) {
            view_["in_flight"] = in_flight_;
        } else {
            view_.erase("in_flight");
        }
        show_nonzero("transfers_debited", debits_);
        show_nonzero("transfers_credited", credits_);
    } else {
        show_nonzero("started", debits_);
        show_nonzero("completed", credits_);
    }
}

void ReferenceFold::show_nonzero(const std::string& key, int64_t x) {
    if (x != 0) {
        view_[key] = x;
    } else {
        view_.erase(key);
    }
}

void ReferenceFold::clear() {
    accounts_.clear();
    deposited_ = withdrawn_ = in_flight_ = opened_ = debits_ = credits_ = 0;
    view_.clear();
}

int64_t ReferenceFold::balance_sum() const {
    int64_t s = 0;
    for (const auto& [name, a] : accounts_) s += a.balance;
    return s;
}

}  // namespace stormlog::properties::projections
