#include "scenarios/json_reader.hpp"

#include <algorithm>
#include <cstdio>

namespace stormlog::scenarios {

std::string quote(std::string_view s) {
    const std::string_view shown = sim::cut_utf8(s, k_shown_string_bytes_max);
    std::string q = Json(std::string(shown)).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (shown.size() < s.size()) q.insert(q.size() - 1, "...");
    return q;
}

std::string describe(const Json& v) {
    switch (v.type()) {
        case Json::value_t::string:
            return quote(v.get_ref<const std::string&>());
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::binary:
            return "binary data";
        case Json::value_t::discarded:
            return "nothing";
        default:
            return v.dump();  // null, booleans, numbers: short
    }
}

std::string show_number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", x);
    return buf;
}

bool is_plain_key(std::string_view key) {
    if (key.empty() || key.size() > k_shown_string_bytes_max) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

std::string key_path(const std::string& parent, std::string_view key) {
    if (!is_plain_key(key)) return parent + "[" + quote(key) + "]";
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

const Json* member(const Json& object, std::string_view key) {
    const auto it = object.find(std::string(key));
    return it == object.end() ? nullptr : &*it;
}

void Reader::error(const std::string& path, const std::string& what) {
    if (room()) lines_.push_back(label_ + ": " + (path.empty() ? "" : path + ": ") + what);
    ++count_;
}

void Reader::error_at(size_t line, size_t column, const std::string& what) {
    if (room()) {
        lines_.push_back(label_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                         what);
    }
    ++count_;
}

std::vector<std::string> Reader::finish() {
    if (count_ > lines_.size()) {
        lines_.push_back(label_ + ": " + std::to_string(count_ - lines_.size()) +
                         " more errors not shown");
    }
    return std::move(lines_);
}

bool Reader::object(const Json& v, const std::string& path, Names known) {
    if (!v.is_object()) {
        expected(path, "an object", v);
        return false;
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
        unknown(key_path(path, it.key()), "unknown key", it.key(), known,
                " (valid keys: " + sim::quoted_list(known) + ")");
    }
    return true;
}

void Reader::unknown(const std::string& path, const std::string& what, std::string_view word,
                     Names candidates, const std::string& otherwise) {
    if (!room()) {
        ++count_;
        return;
    }
    const auto best = sim::closest(word, candidates);
    error(path, what + (best ? " (did you mean \"" + std::string(*best) + "\"?)" : otherwise));
}

std::optional<std::string> Reader::string(const Json& v, const std::string& path) {
    if (v.is_string()) return v.get<std::string>();
    expected(path, "a string", v);
    return std::nullopt;
}

std::optional<std::string> Reader::choice(const Json& v, const std::string& path, Names choices) {
    if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
        expected(path, "one of " + sim::quoted_list(choices),
                 describe(v) + sim::did_you_mean(s, choices));
        return std::nullopt;
    }
    expected(path, "one of " + sim::quoted_list(choices), v);
    return std::nullopt;
}

std::optional<Duration> Reader::duration(const Json& v, const std::string& path, bool signed_ok) {
    const char* like =
        signed_ok ? "a duration like \"1.5s\" or \"-500ms\"" : "a duration like \"1.5s\"";
    if (!v.is_string()) {
        expected(path, like, v);
        return std::nullopt;
    }
    std::string_view text = v.get_ref<const std::string&>();
    const bool negative = signed_ok && !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    const sim::Result<Duration> d = sim::parse_duration(text);
    if (!d.ok()) {
        expected(path, like, v);
        return std::nullopt;
    }
    return negative ? Duration() - *d : *d;
}

std::optional<Duration> Reader::positive_duration(const Json& v, const std::string& path) {
    const auto d = duration(v, path);
    if (!d || *d > Duration()) return d;
    expected(path, "a duration > 0", v);
    return std::nullopt;
}

std::optional<DurationRange> Reader::range(const Json& v, const std::string& path,
                                           bool min_positive) {
    const char* like = "a range like [\"1ms\", \"10ms\"]";
    if (!v.is_array()) {
        expected(path, like, v);
        return std::nullopt;
    }
    if (v.size() != 2) {
        expected(path, std::string(like) + " (two durations)",
                 "an array of " + std::to_string(v.size()));
        return std::nullopt;
    }
    const auto min = duration(v[0], index_path(path, 0));
    const auto max = duration(v[1], index_path(path, 1));
    if (!min || !max) return std::nullopt;
    const std::string got = "[" + describe(v[0]) + ", " + describe(v[1]) + "]";
    if (*min > *max) {
        expected(path, "a range with min <= max", got);
        return std::nullopt;
    }
    if (min_positive && *min <= Duration()) {
        expected(path, "a range with min > 0", got);
        return std::nullopt;
    }
    return DurationRange{*min, *max};
}

std::optional<int64_t> Reader::integer(const Json& v, const std::string& path, int64_t min,
                                       int64_t max) {
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (max >= 0 && u <= static_cast<uint64_t>(max) && static_cast<int64_t>(u) >= min) {
            return static_cast<int64_t>(u);
        }
    } else if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        if (i >= min && i <= max) return i;
    }
    expected(path, "an integer in " + std::to_string(min) + ".." + std::to_string(max), v);
    return std::nullopt;
}

std::optional<double> Reader::number(const Json& v, const std::string& path, double min,
                                     double max) {
    if (v.is_number()) {
        const double x = v.get<double>();
        if (x >= min && x <= max) return x;
    }
    expected(path, "a number in " + show_number(min) + ".." + show_number(max), v);
    return std::nullopt;
}

std::optional<double> Reader::positive_number(const Json& v, const std::string& path, double max) {
    if (v.is_number()) {
        const double x = v.get<double>();
        if (x > 0 && x <= max) return x;
    }
    expected(path, "a number > 0 and <= " + show_number(max), v);
    return std::nullopt;
}

}  // namespace stormlog::scenarios
