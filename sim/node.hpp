#pragma once
// Nodes and processes. A node is a simulated machine: a name, a clock, an RNG stream, a logger and
// processes (later also a disk and a network address). A process is a group of fibers started from
// one entry function; crashing it unwinds all its fibers, restarting it runs the entry again.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/callback.hpp"
#include "sim/clock.hpp"
#include "sim/rng.hpp"

namespace spdlog {
class logger;
}

namespace stormlog::sim {

class Env;
class Simulation;
struct Fiber;

using NodeId = uint32_t;
// The entry gets the process's own Env, which lives as long as the process: fibers it spawns may
// capture it by reference.
using ProcessEntry = std::function<void(Env&)>;

class Node;

class Process {
  public:
    enum class State : uint8_t { created, running, crashed };

    const std::string& name() const { return name_; }
    Node& node() const { return *node_; }
    State state() const { return state_; }
    bool paused() const { return paused_; }
    // 0 before the first start; +1 at each start (so a restarted process has a new incarnation).
    uint64_t incarnation() const { return incarnation_; }
    size_t live_fibers() const { return fibers_.size(); }
    Env& env() const { return *env_; }

    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

  private:
    friend class Simulation;
    friend class Env;
    Process(Node* node, std::string name, ProcessEntry entry, Rng rng_base);

    Node* node_;
    std::string name_;
    ProcessEntry entry_;
    std::unique_ptr<Env> env_;  // set by Simulation::add_process
    Rng rng_base_;  // this process's stream family; each incarnation forks its own stream
    Rng rng_;
    State state_ = State::created;
    bool paused_ = false;
    bool restart_pending_ = false;
    uint64_t incarnation_ = 0;
    std::vector<Fiber*> fibers_;      // live fibers, in spawn order
    std::vector<Fiber*> parked_;      // made ready while paused, in wake order
    std::vector<Callback> deferred_;  // timer callbacks that came due while paused
};

class Node {
  public:
    NodeId id() const { return id_; }
    const std::string& name() const { return name_; }
    Clock& clock() { return clock_; }
    const Clock& clock() const { return clock_; }
    Rng& rng() { return rng_; }
    spdlog::logger& log() const { return *logger_; }
    const std::vector<std::unique_ptr<Process>>& processes() const { return processes_; }
    Process* find_process(const std::string& name) const;

  private:
    friend class Simulation;
    Node(NodeId id, std::string name, Rng rng) : id_(id), name_(std::move(name)), rng_(rng) {}

    NodeId id_;
    std::string name_;
    Clock clock_;
    Rng rng_;
    std::shared_ptr<spdlog::logger> logger_;
    std::vector<std::unique_ptr<Process>> processes_;
};

}  // namespace stormlog::sim
