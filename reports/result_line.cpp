#include "reports/result_line.hpp"

#include <fmt/format.h>

namespace stormlog::reports {

std::string result_line(const workloads::RunResult& r, double wall_seconds) {
    return fmt::format(
        "RESULT scenario={} seed={} verdict={} hash={:016x} sim_time={:.6f} events={} wall={:.3f}",
        r.scenario, r.seed, r.pass ? "pass" : "fail", r.hash, r.sim_time.seconds_f(), r.events,
        wall_seconds);
}

std::string failure_line(const sim::Failure& f) {
    return fmt::format("FAIL property={} at={:.6f}s node={}: {}", f.property, f.at.seconds_f(),
                       f.node, f.message);
}

}  // namespace stormlog::reports
