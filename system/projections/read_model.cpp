#include "system/projections/read_model.hpp"

#include <cstdio>

#include "system/ledger/ledger_events.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::projections {
namespace {

using ledger::EventType;
using ledger::LedgerEvent;

constexpr size_t k_recent = 8;            // account-history keeps each account's newest entries
constexpr uint32_t k_keys_max = 1 << 20;  // a decoded state holds at most this many keys
// The longest key: an account-history entry, account (a stream of up to 256 bytes less "acct-")
// + "@" + 12 digits = 264 bytes; a limit below that would refuse states encode() wrote.
constexpr uint32_t k_key_bytes_max = 512;

// The ledger event `e` carries and the account it belongs to; throws for anything else.
std::pair<std::string, LedgerEvent> ledger_event(const store::RecordedEvent& e) {
    const std::optional<LedgerEvent> le = ledger::decode(e.data);
    if (!le) {
        const int format = e.data.empty() ? -1 : e.data[0];
        throw HandlerError("cannot decode event " + e.id + " of " + e.stream + " (format " +
                           std::to_string(format) + ")");
    }
    const std::optional<std::string> account = ledger::account_of(e.stream);
    if (!account)
        throw HandlerError("ledger event " + e.id + " outside an account stream: " + e.stream);
    return {*account, *le};
}

int64_t signed_amount(const LedgerEvent& e) {
    return e.type == EventType::withdrawn || e.type == EventType::transfer_debited ? -e.amount
                                                                                   : e.amount;
}

// All models keep their state as sorted name -> value pairs: one encoding, one view.
class FlatModel : public ReadModel {
  public:
    std::vector<uint8_t> encode() const override {
        std::vector<uint8_t> out;
        store::wire::Writer w(out);
        w.u32(state_.size());
        for (const auto& [k, v] : state_) {
            w.str(k);
            w.i64(v);
        }
        return out;
    }
    bool decode(std::span<const uint8_t> bytes) override {
        state_.clear();
        store::wire::Reader r(bytes);
        const size_t n = r.count(k_keys_max, 12);
        for (size_t i = 0; i < n && r.ok(); ++i) {
            std::string k = r.str(k_key_bytes_max);
            state_[std::move(k)] = r.i64();
        }
        if (!r.done() || state_.size() != n) {
            state_.clear();
            return false;
        }
        return true;
    }
    void clear() override { state_.clear(); }
    std::map<std::string, int64_t> view() const override { return state_; }

  protected:
    std::map<std::string, int64_t> state_;
};

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
        char pos[24];
        std::snprintf(pos, sizeof pos, "%012llu",
                      static_cast<unsigned long long>(e.global_position));
        state_[account + "@" + pos] = signed_amount(le);
        // Keep the newest k_recent entries: drop the lowest position while there are more.
        const std::string lo = account + "@", hi = account + "@~";
        auto first = state_.lower_bound(lo);
        size_t n = 0;
        for (auto it = first; it != state_.end() && it->first < hi; ++it) ++n;
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
        if (le.type == EventType::transfer_debited) ++state_["completed"];
    }
};

}  // namespace

bool system_stream(const std::string& stream) {
    return !stream.empty() && stream[0] == '$';
}

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

}  // namespace stormlog::system::projections
