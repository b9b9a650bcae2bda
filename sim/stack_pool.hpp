#pragma once
// Fiber stacks: guard-paged (an overflow faults instead of corrupting a neighbour) and recycled,
// because mmap/mprotect per spawn would dominate workloads that spawn a fiber per request.

#include <boost/context/protected_fixedsize_stack.hpp>
#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <memory>
#include <vector>

#include "sim/asan.hpp"

namespace stormlog::sim {

class StackPool {
  public:
    static constexpr size_t k_cached_stacks_max = 1024;

    explicit StackPool(size_t stack_size_bytes) : alloc_(stack_size_bytes) {
        free_.reserve(k_cached_stacks_max);  // so deallocate() never allocates
    }
    StackPool(const StackPool&) = delete;
    StackPool& operator=(const StackPool&) = delete;
    ~StackPool() {
        for (auto& s : free_) alloc_.deallocate(s);
    }

    boost::context::stack_context allocate() {
        boost::context::stack_context s;
        if (free_.empty()) {
            s = alloc_.allocate();
        } else {
            s = free_.back();
            free_.pop_back();
        }
        last_ = StackBounds{static_cast<const char*>(s.sp) - s.size, s.size};
        return s;
    }

    // The stack handed out last (stacks grow down from sp).
    StackBounds last_allocated() const { return last_; }

    void deallocate(boost::context::stack_context& s) noexcept {
        asan_unpoison(static_cast<char*>(s.sp) - s.size, s.size);
        if (free_.size() < k_cached_stacks_max) {
            free_.push_back(s);
        } else {
            alloc_.deallocate(s);
        }
    }

  private:
    boost::context::protected_fixedsize_stack alloc_;
    std::vector<boost::context::stack_context> free_;
    StackBounds last_;
};

// The StackAllocator handed to Boost.Fiber: a copy lives in each fiber's context, and the pool
// outlives every fiber that took a stack from it.
class PooledStack {
  public:
    explicit PooledStack(std::shared_ptr<StackPool> pool) : pool_(std::move(pool)) {}
    boost::context::stack_context allocate() { return pool_->allocate(); }
    void deallocate(boost::context::stack_context& s) noexcept { pool_->deallocate(s); }

  private:
    std::shared_ptr<StackPool> pool_;
};

}  // namespace stormlog::sim
