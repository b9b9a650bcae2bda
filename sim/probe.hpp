#pragma once
// Sometimes-probes: moments in system code that a suite should reach at least once - a leader
// change with appends in flight, a follower truncating a conflicting suffix, a breaker going from
// half-open back to open. A bug hides behind such a moment; a suite that never reaches it cannot
// find that bug, however many seeds it runs (FoundationDB's CODE_PROBE, Antithesis's "sometimes"
// assertions). Unlike an assertion, a probe that is never hit is no failure of the run: suites
// count, over their runs, which probes were hit, and `suite --require-probes` fails when one a
// scenario declares was never reached.
//
//   SL_PROBE(p)   counts one hit of `p` in the simulation running on this thread; outside a
//                 simulation (a unit test driving a component) it does nothing.
//
// Each area of the system lists its probes once, in its own probes.hpp (system/store/probes.hpp
// and so on): an `inline constexpr Probe` per moment, and `all`, every one of them, so that a
// probe never hit still shows up in the coverage. Counting never touches the trace or any random
// stream: a run's hash is the same whatever its probes count.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stormlog::sim {

// A probe is a static object (`inline constexpr` in a probes.hpp): hits keep its address.
struct Probe {
    std::string_view name;         // "<area>.<moment>", unique across the system
    std::string_view description;  // one line: the moment, in words
};

// The hits of one run. Probes mark rare moments and are few, so a small vector searched linearly
// is enough; after a probe's first hit, counting it again allocates nothing.
class ProbeHits {
  public:
    void hit(const Probe& p);
    uint64_t count(std::string_view name) const;
    // (name, hits) for every probe hit at least once, sorted by name.
    std::vector<std::pair<std::string, uint64_t>> sorted() const;

  private:
    std::vector<std::pair<const Probe*, uint64_t>> hits_;
};

// Counts a hit in the simulation running on this thread, if any.
void probe_hit(const Probe& p);

}  // namespace stormlog::sim

#define SL_PROBE(p) ::stormlog::sim::probe_hit(p)
