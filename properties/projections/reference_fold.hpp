#pragma once
// What each read model must hold after folding a set of committed events, computed here from
// the events alone, independently of system/projections: the reference projection.consistent
// compares the runners' models with. It keeps more than the models do (every history entry),
// and keeps the models' flat view up to date as it folds, since the checker compares that view
// at every checkpoint a runner writes.

#include <cstdint>
#include <map>
#include <string>

#include "system/store/event_store.hpp"

namespace stormlog::properties::projections {

class ReferenceFold {
  public:
    using View = std::map<std::string, int64_t>;  // the read models' flat view (read_model.hpp)

    explicit ReferenceFold(std::string kind);
    // Whether a runner could handle `e` (false: it must be parked, never applied).
    static bool handleable(const system::store::RecordedEvent& e);
    void add(const system::store::RecordedEvent& e);
    void clear();
    // The view a model of this kind must hold after the events added since the last clear().
    const View& view() const { return view_; }
    // The sum of the account balances this fold holds (for ledger.conservation on `balances`).
    int64_t balance_sum() const;
    int64_t deposits_minus_withdrawals() const { return deposited_ - withdrawn_; }
    int64_t in_flight() const { return in_flight_; }

  private:
    enum class Kind { balances, history, totals, transfers, other };
    struct AccountRef {
        bool opened = false;
        int64_t balance = 0;
        std::map<uint64_t, int64_t> entries;  // global position -> signed amount
    };
    using Entry = std::map<uint64_t, int64_t>::const_iterator;
    void show_history(const std::string& name, const AccountRef& a, Entry entry, bool added);
    void show_counters();
    void show_nonzero(const std::string& key, int64_t x);

    Kind kind_;
    std::map<std::string, AccountRef> accounts_;
    int64_t deposited_ = 0, withdrawn_ = 0, in_flight_ = 0;
    int64_t opened_ = 0, debits_ = 0, credits_ = 0;
    View view_;  // derived from the above, updated by every add()
};

}  // namespace stormlog::properties::projections
