#pragma once
// An intrusive FIFO of waiters. Each waiter lives on the stack of the fiber that waits, so
// waiting allocates nothing; the waiter unlinks itself if it stops waiting (timeout, crash).

#include "sim/assert.hpp"

namespace stormlog::sim {

template <class W>  // W has members `W* prev; W* next; bool linked;`
class WaitList {
  public:
    bool empty() const { return head_ == nullptr; }

    void push_back(W* w) {
        SL_ASSERT_FATAL(!w->linked);
        w->prev = tail_;
        w->next = nullptr;
        if (tail_) {
            tail_->next = w;
        } else {
            head_ = w;
        }
        tail_ = w;
        w->linked = true;
    }

    W* pop_front() {
        W* w = head_;
        if (w) remove(w);
        return w;
    }

    void remove(W* w) {
        SL_ASSERT_FATAL(w->linked);
        (w->prev ? w->prev->next : head_) = w->next;
        (w->next ? w->next->prev : tail_) = w->prev;
        w->prev = w->next = nullptr;
        w->linked = false;
    }

  private:
    W* head_ = nullptr;
    W* tail_ = nullptr;
};

}  // namespace stormlog::sim
