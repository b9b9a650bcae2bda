#pragma once
// A move-only void() callable with inline storage: timers and deferred work store their
// callbacks without touching the heap, which keeps the simulator's hot paths allocation-free.

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "sim/assert.hpp"

namespace stormlog::sim {

class Callback {
  public:
    static constexpr size_t k_capacity_bytes = 64;

    Callback() = default;

    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Callback>>>
    Callback(F&& f) {  // NOLINT: implicit from any callable, like std::function
        using Fn = std::decay_t<F>;
        static_assert(sizeof(Fn) <= k_capacity_bytes,
                      "callback captures too much; capture a pointer or a shared_ptr instead");
        static_assert(alignof(Fn) <= alignof(std::max_align_t));
        static_assert(std::is_nothrow_move_constructible_v<Fn>);
        new (storage_) Fn(std::forward<F>(f));
        ops_ = &ops_for<Fn>;
    }

    Callback(Callback&& other) noexcept { take(other); }
    Callback& operator=(Callback&& other) noexcept {
        if (this != &other) {
            reset();
            take(other);
        }
        return *this;
    }
    Callback(const Callback&) = delete;
    Callback& operator=(const Callback&) = delete;
    ~Callback() { reset(); }

    explicit operator bool() const { return ops_ != nullptr; }

    void operator()() {
        SL_ASSERT_FATAL(ops_);
        ops_->call(storage_);
    }

    void reset() {
        if (ops_) {
            ops_->destroy(storage_);
            ops_ = nullptr;
        }
    }

  private:
    struct Ops {
        void (*call)(void*);
        void (*move)(void* dst, void* src);
        void (*destroy)(void*);
    };

    template <class Fn>
    static constexpr Ops ops_for = {
        [](void* p) { (*static_cast<Fn*>(p))(); },
        [](void* dst, void* src) {
            new (dst) Fn(std::move(*static_cast<Fn*>(src)));
            static_cast<Fn*>(src)->~Fn();
        },
        [](void* p) { static_cast<Fn*>(p)->~Fn(); },
    };

    void take(Callback& other) {
        if (other.ops_) {
            other.ops_->move(storage_, other.storage_);
            ops_ = other.ops_;
            other.ops_ = nullptr;
        }
    }

    alignas(std::max_align_t) unsigned char storage_[k_capacity_bytes];
    const Ops* ops_ = nullptr;
};

}  // namespace stormlog::sim
