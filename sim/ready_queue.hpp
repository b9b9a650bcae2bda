#pragma once
// FIFO ring buffer of ready fibers. Grows geometrically and never shrinks, so steady-state
// scheduling allocates nothing.

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/assert.hpp"
#include "sim/fiber.hpp"

namespace stormlog::sim {

class ReadyQueue {
  public:
    ReadyQueue() : slots_(64) {}

    bool empty() const { return size_ == 0; }
    size_t size() const { return size_; }

    void push_back(Fiber* f) {
        if (size_ == slots_.size()) grow();
        slots_[(head_ + size_) & (slots_.size() - 1)] = f;
        ++size_;
    }

    Fiber* front() const {
        SL_ASSERT_FATAL(size_ > 0);
        return slots_[head_];
    }

    Fiber* pop_front() {
        SL_ASSERT_FATAL(size_ > 0);
        Fiber* f = slots_[head_];
        head_ = (head_ + 1) & (slots_.size() - 1);
        --size_;
        return f;
    }

    // Scheduling fuzz: bring the i-th ready fiber to the front.
    void swap_to_front(size_t i) {
        SL_ASSERT_FATAL(i < size_);
        std::swap(slots_[head_], slots_[(head_ + i) & (slots_.size() - 1)]);
    }

  private:
    void grow() {
        std::vector<Fiber*> bigger(slots_.size() * 2);
        for (size_t i = 0; i < size_; ++i) bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
        slots_.swap(bigger);
        head_ = 0;
    }

    std::vector<Fiber*> slots_;  // size is a power of two
    size_t head_ = 0;
    size_t size_ = 0;
};

}  // namespace stormlog::sim
