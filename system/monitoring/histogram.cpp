#include "system/monitoring/histogram.hpp"

#include <bit>
#include <cmath>

#include "sim/assert.hpp"

namespace stormlog::system::monitoring {
namespace {

constexpr int k_sub_bits = 7;  // log2(Histogram::k_sub_buckets)
static_assert(Histogram::k_sub_buckets == int64_t{1} << k_sub_bits);
static_assert(Histogram::k_exact_limit == 2 * Histogram::k_sub_buckets);

// The largest shift: INT64_MAX has its top bit at 62, and a bucket keeps k_sub_bits + 1 bits.
constexpr int k_shift_max = 62 - k_sub_bits;
constexpr size_t k_buckets =
    static_cast<size_t>(Histogram::k_exact_limit + k_shift_max * Histogram::k_sub_buckets);
// INT64_MAX takes the largest shift and the top sub-bucket, so it lands in the last bucket:
// every value >= 0 has a bucket, and none is left unused.
static_assert((INT64_MAX >> k_shift_max) == 2 * Histogram::k_sub_buckets - 1);
static_assert(Histogram::k_exact_limit + (k_shift_max - 1) * Histogram::k_sub_buckets +
                  ((INT64_MAX >> k_shift_max) - Histogram::k_sub_buckets) ==
              static_cast<int64_t>(k_buckets) - 1);

// A value v >= k_exact_limit keeps its top k_sub_bits + 1 bits: v = sub << shift plus a remainder
// the histogram forgets, with sub in [k_sub_buckets, 2 * k_sub_buckets).
int shift_of(int64_t v) {
    return 63 - std::countl_zero(static_cast<uint64_t>(v)) - k_sub_bits;
}

}  // namespace

Histogram::Histogram() : buckets_(k_buckets, 0) {}

size_t Histogram::bucket_of(int64_t v) {
    if (v < k_exact_limit) return static_cast<size_t>(v);
    const int shift = shift_of(v);
    const int64_t sub = v >> shift;
    SL_ASSERT(shift >= 1);
    SL_ASSERT(shift <= k_shift_max);
    SL_ASSERT(sub >= k_sub_buckets);
    SL_ASSERT(sub < 2 * k_sub_buckets);
    return static_cast<size_t>(k_exact_limit + (shift - 1) * k_sub_buckets + (sub - k_sub_buckets));
}

int64_t Histogram::bucket_highest(size_t bucket) {
    SL_ASSERT(bucket < k_buckets);
    const auto b = static_cast<int64_t>(bucket);
    if (b < k_exact_limit) return b;
    const int64_t k = b - k_exact_limit;
    const int shift = static_cast<int>(k / k_sub_buckets) + 1;
    const auto sub = static_cast<uint64_t>(k % k_sub_buckets + k_sub_buckets);
    // Unsigned: the top bucket's end is 2^63, one past INT64_MAX.
    return static_cast<int64_t>(((sub + 1) << shift) - 1);
}

int64_t Histogram::lowest_equivalent(int64_t v) {
    SL_ASSERT(v >= 0);
    if (v < k_exact_limit) return v;
    const int shift = shift_of(v);
    const int64_t lowest = (v >> shift) << shift;
    SL_ASSERT(bucket_of(lowest) == bucket_of(v));  // the same bucket's lower end
    return lowest;
}

int64_t Histogram::highest_equivalent(int64_t v) {
    SL_ASSERT(v >= 0);
    const int64_t highest = bucket_highest(bucket_of(v));
    SL_ASSERT(highest >= v);  // reported values are never below the true one
    return highest;
}

void Histogram::record(int64_t v) {
    SL_ASSERT(v >= 0);
    const size_t b = bucket_of(v);
    SL_ASSERT(b < buckets_.size());
    ++buckets_[b];
    min_ = count_ == 0 || v < min_ ? v : min_;
    max_ = count_ == 0 || v > max_ ? v : max_;
    ++count_;
    sum_ += static_cast<uint64_t>(v);
}

double Histogram::mean() const {
    if (count_ == 0) return 0;
    return static_cast<double>(sum_) / static_cast<double>(count_);
}

int64_t Histogram::percentile(double p) const {
    SL_ASSERT(p >= 0);
    SL_ASSERT(p <= 100);
    if (count_ == 0) return 0;
    const double wanted = std::ceil(p / 100 * static_cast<double>(count_));
    uint64_t rank = wanted < 1 ? 1 : static_cast<uint64_t>(wanted);
    rank = rank > count_ ? count_ : rank;
    uint64_t seen = 0;
    for (size_t b = bucket_of(min_); b < buckets_.size(); ++b) {
        seen += buckets_[b];
        if (seen >= rank) {
            const int64_t highest = bucket_highest(b);
            const int64_t value = highest < max_ ? highest : max_;
            // Between the extremes: the bucket holds a value >= min, and its end is >= that.
            SL_ASSERT(value >= min_);
            return value;
        }
    }
    SL_ASSERT(false && "the buckets hold count() values");
    return max_;
}

}  // namespace stormlog::system::monitoring
