#pragma once
// Errors a user can cause are values, not exceptions: Result<T> holds a T or a message.

#include <string>
#include <utility>
#include <variant>

#include "sim/assert.hpp"

namespace stormlog::sim {

struct Error {
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& {
        SL_ASSERT(ok());
        return std::get<0>(v_);
    }
    T& value() & {
        SL_ASSERT(ok());
        return std::get<0>(v_);
    }
    T&& value() && {
        SL_ASSERT(ok());
        return std::get<0>(std::move(v_));
    }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    const std::string& error() const {
        SL_ASSERT(!ok());
        return std::get<1>(v_).message;
    }

  private:
    std::variant<T, Error> v_;
};

}  // namespace stormlog::sim
