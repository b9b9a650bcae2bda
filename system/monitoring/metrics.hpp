#pragma once
// Metrics of one run: counters, gauges and histograms on simulated time.
//
// A Metrics registry hangs off the run (never global: runs in one process must not share
// metrics). Components look a metric up once by name and keep the reference; updating it is a
// plain store - no lookup, no allocation - so instrumenting a hot path costs nothing measurable.
// What a gauge remembers (value, max, when it last changed) is what the alert rules and the
// report need; no time series is kept.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/time.hpp"
#include "system/monitoring/histogram.hpp"

namespace stormlog::system::monitoring {

// A monotonically increasing count (appends, retries, rejected calls).
class Counter {
  public:
    void add(uint64_t n = 1) { value_ += n; }
    uint64_t value() const { return value_; }

  private:
    uint64_t value_ = 0;
};

// A level that goes up and down (projection lag, queue depth, open breakers, has-leader).
class Gauge {
  public:
    // `at` is when the value was observed: pass the simulation's true time, not a node's local
    // clock, which faults may skew or jump backwards. Setting the value it already has is not a
    // change and keeps changed_at(). REQUIRES: v is not NaN.
    void set(sim::Time at, double v);

    // False until the first set(): alert rules treat a never-set gauge as missing, because a
    // default 0 would look like a real observation (e.g. "0 leaders").
    bool has_value() const { return has_value_; }
    double value() const { return value_; }
    // The largest value ever set; 0 until the first set().
    double max() const { return max_; }
    sim::Time changed_at() const { return changed_at_; }

  private:
    bool has_value_ = false;
    double value_ = 0;
    double max_ = 0;
    sim::Time changed_at_;
};

class Metrics {
  public:
    // The metric of that kind and name, created on first use. The reference stays valid for the
    // registry's lifetime. REQUIRES: name is non-empty and has no whitespace (describe() lines
    // are space-separated).
    Counter& counter(const std::string& name);
    Gauge& gauge(const std::string& name);
    Histogram& histogram(const std::string& name);

    // nullptr when no metric of that kind has that name.
    const Counter* find_counter(const std::string& name) const;
    const Gauge* find_gauge(const std::string& name) const;
    const Histogram* find_histogram(const std::string& name) const;

    // One line per metric, sorted by name (then kind: counter, gauge, histogram), identical for
    // identical runs:
    //   counter <name> <value>
    //   gauge <name> value=<v> max=<m> changed_at=<duration since zero>   ("unset" if never set)
    //   histogram <name> count=<n> min=<v> p50=<v> p90=<v> p99=<v> max=<v> mean=<v>
    std::vector<std::string> describe() const;

  private:
    // std::map: node-based, so references survive later insertions; ordered, so describe() is
    // deterministic without sorting.
    std::map<std::string, Counter, std::less<>> counters_;
    std::map<std::string, Gauge, std::less<>> gauges_;
    std::map<std::string, Histogram, std::less<>> histograms_;
};

}  // namespace stormlog::system::monitoring
