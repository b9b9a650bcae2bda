#pragma once
// Simulated time. Every instant and duration in the simulated world is one of these two strong
// types over int64 nanoseconds; nothing in sim/ or above reads a wall clock.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/result.hpp"

namespace stormlog::sim {

class Duration {
  public:
    constexpr Duration() = default;
    static constexpr Duration nanos(int64_t n) { return Duration(n); }
    static constexpr Duration micros(int64_t n) { return Duration(n * 1'000); }
    static constexpr Duration millis(int64_t n) { return Duration(n * 1'000'000); }
    static constexpr Duration seconds(int64_t n) { return Duration(n * 1'000'000'000); }
    static constexpr Duration minutes(int64_t n) { return Duration(n * 60'000'000'000); }
    static constexpr Duration max() { return Duration(INT64_MAX); }

    constexpr int64_t ns() const { return ns_; }
    constexpr double seconds_f() const { return static_cast<double>(ns_) / 1e9; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
    constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
    constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
    constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
    constexpr Duration& operator+=(Duration o) {
        ns_ += o.ns_;
        return *this;
    }
    constexpr Duration& operator-=(Duration o) {
        ns_ -= o.ns_;
        return *this;
    }

  private:
    constexpr explicit Duration(int64_t ns) : ns_(ns) {}
    int64_t ns_ = 0;
};

// An instant on the simulation's true timeline, or on a node's local clock.
class Time {
  public:
    constexpr Time() = default;
    static constexpr Time from_ns(int64_t ns) { return Time(ns); }
    static constexpr Time zero() { return Time(0); }
    static constexpr Time max() { return Time(INT64_MAX); }

    constexpr int64_t ns() const { return ns_; }
    constexpr double seconds_f() const { return static_cast<double>(ns_) / 1e9; }

    constexpr auto operator<=>(const Time&) const = default;
    constexpr Time operator+(Duration d) const { return Time(saturating_add(ns_, d.ns())); }
    constexpr Time operator-(Duration d) const { return Time(ns_ - d.ns()); }
    constexpr Duration operator-(Time o) const { return Duration::nanos(ns_ - o.ns_); }
    constexpr Time& operator+=(Duration d) {
        ns_ = saturating_add(ns_, d.ns());
        return *this;
    }

  private:
    constexpr explicit Time(int64_t ns) : ns_(ns) {}
    // Deadlines computed as now + Duration::max() must not wrap into the past.
    static constexpr int64_t saturating_add(int64_t a, int64_t b) {
        int64_t r = 0;
        if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
        return r;
    }
    int64_t ns_ = 0;
};

// Parses "300us", "150ms", "1.5s", "2m", "250ns", "1h". A bare number is an error: units are
// never guessed. The error message quotes the text.
Result<Duration> parse_duration(std::string_view text);

// Formats a duration in the largest unit that keeps it short and exact where possible ("1.5s").
std::string format_duration(Duration d);

// Like format_duration, but whole hours and minutes read "24h" and "2m", as people write them
// (messages about scenario files, which say "24h" rather than "86400s").
std::string format_duration_hm(Duration d);

}  // namespace stormlog::sim
