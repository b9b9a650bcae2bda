#pragma once
// Ledger properties, checked continuously on the committed log (each event as it commits):
//   ledger.no_overdraft   no account's balance ever goes below zero
//   ledger.conservation   money is neither created nor destroyed: every credit follows a debit
//                         of the same transfer, amount and accounts, once; and
//                         sum(balances) + in_flight = deposits - withdrawals at every position
// and, on request, the `balances` read model against the log (balances_hold) and the operations
// the service acknowledged against the final log (acked writes lost).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "system/ledger/ledger_events.hpp"
#include "system/store/event_store.hpp"

namespace stormlog::properties::ledger {

struct LedgerViolation {
    std::string property;
    std::string evidence;
};

class LedgerChecker {
  public:
    using Report = std::function<void(const LedgerViolation&)>;
    explicit LedgerChecker(Report report) : report_(std::move(report)) {}
    void enable(bool conservation, bool no_overdraft) {
        conservation_ = conservation;
        no_overdraft_ = no_overdraft;
    }
    static const std::vector<std::string>& property_names();

    // The next committed event, in global order.
    void on_committed(const system::store::RecordedEvent& e);

    int64_t deposits() const { return deposits_; }
    int64_t withdrawals() const { return withdrawals_; }
    int64_t in_flight() const { return in_flight_; }
    size_t transfers_in_flight() const { return open_transfers_; }
    const std::map<std::string, int64_t>& balances() const { return balances_; }

  private:
    struct Transfer {
        std::string from, to;
        int64_t amount = 0;
        bool credited = false;
    };
    void violate(const char* property, const std::string& evidence);
    void debit(const system::store::RecordedEvent& e, const std::string& account,
               const system::ledger::LedgerEvent& le);
    void credit(const system::store::RecordedEvent& e, const std::string& account,
                const system::ledger::LedgerEvent& le);

    Report report_;
    bool conservation_ = true, no_overdraft_ = true, reported_ = false;
    std::map<std::string, int64_t> balances_;
    std::map<std::string, Transfer> transfers_;
    int64_t deposits_ = 0, withdrawals_ = 0, sum_ = 0, in_flight_ = 0;
    size_t open_transfers_ = 0;
};

}  // namespace stormlog::properties::ledger
