#pragma once
// Read models: what a projection folds the all-stream into. Each is a commutative fold of the
// set of events it has applied (sums, counts, the newest entries by global position), so an
// event parked and later replayed out of order leaves the same state as if it had come in
// order; the projection.consistent checker folds the log independently and compares.
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

// Events of system streams ("$parked-...", "$probe") are not the ledger's: models skip them.
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
    // The state as flat name -> value pairs, for the checkers and for queries.
    virtual std::map<std::string, int64_t> view() const = 0;
};

// kind: "balances", "account-history", "totals", "transfers" (the transfer completer's count).
std::unique_ptr<ReadModel> make_read_model(const std::string& kind);
const std::vector<std::string>& read_model_kinds();

}  // namespace stormlog::system::projections
