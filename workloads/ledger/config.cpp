#include "workloads/ledger/config.hpp"

#include "sim/assert.hpp"
#include "sim/simulation.hpp"

namespace stormlog::workloads::ledger {

std::vector<std::string> node_names(const Scenario& s) {
    std::vector<std::string> names;
    for (int c = 0; c < s.workload.clients; ++c) names.push_back("w" + std::to_string(c + 1));
    names.emplace_back("feeder");
    for (const ProjectionSpec& p : k_projections) names.push_back(std::string("p-") + p.name);
    return names;
}

system::resilience::BreakerConfig store_breaker_config(const LedgerBugs& bugs) {
    system::resilience::BreakerConfig c;
    c.window = system::resilience::WindowKind::time;
    c.window_size = 2;  // seconds
    c.minimum_calls = 8;
    c.failure_rate_threshold = 50;
    c.slow_call_rate_threshold = 90;
    c.slow_call_duration = Duration::millis(600);
    c.wait_in_open = Duration::millis(500);
    c.wait_backoff = 2.0;
    c.wait_in_open_max = Duration::seconds(2);
    c.permitted_in_half_open = 2;
    c.bug_half_open_admits_all = bugs.breaker_half_open_admits_all;
    c.bug_ignore_open = bugs.breaker_ignore_open;
    c.bug_count_stale_results = bugs.breaker_count_stale_results;
    return c;
}

system::resilience::BreakerConfig notifier_breaker_config(const LedgerBugs& bugs) {
    system::resilience::BreakerConfig c;
    c.window = system::resilience::WindowKind::count;
    c.window_size = 10;
    c.minimum_calls = 4;
    c.failure_rate_threshold = 50;
    c.slow_call_duration = Duration::millis(80);
    c.wait_in_open = Duration::millis(300);
    c.wait_backoff = 2.0;
    c.wait_in_open_max = Duration::seconds(2);
    c.permitted_in_half_open = 1;
    c.bug_half_open_admits_all = bugs.breaker_half_open_admits_all;
    c.bug_ignore_open = bugs.breaker_ignore_open;
    c.bug_count_stale_results = bugs.breaker_count_stale_results;
    return c;
}

void crash_counted(sim::Simulation& sim, sim::Process& p, int& active, bool heal) {
    SL_ASSERT(active >= 0);
    SL_ASSERT(!heal || active > 0);  // a heal follows its fault's start
    if (!heal && active++ == 0) sim.crash(p);
    if (heal && --active == 0) sim.restart(p);
}

}  // namespace stormlog::workloads::ledger
