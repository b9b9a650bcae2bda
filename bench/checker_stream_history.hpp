#pragma once
// A large synthetic event-store client history, for the checker benchmark.
//
// The simulator's own store workload (`stormlog run ... --history`) does not exist yet, so this
// stands in for it: clients append to and read from a few streams of a sequential in-memory
// store, each operation taking effect at a random moment between its invoke and its
// completion, some appends failing on a stale expected version and some operations timing out
// (info, applied or not). A seeded std::mt19937_64 makes it the same history on every run.
// Being generated from a sequential model, it is linearizable by construction.

#include <cstddef>
#include <cstdint>
#include <string>

namespace stormlog::bench {

struct StreamHistoryShape {
    std::size_t operations = 100'000;
    std::size_t clients = 50;
    std::size_t streams = 10;
    std::uint64_t timeout_per_mille = 20;  // operations that time out (info)
    std::uint64_t seed = 6;
};

// The history as JSON lines (the stream model's values, see model_stream.hpp).
std::string synthetic_stream_history(const StreamHistoryShape& shape);

}  // namespace stormlog::bench
