#pragma once
// Reading JSON that a person wrote, and saying precisely what is wrong with it. A Reader collects
// error lines - `FILE: PATH: expected WHAT, got FOUND`, `FILE: PATH: unknown key (did you mean
// "x"?)`, `FILE:LINE:COLUMN: malformed JSON: REASON` - and reads typed values, each read naming the
// path it reads, so that a wrong value is reported where it is. A read that fails returns nullopt
// and records why. Everything echoed from the file is escaped and cut short, so each error stays
// one readable line whatever the input holds. Used by the scenario file parser; any JSON input a
// user hands stormlog can use it.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/text.hpp"
#include "sim/time.hpp"

namespace stormlog::scenarios {

using Json = nlohmann::json;
using sim::Duration;
using sim::Names;

constexpr size_t k_error_lines_max = 100;        // then a count of the rest
constexpr size_t k_shown_string_bytes_max = 40;  // longer strings are cut short in messages

// `s` as a JSON string, cut short (with "...") past k_shown_string_bytes_max.
std::string quote(std::string_view s);
// A found value as the user wrote it; arrays and objects by their type, never dumped (they may be
// huge or deeply nested).
std::string describe(const Json& v);
std::string show_number(double x);
// `cluster` + `nodes` -> `cluster.nodes`; keys that would garble the path are quoted:
// `cluster["odd key"]`.
std::string key_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, size_t index);
// The member `key` of `object`, or null.
const Json* member(const Json& object, std::string_view key);

struct DurationRange {
    Duration min;
    Duration max;
};

class Reader {
  public:
    explicit Reader(std::string file_label) : label_(std::move(file_label)) {}

    // `path` empty: the problem is with the file as a whole.
    void error(const std::string& path, const std::string& what);
    void error_at(size_t line, size_t column, const std::string& what);
    void expected(const std::string& path, const std::string& what, const Json& got) {
        expected(path, what, describe(got));
    }
    void expected(const std::string& path, const std::string& what, const std::string& got) {
        error(path, "expected " + what + ", got " + got);
    }
    void missing(const std::string& path) { error(path, "missing (required)"); }

    size_t count() const { return count_; }
    bool room() const { return lines_.size() < k_error_lines_max; }
    // The error lines, with a count of those past the cap.
    std::vector<std::string> finish();

    // Checks that `v` is an object and that each of its keys is in `known`.
    bool object(const Json& v, const std::string& path, Names known);
    // `what` about `word`, with the closest of `candidates` suggested, else `otherwise` appended.
    // Past the cap the line is only counted: the suggestion search is what costs, and a file with
    // a million unknown keys must still be answered promptly.
    void unknown(const std::string& path, const std::string& what, std::string_view word,
                 Names candidates, const std::string& otherwise);

    std::optional<std::string> string(const Json& v, const std::string& path);
    std::optional<std::string> choice(const Json& v, const std::string& path, Names choices);
    // `signed_ok`: a leading "-" is allowed (clock offsets); parse_duration itself never takes one.
    std::optional<Duration> duration(const Json& v, const std::string& path,
                                     bool signed_ok = false);
    std::optional<Duration> positive_duration(const Json& v, const std::string& path);
    // A two-element array [min, max] of durations, min <= max (and min > 0 if `min_positive`).
    std::optional<DurationRange> range(const Json& v, const std::string& path,
                                       bool min_positive = false);
    std::optional<int64_t> integer(const Json& v, const std::string& path, int64_t min,
                                   int64_t max);
    std::optional<double> number(const Json& v, const std::string& path, double min, double max);
    std::optional<double> positive_number(const Json& v, const std::string& path, double max);

  private:
    std::string label_;
    std::vector<std::string> lines_;
    size_t count_ = 0;  // may exceed lines_.size(): lines past the cap are only counted
};

// Calls read(value, path) when `object` has `key`.
template <class Read>
void with(const Json& object, const std::string& path, std::string_view key, Read&& read) {
    if (const Json* v = member(object, key)) read(*v, key_path(path, key));
}

// Like `with`, but a missing key is an error.
template <class Read>
void with_required(Reader& r, const Json& object, const std::string& path, std::string_view key,
                   Read&& read) {
    if (const Json* v = member(object, key)) {
        read(*v, key_path(path, key));
    } else {
        r.missing(key_path(path, key));
    }
}

}  // namespace stormlog::scenarios
