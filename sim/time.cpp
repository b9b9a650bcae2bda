#include "sim/time.hpp"

#include <cmath>
#include <cstdio>

#include "sim/int128.hpp"

namespace stormlog::sim {
namespace {

struct Unit {
    std::string_view suffix;
    int64_t ns;
};

// Longest suffixes first so that "ms" is not read as "m" followed by junk.
constexpr Unit k_units[] = {
    {"ns", 1},
    {"us", 1'000},
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

Error duration_error(std::string_view text) {
    return Error{
        "expected a duration like \"150ms\" or \"1.5s\" (units ns, us, ms, s, m, h), got \"" +
        std::string(text) + "\""};
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
    size_t digits_end = 0;
    bool seen_digit = false, seen_dot = false;
    while (digits_end < text.size()) {
        char c = text[digits_end];
        if (c >= '0' && c <= '9') {
            seen_digit = true;
        } else if (c == '.' && !seen_dot) {
            seen_dot = true;
        } else {
            break;
        }
        ++digits_end;
    }
    if (!seen_digit) return duration_error(text);
    std::string_view number = text.substr(0, digits_end);
    std::string_view suffix = text.substr(digits_end);
    for (const Unit& unit : k_units) {
        if (suffix != unit.suffix) continue;
        // Integer part and fraction are combined in integer arithmetic so "1.5s" is exact.
        size_t dot = number.find('.');
        std::string_view whole = number.substr(0, dot);
        std::string_view frac =
            dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
        int128 total = 0;
        for (char c : whole) {
            total = total * 10 + (c - '0');
            if (total > INT64_MAX) return duration_error(text);
        }
        total *= unit.ns;
        int128 scale = unit.ns;
        for (char c : frac) {
            scale /= 10;
            if (scale == 0 && c != '0') return duration_error(text);  // finer than a nanosecond
            total += (c - '0') * scale;
        }
        if (total > INT64_MAX) return duration_error(text);
        return Duration::nanos(static_cast<int64_t>(total));
    }
    return duration_error(text);
}

std::string format_duration(Duration d) {
    int64_t ns = d.ns();
    const char* sign = ns < 0 ? "-" : "";
    uint64_t mag = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
    char buf[48];
    if (mag % 1'000'000'000 == 0 && mag != 0) {
        std::snprintf(buf, sizeof buf, "%s%llus", sign,
                      static_cast<unsigned long long>(mag / 1'000'000'000));
    } else if (mag >= 1'000'000'000) {
        std::snprintf(buf, sizeof buf, "%s%.10gs", sign, static_cast<double>(mag) / 1e9);
    } else if (mag % 1'000'000 == 0 && mag != 0) {
        std::snprintf(buf, sizeof buf, "%s%llums", sign,
                      static_cast<unsigned long long>(mag / 1'000'000));
    } else if (mag >= 1'000'000) {
        std::snprintf(buf, sizeof buf, "%s%.10gms", sign, static_cast<double>(mag) / 1e6);
    } else if (mag % 1'000 == 0 && mag != 0) {
        std::snprintf(buf, sizeof buf, "%s%lluus", sign,
                      static_cast<unsigned long long>(mag / 1'000));
    } else {
        std::snprintf(buf, sizeof buf, "%s%lluns", sign, static_cast<unsigned long long>(mag));
    }
    return buf;
}

std::string format_duration_hm(Duration d) {
    constexpr int64_t hour = 3'600'000'000'000, minute = 60'000'000'000;
    if (d.ns() == 0) return "0s";
    if (d.ns() % hour == 0) return std::to_string(d.ns() / hour) + "h";
    if (d.ns() % minute == 0) return std::to_string(d.ns() / minute) + "m";
    return format_duration(d);
}

}  // namespace stormlog::sim
