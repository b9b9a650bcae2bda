#pragma once
// Time series of one run on simulated time, in fixed-width buckets: client operations per bucket
// (by outcome, with a coarse latency histogram) and sampled gauges (the last value seen in each
// bucket). Memory is bounded whatever the run's length: when a sample falls past the last of
// `max_buckets`, the width doubles and neighbouring buckets merge, so a 24-hour run keeps as many
// buckets as a 2-minute one, each covering more time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace stormlog::system::monitoring {

enum class OpOutcome : uint8_t { ok, fail, unknown };

// Latencies in microseconds, counted in slots of 1/8 of a power of two (a reported percentile is
// at most 9% above the true one): enough for a chart, and small enough (about 1 KiB) to keep one
// per bucket. Values past ~19 hours share the last slot.
class CoarseHistogram {
  public:
    static constexpr int k_exact = 8;       // 0..7 us counted exactly
    static constexpr int k_per_octave = 8;  // slots per power of two above
    static constexpr int k_octaves = 33;    // 2^3 .. 2^36 us
    static constexpr size_t k_slots = k_exact + k_per_octave * k_octaves;

    void record(int64_t micros);
    void merge(const CoarseHistogram& other);
    uint64_t count() const { return count_; }
    // Nearest-rank percentile, as its slot's upper bound (never above the largest value seen).
    // 0 while empty. REQUIRES: 0 <= p <= 100.
    int64_t percentile(double p) const;

  private:
    static size_t slot_of(int64_t micros);
    static int64_t slot_highest(size_t slot);

    std::array<uint32_t, k_slots> counts_{};
    uint64_t count_ = 0;
    int64_t max_ = 0;
};

class Series {
  public:
    struct Bucket {
        uint32_t ok = 0;
        uint32_t fail = 0;
        uint32_t unknown = 0;
        CoarseHistogram latency;
    };

    // REQUIRES: width > 0, max_buckets >= 2.
    explicit Series(sim::Duration width = sim::Duration::millis(100), size_t max_buckets = 1000);

    // A client operation that started at `start` and ended at `end` (counted in end's bucket).
    void op(sim::Time start, sim::Time end, OpOutcome outcome);
    // The gauge of that name, created on first use (its samples before then read as unset).
    size_t gauge(const std::string& name);
    // REQUIRES: id came from gauge(); v is not NaN.
    void sample(size_t id, sim::Time at, double v);
    // Makes the buckets reach `end` (the run's end), so every series spans the whole run.
    void extend_to(sim::Time end);

    sim::Duration width() const { return width_; }
    const std::vector<Bucket>& buckets() const { return buckets_; }
    size_t gauges() const { return gauges_.size(); }
    const std::string& gauge_name(size_t id) const { return gauges_.at(id).name; }
    // The last sample in each bucket (NaN: none in it), parallel to buckets().
    const std::vector<double>& gauge_values(size_t id) const { return gauges_.at(id).last; }

  private:
    struct Gauge {
        std::string name;
        std::vector<double> last;
    };

    size_t bucket_at(sim::Time t);
    void coarsen();

    sim::Duration width_;
    size_t max_buckets_;
    std::vector<Bucket> buckets_;
    std::vector<Gauge> gauges_;
};

}  // namespace stormlog::system::monitoring
