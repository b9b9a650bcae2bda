#pragma once
// Histogram: latencies and sizes with bounded relative error and fixed memory.
//
// Log-linear buckets in the manner of HdrHistogram: values below 256 are counted exactly; above,
// each power-of-two range [2^k, 2^(k+1)) is split into 128 equal buckets. So a reported value is
// never below the true one and exceeds it by less than 1/128 (0.79%) of it - two significant
// digits. The bucket array is allocated once, at construction (on the heap, so a histogram is
// cheap to keep on a fiber's small stack); record() never allocates.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/int128.hpp"

namespace stormlog::system::monitoring {

class Histogram {
  public:
    // Exact below k_exact_limit; k_sub_buckets per power of two above it.
    static constexpr int64_t k_exact_limit = 256;
    static constexpr int64_t k_sub_buckets = 128;

    Histogram();

    // REQUIRES: v >= 0 (durations and sizes; a negative one is a caller's bug).
    void record(int64_t v);

    uint64_t count() const { return count_; }
    // 0 while empty.
    int64_t min() const { return count_ == 0 ? 0 : min_; }
    int64_t max() const { return count_ == 0 ? 0 : max_; }
    double mean() const;

    // The nearest-rank percentile: the value of rank max(1, ceil(p / 100 * count)) in sorted
    // order, reported as its bucket's upper bound but never above max(). So percentile(100) ==
    // max() and percentile(0) covers min(). Monotone in p. 0 while empty.
    // REQUIRES: 0 <= p <= 100.
    int64_t percentile(double p) const;

    // The range of values that share v's bucket: what the histogram cannot tell apart from v.
    // REQUIRES: v >= 0.
    static int64_t lowest_equivalent(int64_t v);
    static int64_t highest_equivalent(int64_t v);

  private:
    static size_t bucket_of(int64_t v);
    static int64_t bucket_highest(size_t bucket);

    std::vector<uint64_t> buckets_;
    uint64_t count_ = 0;
    int64_t min_ = 0;
    int64_t max_ = 0;
    // Exact: a run's recorded sum fits easily (2^64 values of at most 2^63 each).
    sim::uint128 sum_ = 0;
};

}  // namespace stormlog::system::monitoring
