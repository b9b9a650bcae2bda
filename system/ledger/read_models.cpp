#include "system/ledger/read_models.hpp"

#include <cstdio>

#include "sim/assert.hpp"
#include "system/ledger/ledger_events.hpp"
#include "system/store/command.hpp"

namespace stormlog::system::ledger {
namespace {

using projections::FlatModel;
using projections::HandlerError;
using projections::ReadModel;
using projections::system_stream;

constexpr size_t k_recent = 8;  // account-history keeps each account's newest entries
constexpr uint64_t k_position_limit = 1'000'000'000'000;  // account-history's 12 digits
// The longest key is an account-history entry: account (a stream name less "acct-") + "@" + 12
// digits; a decoder's limit below that would refuse states encode() wrote.
static_assert(FlatModel::k_key_bytes_max >= store::k_stream_bytes_max + 1 + 12);

// The ledger event `e` carries and the account it belongs to; throws for anything else.
std::pair<std::string, LedgerEvent> ledger_event(const store::RecordedEvent& e) {
    const std::optional<LedgerEvent> le = decode(e.data);
    if (!le) {
        const int format = e.data.empty() ? -1 : e.data[0];
        throw HandlerError("cannot decode event " + e.id + " of " + e.stream + " (format " +
                           std::to_string(format) + ")");
    }
    const std::optional<std::string> account = account_of(e.stream);
    if (!account)
        throw HandlerError("ledger event " + e.id + " outside an account stream: " + e.stream);
    return {*account, *le};
}

int64_t signed_amount(const LedgerEvent& e) {
    return e.type == EventType::withdrawn || e.type == EventType::transfer_debited ? -e.amount
                                                                                   : e.amount;
}

class Balances final : public FlatModel {
  public:
    std::string kind() const override { return "balances"; }
    void apply(const store::RecordedEvent& e) override {
        if (system_stream(e.stream)) return;
        const auto [account, le] = ledger_event(e);
        state_[account] += signed_amount(le);
    }
};

class History final : public FlatModel {
  public:
    std::string kind() const override { return "account-history"; }
    void apply(const store::RecordedEvent& e) override {
        if (system_stream(e.stream)) return;
        const auto [account, le] = ledger_event(e);
        ++state_[account + ".count"];
        // Positions in 12 fixed-width digits sort like the numbers, so the first key of an
        // account is its oldest entry; a 13th digit would break that order (and the key bound).
        SL_ASSERT(e.global_position < k_position_limit);
        char pos[24];
        std::snprintf(pos, sizeof pos, "%012llu",
                      static_cast<unsigned long long>(e.global_position));
        state_[account + "@" + pos] = signed_amount(le);
        // Keep the newest k_recent entries: drop the lowest position while there are more.
        const std::string lo = account + "@", hi = account + "@~";
        auto first = state_.lower_bound(lo);
        size_t n = 0;
        for (auto it = first; it != state_.end() && it->first < hi; ++it) ++n;
        // One apply adds at most one entry, so dropping one keeps each account at k_recent.
        SL_ASSERT(n <= k_recent + 1);
        if (n > k_recent) state_.erase(first);
    }
};

class Totals final : public FlatModel {
  public:
    std::string kind() const override { return "totals"; }
    void apply(const store::RecordedEvent& e) override {
        if (system_stream(e.stream)) return;
        const auto [account, le] = ledger_event(e);
        switch (le.type) {
            case EventType::opened:
                ++state_["accounts"];
                break;
            case EventType::deposited:
                state_["deposited"] += le.amount;
                break;
            case EventType::withdrawn:
                state_["withdrawn"] += le.amount;
                break;
            case EventType::transfer_debited:
                state_["in_flight"] += le.amount;
                ++state_["transfers_debited"];
                break;
            case EventType::transfer_credited:
                state_["in_flight"] -= le.amount;
                ++state_["transfers_credited"];
                break;
        }
    }
};

class Transfers final : public FlatModel {
  public:
    std::string kind() const override { return "transfers"; }
    void apply(const store::RecordedEvent& e) override {
        if (system_stream(e.stream)) return;
        const auto [account, le] = ledger_event(e);
        // A transfer is started by its debit and completed by its credit (by the service or the
        // completer); counting debits as completed reported money in flight as arrived.
        if (le.type == EventType::transfer_debited) ++state_["started"];
        if (le.type == EventType::transfer_credited) ++state_["completed"];
    }
};

}  // namespace

std::unique_ptr<ReadModel> make_read_model(const std::string& kind) {
    if (kind == "balances") return std::make_unique<Balances>();
    if (kind == "account-history") return std::make_unique<History>();
    if (kind == "totals") return std::make_unique<Totals>();
    if (kind == "transfers") return std::make_unique<Transfers>();
    return nullptr;
}

const std::vector<std::string>& read_model_kinds() {
    static const std::vector<std::string> kinds = {"balances", "account-history", "totals",
                                                   "transfers"};
    return kinds;
}

}  // namespace stormlog::system::ledger
