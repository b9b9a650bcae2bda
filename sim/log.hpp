#pragma once
// Loggers of the simulated world: spdlog, with the simulated time at the start of every line.
// Loggers are never registered globally (a run owns its loggers). A disabled level costs one
// comparison: spdlog checks the level before formatting anything.

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace stormlog::sim {

class Simulation;

// "[12.000150000s] [n1] info: message"
std::shared_ptr<spdlog::logger> make_sim_logger(const Simulation& sim, const std::string& name,
                                                std::shared_ptr<spdlog::sinks::sink> sink,
                                                int level);

}  // namespace stormlog::sim
