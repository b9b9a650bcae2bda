#include "scenarios/incident/field_values.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "sim/time.hpp"

namespace stormlog::scenarios::incident {

std::optional<std::string> text_of(const nlohmann::json& v) {
    if (!v.is_string()) return std::nullopt;
    return v.get<std::string>();
}

std::optional<int64_t> integer_of(const nlohmann::json& v, int64_t min, int64_t max) {
    int64_t n = 0;
    if (v.is_number_integer()) {
        // Unsigned values above INT64_MAX would wrap: refuse them as out of range.
        if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
            return std::nullopt;
        n = v.get<int64_t>();
    } else if (const auto text = text_of(v)) {
        const std::string& s = *text;
        const size_t first = s.starts_with("-") ? 1 : 0;
        // At most 18 digits: the value cannot overflow, and no range here needs more.
        if (s.size() == first || s.size() - first > 18) return std::nullopt;
        for (size_t i = first; i < s.size(); ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            n = n * 10 + (s[i] - '0');
        }
        if (first == 1) n = -n;
    } else {
        return std::nullopt;
    }
    if (n < min || n > max) return std::nullopt;
    return n;
}

std::optional<double> number_of(const nlohmann::json& v, double min, double max) {
    double x = 0;
    if (v.is_number()) {
        x = v.get<double>();
    } else if (const auto text = text_of(v)) {
        // strtod also reads "inf", "nan" and hex; the finiteness check and the digit-first rule
        // keep those out.
        if (text->empty() || !((text->front() >= '0' && text->front() <= '9') ||
                               text->front() == '-' || text->front() == '.'))
            return std::nullopt;
        char* end = nullptr;
        errno = 0;
        x = std::strtod(text->c_str(), &end);
        if (errno != 0 || end != text->c_str() + text->size()) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(x) || x < min || x > max) return std::nullopt;
    return x;
}

std::optional<int64_t> duration_of(const nlohmann::json& v, bool signed_ok) {
    const auto text = text_of(v);
    if (!text) return std::nullopt;
    std::string_view s = *text;
    bool negative = false;
    if (signed_ok && (s.starts_with("-") || s.starts_with("+"))) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    const sim::Result<sim::Duration> d = sim::parse_duration(s);
    if (!d.ok()) return std::nullopt;
    return negative ? -d->ns() : d->ns();
}

}  // namespace stormlog::scenarios::incident
