#pragma once
// The ledger workload's fixed deployment: its projections, the operations its workers issue, the
// breakers' settings and the nodes it adds beside the store cluster. Internal to the workload.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "sim/time.hpp"
#include "system/resilience/bounded_queue.hpp"
#include "system/resilience/circuit_breaker.hpp"
#include "workloads/ledger/workload.hpp"

namespace stormlog::workloads::ledger {

using sim::Duration;
using sim::NodeId;
using sim::Time;
using system::resilience::OverflowPolicy;

// What a projection does beside folding its model.
enum class Effect : uint8_t { none, notify, complete };

struct ProjectionSpec {
    const char* name;
    const char* kind;  // its read model (system/ledger/read_models.hpp)
    OverflowPolicy overflow;
    size_t capacity, high, low;
    Effect effect;
};

// The projections every ledger run deploys, in node order.
inline constexpr ProjectionSpec k_projections[] = {
    {"balances", "balances", OverflowPolicy::block, 64, 48, 16, Effect::none},
    {"account-history", "account-history", OverflowPolicy::block, 64, 48, 16, Effect::notify},
    {"totals", "totals", OverflowPolicy::reject, 32, 24, 8, Effect::none},
    {"transfers", "transfers", OverflowPolicy::block, 64, 48, 16, Effect::complete},
};
inline constexpr size_t k_projection_count = std::size(k_projections);
inline constexpr size_t k_balances = 0;  // the projection degraded reads come from
static_assert(k_projections[k_balances].effect == Effect::none);

enum Op : uint8_t { op_open, op_deposit, op_withdraw, op_transfer, op_balance, op_count };
inline const char* const k_op_names[op_count] = {"open", "deposit", "withdraw", "transfer",
                                                 "balance"};
inline constexpr size_t k_status_count = 5;  // LedgerStatus values

inline const Duration k_sample_every = Duration::millis(100);
inline const Duration k_drain = Duration::seconds(1);  // workers stop this long before the end
inline const Duration k_notify_timeout = Duration::millis(100);  // account-history's time limit
inline constexpr const char* k_latency_metric = "ledger.latency_us";

// The nodes the workload adds after the cluster's: workers w1..wK, the feeder, p-<projection>.
std::vector<std::string> node_names(const Scenario& s);
system::resilience::BreakerConfig store_breaker_config(const LedgerBugs& bugs);
system::resilience::BreakerConfig notifier_breaker_config(const LedgerBugs& bugs);

// Overlapping crash faults on one process: it goes down with the first, up with the last heal.
void crash_counted(sim::Simulation& sim, sim::Process& p, int& active, bool heal);

}  // namespace stormlog::workloads::ledger
