#pragma once
// Sometimes-probes of the ledger service (sim/probe.hpp): optimistic-concurrency conflicts retried,
// lost outcomes found committed, refused overdrafts, failing fast and degraded reads while the
// store is out of reach, and transfers the completer had to finish - the moments where a ledger
// creates or loses money if its handling is wrong. Counting never changes what the service does.

#include <array>

#include "sim/probe_list.hpp"

namespace stormlog::system::ledger::probes {

inline constexpr sim::Probe conflict_retry_succeeded{
    "ledger.conflict_retry_succeeded",
    "a command refused with WrongExpectedVersion reads again, decides again and succeeds"};
inline constexpr sim::Probe conflicts_exhausted{
    "ledger.conflicts_exhausted",
    "a command meets WrongExpectedVersion until its retry policy gives up: conflict"};
inline constexpr sim::Probe indeterminate_found_committed{
    "ledger.indeterminate_found_committed",
    "an append whose outcome was lost (indeterminate) is found in the stream on the next read"};
inline constexpr sim::Probe indeterminate_replayed{
    "ledger.indeterminate_replayed",
    "the retry of an append whose outcome was lost is answered as an idempotent replay: the lost "
    "one committed"};
inline constexpr sim::Probe overdraft_refused{
    "ledger.overdraft_refused",
    "a withdrawal or transfer is refused: the balance read does not cover it"};
inline constexpr sim::Probe breaker_fail_fast{
    "ledger.breaker_fail_fast",
    "the service's circuit breaker refuses a store call: the operation fails fast"};
inline constexpr sim::Probe degraded_balance_served{
    "ledger.degraded_balance_served",
    "the store is out of reach: a balance is answered from the projection, its staleness stated"};
inline constexpr sim::Probe credit_left_to_completer{
    "ledger.credit_left_to_completer",
    "a transfer's debit committed but its credit was not confirmed: the completer must finish it"};
inline constexpr sim::Probe transfer_completed_by_completer{
    "ledger.transfer_completed_by_completer",
    "the transfer completer, not the service, appends a transfer's credit"};

inline constexpr std::array<const sim::Probe*, 9> all{
    &conflict_retry_succeeded, &conflicts_exhausted,      &indeterminate_found_committed,
    &indeterminate_replayed,   &overdraft_refused,        &breaker_fail_fast,
    &degraded_balance_served,  &credit_left_to_completer, &transfer_completed_by_completer,
};

static_assert(sim::distinct_names(all));  // the coverage counts probes by name

}  // namespace stormlog::system::ledger::probes
