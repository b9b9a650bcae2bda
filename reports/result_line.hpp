#pragma once
// The lines a run ends with. The RESULT line's format is a contract with scripts and CI:
// RESULT scenario=<name> seed=<n> verdict=<pass|fail> hash=<16 hex> sim_time=<s> events=<n>
// wall=<s>

#include <string>

#include "workloads/run_result.hpp"

namespace stormlog::reports {

std::string result_line(const workloads::RunResult& r, double wall_seconds);
// "FAIL property=<name> at=<seconds> node=<node>: <evidence>"
std::string failure_line(const sim::Failure& f);

}  // namespace stormlog::reports
