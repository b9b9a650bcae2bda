#pragma once
// Ledger properties, checked continuously on the committed log (each event as it commits):
//   ledger.no_overdraft   no account's balance ever goes below zero
//   ledger.conservation   money is neither created nor destroyed: every credit follows a debit
//                         of the same transfer, amount and accounts, once; and
//                         sum(balances) + in_flight = deposits - withdrawals at every position
// and, when the workload reports the operations it issues and what each was answered, also
//   ledger.conservation   every money event in an account stream (but credits, which follow
//                         their debit) is an operation some client issued, with its account,
//                         kind and amount, committed once; and at the end, no operation the
//                         client was told did not happen (refused, conflict, unavailable) did.
// The first part is what keeps money from appearing: a retry under a fresh id, a replayed
// command, an event nobody asked for all show up here.

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

    // An operation about to be sent (its event id, account and what it does).
    void issued(const std::string& id, const std::string& account, system::ledger::EventType type,
                int64_t amount);
    // What the client was told: `done` false means it certainly did not happen.
    void answered(const std::string& id, bool done_or_maybe);
    // At the end of the run.
    void finish();

    int64_t deposits() const { return deposits_; }
    int64_t withdrawals() const { return withdrawals_; }
    int64_t in_flight() const { return in_flight_; }
    size_t transfers_in_flight() const { return open_transfers_; }

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

    struct Issued {
        std::string account;
        system::ledger::EventType type;
        int64_t amount = 0;
        bool may_have_happened = true;  // until answered "did not happen"
        bool committed = false;
    };
    void check_issued(const system::store::RecordedEvent& e, const std::string& account,
                      const system::ledger::LedgerEvent& le);

    std::map<std::string, Issued> issued_;  // by event id
    bool tracking_ops_ = false;
    Report report_;
    bool conservation_ = true, no_overdraft_ = true, reported_ = false;
    std::map<std::string, int64_t> balances_;
    std::map<std::string, Transfer> transfers_;
    int64_t deposits_ = 0, withdrawals_ = 0, sum_ = 0, in_flight_ = 0;
    size_t open_transfers_ = 0;
};

}  // namespace stormlog::properties::ledger
