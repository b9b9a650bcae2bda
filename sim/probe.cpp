#include "sim/probe.hpp"

#include <algorithm>

#include "sim/simulation.hpp"

namespace stormlog::sim {

void ProbeHits::hit(const Probe& p) {
    // By address first: a probe is one static object, so a repeat hit costs no string compare.
    for (auto& [probe, count] : hits_) {
        if (probe == &p) {
            ++count;
            return;
        }
    }
    // Then by name: another object of the same name counts as the same probe.
    for (auto& [probe, count] : hits_) {
        if (probe->name == p.name) {
            ++count;
            return;
        }
    }
    hits_.emplace_back(&p, 1);
}

uint64_t ProbeHits::count(std::string_view name) const {
    for (const auto& [probe, count] : hits_) {
        if (probe->name == name) return count;
    }
    return 0;
}

std::vector<std::pair<std::string, uint64_t>> ProbeHits::sorted() const {
    std::vector<std::pair<std::string, uint64_t>> out;
    out.reserve(hits_.size());
    for (const auto& [probe, count] : hits_) out.emplace_back(std::string(probe->name), count);
    std::sort(out.begin(), out.end());
    return out;
}

void probe_hit(const Probe& p) {
    if (Simulation* sim = Simulation::running()) sim->probe_hits().hit(p);
}

}  // namespace stormlog::sim
