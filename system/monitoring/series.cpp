#include "system/monitoring/series.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "sim/assert.hpp"

namespace stormlog::system::monitoring {

size_t CoarseHistogram::slot_of(int64_t micros) {
    if (micros < k_exact) return static_cast<size_t>(std::max<int64_t>(micros, 0));
    const int octave = std::bit_width(static_cast<uint64_t>(micros)) - 1;  // >= 3
    if (octave >= 3 + k_octaves) return k_slots - 1;
    const int sub = static_cast<int>((micros >> (octave - 3)) & (k_per_octave - 1));
    return static_cast<size_t>(k_exact + (octave - 3) * k_per_octave + sub);
}

int64_t CoarseHistogram::slot_highest(size_t slot) {
    if (slot < static_cast<size_t>(k_exact)) return static_cast<int64_t>(slot);
    const size_t above = slot - k_exact;
    const int octave = 3 + static_cast<int>(above / k_per_octave);
    const int64_t sub = static_cast<int64_t>(above % k_per_octave);
    const int64_t step = int64_t{1} << (octave - 3);
    return (int64_t{1} << octave) + (sub + 1) * step - 1;
}

void CoarseHistogram::record(int64_t micros) {
    SL_ASSERT(micros >= 0);
    ++counts_[slot_of(micros)];
    ++count_;
    max_ = std::max(max_, micros);
}

void CoarseHistogram::merge(const CoarseHistogram& other) {
    for (size_t i = 0; i < k_slots; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
}

int64_t CoarseHistogram::percentile(double p) const {
    SL_ASSERT(p >= 0 && p <= 100);
    if (count_ == 0) return 0;
    const uint64_t rank = std::max<uint64_t>(
        1, static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_))));
    uint64_t seen = 0;
    for (size_t i = 0; i < k_slots; ++i) {
        seen += counts_[i];
        // The last slot holds everything past its range: only max_ bounds it.
        if (seen >= rank) return i + 1 == k_slots ? max_ : std::min(slot_highest(i), max_);
    }
    SL_ASSERT(false);  // the counts add up to count_ >= rank
    return max_;
}

Series::Series(sim::Duration width, size_t max_buckets) : width_(width), max_buckets_(max_buckets) {
    SL_ASSERT(width.ns() > 0 && max_buckets >= 2);
}

size_t Series::bucket_at(sim::Time t) {
    SL_ASSERT(t >= sim::Time::zero());
    while (static_cast<uint64_t>(t.ns() / width_.ns()) >= max_buckets_) coarsen();
    const size_t i = static_cast<size_t>(t.ns() / width_.ns());
    if (i >= buckets_.size()) {
        buckets_.resize(i + 1);
        for (Gauge& g : gauges_) g.last.resize(i + 1, std::numeric_limits<double>::quiet_NaN());
    }
    return i;
}

// Doubles the width: bucket i takes what buckets 2i and 2i+1 held; a gauge keeps the later sample.
void Series::coarsen() {
    width_ = width_ * 2;
    const size_t n = (buckets_.size() + 1) / 2;
    for (size_t i = 0; i < n; ++i) {
        Bucket merged = buckets_[2 * i];
        if (2 * i + 1 < buckets_.size()) {
            const Bucket& b = buckets_[2 * i + 1];
            merged.ok += b.ok;
            merged.fail += b.fail;
            merged.unknown += b.unknown;
            merged.latency.merge(b.latency);
        }
        buckets_[i] = merged;
    }
    buckets_.resize(n);
    for (Gauge& g : gauges_) {
        for (size_t i = 0; i < n; ++i) {
            const double later = 2 * i + 1 < g.last.size() ? g.last[2 * i + 1] : NAN;
            g.last[i] = std::isnan(later) ? g.last[2 * i] : later;
        }
        g.last.resize(n);
    }
}

void Series::op(sim::Time start, sim::Time end, OpOutcome outcome) {
    SL_ASSERT(start <= end);
    Bucket& b = buckets_[bucket_at(end)];
    switch (outcome) {
        case OpOutcome::ok:
            ++b.ok;
            break;
        case OpOutcome::fail:
            ++b.fail;
            break;
        case OpOutcome::unknown:
            ++b.unknown;
            break;
    }
    b.latency.record((end - start).ns() / 1000);
}

size_t Series::gauge(const std::string& name) {
    for (size_t i = 0; i < gauges_.size(); ++i) {
        if (gauges_[i].name == name) return i;
    }
    gauges_.push_back(Gauge{
        name, std::vector<double>(buckets_.size(), std::numeric_limits<double>::quiet_NaN())});
    return gauges_.size() - 1;
}

void Series::sample(size_t id, sim::Time at, double v) {
    SL_ASSERT(!std::isnan(v));
    const size_t i = bucket_at(at);
    gauges_.at(id).last[i] = v;
}

void Series::extend_to(sim::Time end) {
    // The bucket holding `end` exists only if some sample can land there; a run ending exactly on
    // a bucket boundary does not need the next one.
    if (end > sim::Time::zero()) bucket_at(end - sim::Duration::nanos(1));
}

}  // namespace stormlog::system::monitoring
