#pragma once
// Read models: what a projection folds the all-stream into. The runner needs them to be
// commutative folds of the set of events applied (sums, counts, the newest entries by global
// position), so that an event parked and later replayed out of order leaves the same state as if
// it had come in order. The application's models live with the application (the ledger's in
// system/ledger/read_models.hpp); this file holds the interface and a flat state they share.
//
// apply() decodes before it changes anything: an event it cannot handle throws HandlerError
// and leaves the state as it was (the runner retries, then parks it).

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "system/store/event_store.hpp"

namespace stormlog::system::projections {

class HandlerError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Events of system streams ("$parked-...", "$probe") are the store's and the runners', not the
// application's: models skip them.
bool system_stream(const std::string& stream);

class ReadModel {
  public:
    virtual ~ReadModel() = default;
    virtual std::string kind() const = 0;
    virtual void apply(const store::RecordedEvent& e) = 0;
    virtual void clear() = 0;
    virtual std::vector<uint8_t> encode() const = 0;
    // Replaces the state with the one `bytes` encodes; false (state cleared) if they do not.
    virtual bool decode(std::span<const uint8_t> bytes) = 0;
    using View = std::map<std::string, int64_t>;
    // The state as flat name -> value pairs, for the checkers and for queries.
    virtual View view() const = 0;
    // The same pairs without a copy, for the checkers, which read them after every checkpoint: a
    // model that keeps its state as such a map returns that map itself; any other builds its view
    // into `scratch` and returns it. The result lives as long as the model is unchanged (and
    // `scratch` lives).
    virtual const View& view_ref(View& scratch) const {
        scratch = view();
        return scratch;
    }
};

// A model whose state is sorted name -> value pairs: one encoding, one view, for every model that
// is a set of sums and counts.
class FlatModel : public ReadModel {
  public:
    std::vector<uint8_t> encode() const override;
    bool decode(std::span<const uint8_t> bytes) override;
    void clear() override { state_.clear(); }
    View view() const override { return state_; }
    const View& view_ref(View&) const override { return state_; }

    // Bounds on a decoded state: more keys, or a longer key, is damage, not a state.
    static constexpr uint32_t k_keys_max = 1 << 20;
    static constexpr uint32_t k_key_bytes_max = 512;

  protected:
    View state_;
};

}  // namespace stormlog::system::projections
