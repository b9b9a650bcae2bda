#pragma once
// Bulkhead: at most concurrent_max calls at once; the rest wait up to wait_max, or are refused.
//
// Named after a ship's watertight compartments: a slow dependency can tie up only the callers
// admitted to its bulkhead, not every fiber of the process. The limit is the point, so a caller
// that cannot get a slot in time is refused (an unheld Slot) and must handle that, rather than
// queue without bound.
//
// Slots are RAII: a Slot releases on destruction, so a fiber that unwinds (an exception, a crash
// throwing sim::FiberKilled) gives its slot back. A released slot goes straight to the
// longest-waiting caller, so a newcomer cannot overtake the queue. Waiting allocates nothing:
// each waiter lives on its own fiber's stack.

#include <cstdint>
#include <string>

#include "sim/simulation.hpp"
#include "sim/time.hpp"
#include "sim/wait_list.hpp"

namespace stormlog::system::resilience {

struct BulkheadConfig {
    uint32_t concurrent_max = 8;
    sim::Duration wait_max = sim::Duration{};  // 0: refuse at once when every slot is taken
};

// The error names the field and what was expected; empty when the config is valid.
std::string validate(const BulkheadConfig& c);

class Bulkhead {
  public:
    class Slot {
      public:
        Slot() = default;
        Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
        Slot& operator=(Slot&& other) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }

        // False: the call was refused and must not go ahead.
        bool held() const { return owner_ != nullptr; }
        // Gives the slot back before destruction; a no-op if not held.
        void release();

      private:
        friend class Bulkhead;
        explicit Slot(Bulkhead* owner) : owner_(owner) {}
        Bulkhead* owner_ = nullptr;
    };

    // REQUIRES: validate(config) is empty.
    Bulkhead(sim::Simulation& sim, BulkheadConfig config);
    // REQUIRES: no slot held and no fiber waiting (shut the simulation down first if fibers
    // that use it are still alive, as with sim::Channel).
    ~Bulkhead();
    Bulkhead(const Bulkhead&) = delete;
    Bulkhead& operator=(const Bulkhead&) = delete;

    // A slot at once if one is free; otherwise waits up to wait_max (true simulated time) for
    // one. An unheld Slot means refused. Waiting needs a fiber; throws sim::FiberKilled if the
    // process crashes meanwhile.
    Slot enter();
    // Never waits: a free slot, or refused.
    Slot try_enter();

    uint32_t in_use() const { return in_use_; }
    uint64_t refused() const { return refused_; }
    // Fibers in enter() waiting for a slot (some may have timed out and not yet run).
    size_t waiting() const { return waiting_; }
    const BulkheadConfig& config() const { return config_; }

  private:
    struct Waiter {
        sim::WaitToken token;
        bool granted = false;  // a released slot was handed to this waiter
        Waiter* prev = nullptr;
        Waiter* next = nullptr;
        bool linked = false;
    };

    Slot refuse();
    void release_one();

    sim::Simulation* sim_;
    BulkheadConfig config_;
    uint32_t in_use_ = 0;
    uint64_t refused_ = 0;
    size_t waiting_ = 0;
    sim::WaitList<Waiter> waiters_;
};

}  // namespace stormlog::system::resilience
