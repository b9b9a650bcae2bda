#pragma once
// Errors a user can cause by feeding a bad history are values: which line, what was wrong.
// Parsed<T> holds either a T or such an error; callers report it and give no verdict.

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

#include "sim/assert.hpp"

namespace stormlog::properties::linearizability {

struct InputError {
    std::size_t line = 0;  // 1-based; 0 when the error is about the whole input
    std::string what;
};

template <class T>
class [[nodiscard]] Parsed {
  public:
    Parsed(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
    Parsed(InputError error) : v_(std::move(error)) {}  // NOLINT

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

    const InputError& error() const {
        SL_ASSERT(!ok());
        return std::get<1>(v_);
    }

  private:
    std::variant<T, InputError> v_;
};

}  // namespace stormlog::properties::linearizability
