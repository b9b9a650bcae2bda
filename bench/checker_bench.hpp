#pragma once
// The linearizability checker's benchmark: the shared Knossos and Porcupine corpora and a
// large synthetic event-store history, each checked end to end (read, parse, check).

#include <ostream>

namespace stormlog::bench {

// Prints `BENCH checker.<corpus> ms=<x>` lines. Returns 0, or 1 if a verdict was wrong (a
// benchmark of a broken checker measures nothing).
int run_checker_bench(std::ostream& out);

}  // namespace stormlog::bench
