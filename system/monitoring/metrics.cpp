#include "system/monitoring/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>
#include <utility>

#include "sim/assert.hpp"

namespace stormlog::system::monitoring {
namespace {

bool valid_name(const std::string& name) {
    return !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
}

// The name is checked once, when the metric is created: lookups sit on the sampling path.
template <typename Map>
typename Map::mapped_type& get_or_create(Map& map, const std::string& name) {
    const auto [it, created] = map.try_emplace(name);
    if (created) SL_ASSERT(valid_name(name));
    return it->second;
}

template <typename Map>
const typename Map::mapped_type* find(const Map& map, const std::string& name) {
    const auto it = map.find(name);
    return it == map.end() ? nullptr : &it->second;
}

// Shortest round-trip form, independent of the locale, so summaries compare byte for byte.
std::string number(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    SL_ASSERT(r.ec == std::errc());
    return std::string(buf, r.ptr);
}

std::string describe_gauge(const std::string& name, const Gauge& g) {
    std::string line = "gauge " + name;
    if (!g.has_value()) return line + " unset";
    return line + " value=" + number(g.value()) + " max=" + number(g.max()) +
           " changed_at=" + sim::format_duration(g.changed_at() - sim::Time::zero());
}

std::string describe_histogram(const std::string& name, const Histogram& h) {
    const int64_t p50 = h.percentile(50), p90 = h.percentile(90), p99 = h.percentile(99);
    // Nearest-rank percentiles are monotone in p and lie between the extremes.
    SL_ASSERT(h.min() <= p50);
    SL_ASSERT(p50 <= p90);
    SL_ASSERT(p90 <= p99);
    SL_ASSERT(p99 <= h.max());
    return "histogram " + name + " count=" + std::to_string(h.count()) +
           " min=" + std::to_string(h.min()) + " p50=" + std::to_string(p50) +
           " p90=" + std::to_string(p90) + " p99=" + std::to_string(p99) +
           " max=" + std::to_string(h.max()) + " mean=" + number(h.mean());
}

}  // namespace

void Gauge::set(sim::Time at, double v) {
    SL_ASSERT(!std::isnan(v));
    if (has_value_ && v == value_) return;
    max_ = !has_value_ || v > max_ ? v : max_;
    value_ = v;
    changed_at_ = at;
    has_value_ = true;
}

Counter& Metrics::counter(const std::string& name) {
    return get_or_create(counters_, name);
}
Gauge& Metrics::gauge(const std::string& name) {
    return get_or_create(gauges_, name);
}
Histogram& Metrics::histogram(const std::string& name) {
    return get_or_create(histograms_, name);
}

const Counter* Metrics::find_counter(const std::string& name) const {
    return find(counters_, name);
}
const Gauge* Metrics::find_gauge(const std::string& name) const {
    return find(gauges_, name);
}
const Histogram* Metrics::find_histogram(const std::string& name) const {
    return find(histograms_, name);
}

std::vector<std::string> Metrics::describe() const {
    // (name, kind rank, line): a name may be used by more than one kind.
    std::vector<std::tuple<std::string, int, std::string>> rows;
    rows.reserve(counters_.size() + gauges_.size() + histograms_.size());
    for (const auto& [name, c] : counters_)
        rows.emplace_back(name, 0, "counter " + name + " " + std::to_string(c.value()));
    for (const auto& [name, g] : gauges_) rows.emplace_back(name, 1, describe_gauge(name, g));
    for (const auto& [name, h] : histograms_)
        rows.emplace_back(name, 2, describe_histogram(name, h));
    std::sort(rows.begin(), rows.end());
    std::vector<std::string> lines;
    lines.reserve(rows.size());
    for (auto& row : rows) lines.push_back(std::move(std::get<2>(row)));
    return lines;
}

}  // namespace stormlog::system::monitoring
