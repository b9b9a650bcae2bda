#pragma once
// What each read model must hold after folding a set of committed events, computed here from
// the events alone, independently of system/projections: the reference projection.consistent
// compares the runners' models with. It keeps more than the models do (every history entry),
// and derives the models' flat view on demand.

#include <cstdint>
#include <map>
#include <string>

#include "system/store/event_store.hpp"

namespace stormlog::properties::projections {

class ReferenceFold {
  public:
    explicit ReferenceFold(std::string kind) : kind_(std::move(kind)) {}
    // Whether a runner could handle `e` (false: it must be parked, never applied).
    static bool handleable(const system::store::RecordedEvent& e);
    void add(const system::store::RecordedEvent& e);
    void clear();
    std::map<std::string, int64_t> view() const;
    // The sum of the account balances this fold holds (for ledger.conservation on `balances`).
    int64_t balance_sum() const;
    int64_t deposits_minus_withdrawals() const { return deposited_ - withdrawn_; }
    int64_t in_flight() const { return in_flight_; }

  private:
    std::string kind_;
    struct AccountRef {
        bool opened = false;
        int64_t balance = 0;
        std::map<uint64_t, int64_t> entries;  // global position -> signed amount
    };
    std::map<std::string, AccountRef> accounts_;
    int64_t deposited_ = 0, withdrawn_ = 0, in_flight_ = 0;
    int64_t opened_ = 0, debits_ = 0, credits_ = 0;
};

}  // namespace stormlog::properties::projections
