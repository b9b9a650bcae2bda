#pragma once
// Whether waits drawn with full jitter look like it: each wait divided by its ceiling should be
// uniform on [0, 1]. Waits are grouped by retry number (the policy's ceiling grows with it), and
// a group of at least k_samples_min waits must have its mean within k_sigmas standard errors of
// 1/2 (a uniform on [0, 1] has standard deviation 1/sqrt(12)). A client that retries at once,
// never grows its ceiling, or waits the whole ceiling without jitter moves the mean far off; a
// correct one fails a group about once in 1.7 million (5 standard errors, two-sided). And since a
// draw from a ceiling of a microsecond or more is exactly zero with a chance of one in a
// thousand nanoseconds or less, k_zero_waits_max zero waits say "no wait at all" with far fewer
// samples than the mean needs.
// Used by client.backoff (properties/store) and retry.backoff (properties/resilience).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/time.hpp"

namespace stormlog::properties {

class JitterTest {
  public:
    static constexpr uint64_t k_samples_min = 30;
    static constexpr double k_sigmas = 5.0;
    static constexpr size_t k_groups = 6;  // retry numbers 1..5, and 6 or later pooled
    static constexpr uint64_t k_zero_waits_max = 3;

    // The ceiling a policy puts on the wait after the `retry`-th failure (1-based):
    // min(cap, base * multiplier^(retry-1)), grown step by step in floating point - the checkers'
    // own arithmetic, not the code they judge.
    static sim::Duration ceiling(sim::Duration base, double multiplier, sim::Duration cap,
                                 uint64_t retry) {
        const double top = static_cast<double>(cap.ns());
        double c = static_cast<double>(base.ns());
        for (uint64_t k = 1; k < retry && c < top; ++k) c *= multiplier;
        return sim::Duration::nanos(static_cast<int64_t>(std::min(c, top)));
    }

    // The wait after the `retry`-th failure (1-based), and the ceiling the policy puts on it.
    void add(uint64_t retry, sim::Duration wait, sim::Duration ceiling) {
        if (ceiling.ns() <= 0) return;  // nothing to draw from: any wait is the only one
        if (wait.ns() == 0 && ceiling >= sim::Duration::micros(1)) ++zeros_;
        Group& g = groups_[std::min<uint64_t>(std::max<uint64_t>(retry, 1), k_groups) - 1];
        ++g.n;
        g.sum += std::min(1.0, static_cast<double>(wait.ns()) / static_cast<double>(ceiling.ns()));
    }

    uint64_t samples() const {
        uint64_t n = 0;
        for (const Group& g : groups_) n += g.n;
        return n;
    }

    // Why the waits do not look jittered, or nullopt.
    std::optional<std::string> verdict() const {
        if (zeros_ >= k_zero_waits_max) {
            return std::to_string(zeros_) + " of " + std::to_string(samples()) +
                   " waits were zero, each drawn from a ceiling of a microsecond or more: it "
                   "retries at once";
        }
        for (size_t k = 0; k < groups_.size(); ++k) {
            const Group& g = groups_[k];
            if (g.n < k_samples_min) continue;
            const double mean = g.sum / static_cast<double>(g.n);
            const double error = 1.0 / std::sqrt(12.0 * static_cast<double>(g.n));
            if (std::abs(mean - 0.5) <= k_sigmas * error) continue;
            return "the " + std::to_string(g.n) + " waits after failure " + std::to_string(k + 1) +
                   (k + 1 == groups_.size() ? " or later" : "") + " averaged " +
                   std::to_string(mean) + " of their ceiling (full jitter averages 0.5; " +
                   std::to_string(k_sigmas) + " standard errors is " +
                   std::to_string(k_sigmas * error) +
                   "): " + (mean < 0.5 ? "it retries too soon" : "its waits are not jittered");
        }
        return std::nullopt;
    }

  private:
    struct Group {
        uint64_t n = 0;
        double sum = 0;  // of wait / ceiling, each at most 1
    };
    std::array<Group, k_groups> groups_{};
    uint64_t zeros_ = 0;
};

}  // namespace stormlog::properties
