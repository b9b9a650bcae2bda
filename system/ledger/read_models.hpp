#pragma once
// The ledger's read models: what its projections fold the all-stream into. Each is a commutative
// fold of the set of events it has applied (sums, counts, the newest entries by global position),
// as the projection runner requires; the projection.consistent checker folds the log
// independently and compares. An event that is not a ledger event of an account stream throws
// HandlerError (the runner retries, then parks it); system streams are skipped.

#include <memory>
#include <string>
#include <vector>

#include "system/projections/read_model.hpp"

namespace stormlog::system::ledger {

// kind: "balances"         account -> balance
//       "account-history"  account.count, and the newest entries as account@position -> amount
//       "totals"           accounts, deposited, withdrawn, in_flight, transfers_debited/credited
//       "transfers"        started (debited) and completed (credited) transfers
// Null for any other kind.
std::unique_ptr<projections::ReadModel> make_read_model(const std::string& kind);
const std::vector<std::string>& read_model_kinds();

}  // namespace stormlog::system::ledger
