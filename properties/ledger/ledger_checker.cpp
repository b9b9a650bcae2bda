#include "properties/ledger/ledger_checker.hpp"

#include "properties/catalogue.hpp"

namespace stormlog::properties::ledger {

using system::ledger::EventType;
using system::ledger::LedgerEvent;
using system::store::RecordedEvent;

const std::vector<std::string>& LedgerChecker::property_names() {
    static const std::vector<std::string> names = {property::ledger_conservation.name,
                                                   property::ledger_no_overdraft.name};
    return names;
}

void LedgerChecker::violate(const char* property, const std::string& evidence) {
    if (reported_) return;  // the first violation is the evidence; the rest follow from it
    reported_ = true;
    report_(LedgerViolation{property, evidence});
}

static std::string where(const RecordedEvent& e) {
    return "event " + e.id + " (" + e.stream + "@" + std::to_string(e.stream_position) +
           ", global " + std::to_string(e.global_position) + ")";
}

void LedgerChecker::on_committed(const RecordedEvent& e) {
    const std::optional<std::string> account = system::ledger::account_of(e.stream);
    if (!account) return;
    const std::optional<LedgerEvent> le = system::ledger::decode(e.data);
    if (!le) return;  // not money: the projections deal with undecodable events
    if (tracking_ops_ && le->type != EventType::transfer_credited) check_issued(e, *account, *le);
    switch (le->type) {
        case EventType::opened:
            balances_.emplace(*account, 0);
            break;
        case EventType::deposited:
            deposits_ += le->amount;
            balances_[*account] += le->amount;
            sum_ += le->amount;
            break;
        case EventType::withdrawn:
            withdrawals_ += le->amount;
            balances_[*account] -= le->amount;
            sum_ -= le->amount;
            break;
        case EventType::transfer_debited:
            debit(e, *account, *le);
            break;
        case EventType::transfer_credited:
            credit(e, *account, *le);
            break;
    }
    if (no_overdraft_ && balances_[*account] < 0) {
        violate(property::ledger_no_overdraft.name, where(e) + " takes account " + *account +
                                                        " to a balance of " +
                                                        std::to_string(balances_[*account]));
    }
    if (conservation_ && sum_ + in_flight_ != deposits_ - withdrawals_) {
        violate(property::ledger_conservation.name,
                "after " + where(e) + ": sum of balances " + std::to_string(sum_) +
                    " + in flight " + std::to_string(in_flight_) + " != deposits " +
                    std::to_string(deposits_) + " - withdrawals " + std::to_string(withdrawals_));
    }
}

void LedgerChecker::issued(const std::string& id, const std::string& account, EventType type,
                           int64_t amount) {
    tracking_ops_ = true;
    issued_.emplace(id, Issued{account, type, amount, true, false});
}

void LedgerChecker::answered(const std::string& id, bool done_or_maybe) {
    const auto it = issued_.find(id);
    if (it != issued_.end()) it->second.may_have_happened = done_or_maybe;
}

void LedgerChecker::check_issued(const RecordedEvent& e, const std::string& account,
                                 const LedgerEvent& le) {
    if (!conservation_) return;
    const auto it = issued_.find(e.id);
    if (it == issued_.end()) {
        violate(property::ledger_conservation.name,
                where(e) + " is a " + system::ledger::to_string(le.type) + " of " +
                    std::to_string(le.amount) + " that no client issued: money from nowhere");
        return;
    }
    Issued& op = it->second;
    if (op.committed) {
        violate(property::ledger_conservation.name,
                where(e) + " commits operation " + e.id + " a second time");
    } else if (op.account != account || op.type != le.type || op.amount != le.amount) {
        violate(property::ledger_conservation.name,
                where(e) + " is a " + system::ledger::to_string(le.type) + " of " +
                    std::to_string(le.amount) + " on " + account + ", but operation " + e.id +
                    " was a " + system::ledger::to_string(op.type) + " of " +
                    std::to_string(op.amount) + " on " + op.account);
    }
    op.committed = true;
}

void LedgerChecker::finish() {
    if (!conservation_) return;
    for (const auto& [id, op] : issued_) {  // std::map: the first by id, deterministically
        if (op.committed && !op.may_have_happened) {
            violate(property::ledger_conservation.name,
                    "operation " + id + " (" + system::ledger::to_string(op.type) + " of " +
                        std::to_string(op.amount) + " on " + op.account +
                        ") committed, but its client was told it did not happen");
            return;
        }
    }
}

void LedgerChecker::debit(const RecordedEvent& e, const std::string& account,
                          const LedgerEvent& le) {
    auto [it, fresh] =
        transfers_.emplace(le.transfer, Transfer{account, le.counterparty, le.amount, false});
    if (!fresh && conservation_) {
        violate(property::ledger_conservation.name,
                where(e) + " debits transfer " + le.transfer + " a second time");
        return;
    }
    balances_[account] -= le.amount;
    sum_ -= le.amount;
    in_flight_ += le.amount;
    ++open_transfers_;
}

void LedgerChecker::credit(const RecordedEvent& e, const std::string& account,
                           const LedgerEvent& le) {
    const auto it = transfers_.find(le.transfer);
    std::string wrong;
    if (it == transfers_.end()) {
        wrong =
            "credits transfer " + le.transfer + ", which no committed debit started: money created";
    } else if (it->second.credited) {
        wrong = "credits transfer " + le.transfer + " a second time: money created";
    } else if (it->second.amount != le.amount || it->second.to != account ||
               it->second.from != le.counterparty) {
        wrong = "credits " + std::to_string(le.amount) + " to " + account + " from " +
                le.counterparty + " for transfer " + le.transfer + ", which debited " +
                std::to_string(it->second.amount) + " from " + it->second.from + " to " +
                it->second.to;
    }
    if (!wrong.empty()) {
        if (conservation_) violate(property::ledger_conservation.name, where(e) + " " + wrong);
        return;
    }
    it->second.credited = true;
    in_flight_ -= le.amount;
    --open_transfers_;
    balances_[account] += le.amount;
    sum_ += le.amount;
}

}  // namespace stormlog::properties::ledger
