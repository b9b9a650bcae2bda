// Scenario files: JSON text -> a validated Scenario, or one line per problem found.
//
// THE FORMAT. A scenario file is one JSON object. Keys are snake_case; a key not listed here is an
// error (with the closest valid key suggested). Only `name`, `description` and `duration` are
// required; every other key may be left out and then takes the default of scenario.hpp.
//
//   key                      value                                        default
//   name                     string of 1..64 [a-z0-9-], required
//   description              non-empty string, required
//   duration                 duration > 0 and <= 24h, required
//   cluster                  object:
//     nodes                  integer 1..15                                3
//     heartbeat              duration > 0                                 "50ms"
//     election_timeout       range, min > 0                               ["300ms", "600ms"]
//     snapshot_every         integer 1..1000000 (store: applied entries     1024
//                            between a node's snapshots)
//   network                  object:
//     latency                range                                        ["500us", "5ms"]
//     latency_shape          number 0.1..10 (1 uniform, > 1 long tail)    1
//     loss                   number 0..1 (probability per packet)         0
//     duplicate              number 0..1                                  0
//     corrupt                number 0..1                                  0
//   disk                     object:
//     write_latency          range                                        ["50us", "200us"]
//     read_latency           range                                        ["20us", "100us"]
//     fsync_latency          range                                        ["1ms", "5ms"]
//     capacity               size 1MiB..1TiB (see below)                  "1GiB"
//     torn_write_probability number 0..1                                  0.5
//   workload                 object:
//     type                   one of k_workload_types                      "messaging"
//     clients                integer 1..100                               3
//     rate                   number > 0, <= 100000 (ops/s per client)     50
//     streams                integer 1..1000 (store: streams clients use)  4
//     read_fraction          number 0..1 (store: share of reads)           0.3
//     reads                  "leader" or "any" (store: where reads go first) "leader"
//     accounts               integer 2..1000 (ledger: accounts opened)    8
//   faults                   array of at most 10000 objects:              []
//     kind                   a fault kind of faults::catalogue(), required
//     at                     duration before the end of the run, required
//     for                    duration > 0, with at + for <= duration; required if the kind
//                            takes a duration, absent otherwise
//     target                 "n<i>" (1 <= i <= cluster.nodes), "leader", "follower", "random", "minority",
//                            "majority" or "all"; required if the kind takes a target, absent
//                            otherwise
//     params                 object: the kind's parameters, each optional (absent: the
//                            catalogue's default). Durations are duration strings ("-500ms"
//                            allowed where the range is negative), stored in nanoseconds; numbers
//                            and integers lie within the catalogue's range.
//   nemesis                  object; present means enabled:               disabled
//     window                 range with max <= duration, required: faults start in [min, max)
//     kinds                  non-empty object, required: fault kind -> weight (number > 0)
//     mean_interval          duration > 0 (mean of exponential gaps)      "2s"
//     fault_duration         range, min > 0                               ["500ms", "3s"]
//   budget                   "within" or "beyond"                         "within"
//   quiet_period             duration (fault-free tail for liveness)      "5s"
//   properties               array of at most 1000 non-empty strings      [] (all the workload's)
//                            (names are checked by the runner, not here)
//   expect                   "pass" or "fail"                             "pass"
//
// A duration is a string for sim::parse_duration: "250ns", "300us", "150ms", "1.5s", "2m", "1h"; a
// bare number is an error (units are never guessed). A range is a two-element array of durations
// [min, max] with min <= max. A size is a string "<integer><unit>" with unit B, KiB, MiB, GiB or
// TiB ("512MiB"), or an integer count of bytes.
//
// Budget "within" promises a fault-free tail in which liveness must hold, so: quiet_period <
// duration; every scripted fault heals by the time the quiet period starts (at + for <= duration -
// quiet_period; an instant fault happens before it); the nemesis window ends by then too.
//
// ERRORS. Malformed JSON is one line, `FILE:LINE:COLUMN: malformed JSON: REASON`. Otherwise every
// problem is reported, one line each, `FILE: PATH: expected WHAT, got FOUND` (or `unknown key`,
// `missing (required)`, ...), with PATH like `faults[2].at`; a value is shown as JSON (strings
// quoted and cut short, arrays and objects by their type).
//
// LIMITS (hostile or broken input must not crash, hang or exhaust memory): 4 MiB of text, nesting
// 64 deep, 10000 faults, 1000 properties, 100 error lines (then a count of the rest).

#include "scenarios/scenario_file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>

#include "faults/catalogue.hpp"

namespace stormlog::scenarios {
namespace {

using Json = nlohmann::json;
using Names = std::span<const std::string_view>;

constexpr size_t k_text_bytes_max = size_t{4} << 20;  // 10000 faults fit in a quarter of it
constexpr size_t k_depth_max = 64;
constexpr size_t k_faults_max = 10000;
constexpr size_t k_properties_max = 1000;
constexpr size_t k_error_lines_max = 100;
constexpr size_t k_name_length_max = 64;
constexpr size_t k_shown_string_bytes_max = 40;  // longer strings are cut short in messages
constexpr size_t k_reason_bytes_max = 120;
constexpr int64_t k_nodes_max = 15;
constexpr int64_t k_clients_max = 100;
constexpr int64_t k_streams_max = 1000;
constexpr double k_rate_max = 100000;
constexpr double k_weight_max =
    1e6;  // nemesis weights are relative; the bound only keeps sums finite
constexpr uint64_t k_capacity_bytes_min = uint64_t{1} << 20;
constexpr uint64_t k_capacity_bytes_max = uint64_t{1} << 40;
constexpr Duration k_duration_max = Duration::minutes(24 * 60);

// The workloads the runner knows. New workloads ("store", "ledger") are added here and only here.
constexpr std::array<std::string_view, 4> k_workload_types = {"messaging", "kernel-smoke", "store", "ledger"};

constexpr std::array<std::string_view, 13> k_top_keys = {
    "name",   "description", "cluster", "network",      "disk",       "workload", "duration",
    "faults", "nemesis",     "budget",  "quiet_period", "properties", "expect"};
constexpr std::array<std::string_view, 4> k_cluster_keys = {"nodes", "heartbeat",
                                                            "election_timeout", "snapshot_every"};
constexpr std::array<std::string_view, 5> k_network_keys = {"latency", "latency_shape", "loss",
                                                            "duplicate", "corrupt"};
constexpr std::array<std::string_view, 5> k_disk_keys = {
    "write_latency", "read_latency", "fsync_latency", "capacity", "torn_write_probability"};
constexpr std::array<std::string_view, 7> k_workload_keys = {"type", "clients", "rate", "streams",
                                                             "read_fraction", "reads", "accounts"};
constexpr std::array<std::string_view, 2> k_read_targets = {"leader", "any"};
constexpr std::array<std::string_view, 5> k_fault_keys = {"kind", "at", "for", "target", "params"};
constexpr std::array<std::string_view, 4> k_nemesis_keys = {"window", "mean_interval",
                                                            "fault_duration", "kinds"};
constexpr std::array<std::string_view, 2> k_budgets = {"within", "beyond"};
constexpr std::array<std::string_view, 2> k_expects = {"pass", "fail"};

// ---------------------------------------------------------------------------------------------
// Text for messages. Everything that comes from the file is escaped and cut short, so that each
// error stays one readable line whatever the input holds.

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, size_t max) {
    if (s.size() <= max) return s;
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    return s.substr(0, end);
}

std::string quote(std::string_view s) {
    const std::string_view shown = cut_utf8(s, k_shown_string_bytes_max);
    std::string q = Json(std::string(shown)).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (shown.size() < s.size()) q.insert(q.size() - 1, "...");
    return q;
}

// A found value as the user wrote it; arrays and objects by their type, never dumped (they may be
// huge or deeply nested).
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

// Durations in messages read like the file's own ("24h", not "86400s").
std::string show(Duration d) {
    constexpr int64_t hour = 3'600'000'000'000, minute = 60'000'000'000;
    if (d.ns() == 0) return "0s";
    if (d.ns() % hour == 0) return std::to_string(d.ns() / hour) + "h";
    if (d.ns() % minute == 0) return std::to_string(d.ns() / minute) + "m";
    return sim::format_duration(d);
}

std::string quoted_list(Names names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ", ";
        out += '"' + std::string(names[i]) + '"';
    }
    return out;
}

bool is_plain_key(std::string_view key) {
    if (key.empty() || key.size() > k_shown_string_bytes_max) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

// `cluster` + `nodes` -> `cluster.nodes`; keys that would garble the path are quoted:
// `cluster["odd key"]`.
std::string key_path(const std::string& parent, std::string_view key) {
    if (!is_plain_key(key)) return parent + "[" + quote(key) + "]";
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

// Levenshtein distance, or limit + 1 when it is surely above `limit` (keeps long junk cheap).
size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
    const size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (length_gap > limit) return limit + 1;
    std::vector<size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), size_t{0});
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The candidate a typo most likely meant: within 3 edits, and within half its length so that
// short words do not "match" anything.
std::optional<std::string_view> closest(std::string_view word, Names candidates) {
    std::optional<std::string_view> best;
    size_t best_distance = SIZE_MAX;
    for (std::string_view c : candidates) {
        const size_t limit = std::min<size_t>(3, std::max<size_t>(1, c.size() / 2));
        const size_t d = edit_distance(word, c, limit);
        if (d <= limit && d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, Names candidates) {
    const auto best = closest(word, candidates);
    return best ? " (did you mean \"" + std::string(*best) + "\"?)" : "";
}

std::vector<std::string_view> kind_names() {
    std::vector<std::string_view> names;
    for (const faults::FaultKindInfo& k : faults::catalogue()) names.push_back(k.name);
    return names;
}

Duration saturating_add(Duration a, Duration b) {
    int64_t sum = 0;
    if (__builtin_add_overflow(a.ns(), b.ns(), &sum)) return Duration::max();
    return Duration::nanos(sum);
}

const Json* member(const Json& object, std::string_view key) {
    const auto it = object.find(std::string(key));
    return it == object.end() ? nullptr : &*it;
}

// ---------------------------------------------------------------------------------------------
// Reader: collects error lines and reads typed values, each read naming the path it reads so that
// a wrong value is reported where it is. A read that fails returns nullopt and records why.

struct DurationRange {
    Duration min;
    Duration max;
};

class Reader {
  public:
    explicit Reader(std::string file_label) : label_(std::move(file_label)) {}

    // `path` empty: the problem is with the file as a whole.
    void error(const std::string& path, const std::string& what) {
        if (room()) lines_.push_back(label_ + ": " + (path.empty() ? "" : path + ": ") + what);
        ++count_;
    }
    void error_at(size_t line, size_t column, const std::string& what) {
        if (room()) {
            lines_.push_back(label_ + ":" + std::to_string(line) + ":" + std::to_string(column) +
                             ": " + what);
        }
        ++count_;
    }
    void expected(const std::string& path, const std::string& what, const Json& got) {
        expected(path, what, describe(got));
    }
    void expected(const std::string& path, const std::string& what, const std::string& got) {
        error(path, "expected " + what + ", got " + got);
    }
    void missing(const std::string& path) { error(path, "missing (required)"); }

    size_t count() const { return count_; }
    bool room() const { return lines_.size() < k_error_lines_max; }

    std::vector<std::string> finish() {
        if (count_ > lines_.size()) {
            lines_.push_back(label_ + ": " + std::to_string(count_ - lines_.size()) +
                             " more errors not shown");
        }
        return std::move(lines_);
    }

    // Checks that `v` is an object and that each of its keys is in `known`.
    bool object(const Json& v, const std::string& path, Names known) {
        if (!v.is_object()) {
            expected(path, "an object", v);
            return false;
        }
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
            unknown(key_path(path, it.key()), "unknown key", it.key(), known,
                    " (valid keys: " + quoted_list(known) + ")");
        }
        return true;
    }

    // `what` about `word`, with the closest of `candidates` suggested, else `otherwise` appended.
    // Past the cap the line is only counted: the suggestion search is what costs, and a file with
    // a million unknown keys must still be answered promptly.
    void unknown(const std::string& path, const std::string& what, std::string_view word,
                 Names candidates, const std::string& otherwise) {
        if (!room()) {
            ++count_;
            return;
        }
        const auto best = closest(word, candidates);
        error(path, what + (best ? " (did you mean \"" + std::string(*best) + "\"?)" : otherwise));
    }

    std::optional<std::string> string(const Json& v, const std::string& path) {
        if (v.is_string()) return v.get<std::string>();
        expected(path, "a string", v);
        return std::nullopt;
    }

    std::optional<std::string> choice(const Json& v, const std::string& path, Names choices) {
        if (v.is_string()) {
            const std::string& s = v.get_ref<const std::string&>();
            if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
            expected(path, "one of " + quoted_list(choices),
                     describe(v) + did_you_mean(s, choices));
            return std::nullopt;
        }
        expected(path, "one of " + quoted_list(choices), v);
        return std::nullopt;
    }

    // `signed_ok`: a leading "-" is allowed (clock offsets); parse_duration itself never takes one.
    std::optional<Duration> duration(const Json& v, const std::string& path,
                                     bool signed_ok = false) {
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

    std::optional<Duration> positive_duration(const Json& v, const std::string& path) {
        const auto d = duration(v, path);
        if (!d || *d > Duration()) return d;
        expected(path, "a duration > 0", v);
        return std::nullopt;
    }

    // A two-element array [min, max] of durations, min <= max (and min > 0 if `min_positive`).
    std::optional<DurationRange> range(const Json& v, const std::string& path,
                                       bool min_positive = false) {
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

    std::optional<int64_t> integer(const Json& v, const std::string& path, int64_t min,
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

    std::optional<double> number(const Json& v, const std::string& path, double min, double max) {
        if (v.is_number()) {
            const double x = v.get<double>();
            if (x >= min && x <= max) return x;
        }
        expected(path, "a number in " + show_number(min) + ".." + show_number(max), v);
        return std::nullopt;
    }

    std::optional<double> positive_number(const Json& v, const std::string& path, double max) {
        if (v.is_number()) {
            const double x = v.get<double>();
            if (x > 0 && x <= max) return x;
        }
        expected(path, "a number > 0 and <= " + show_number(max), v);
        return std::nullopt;
    }

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

// ---------------------------------------------------------------------------------------------
// Syntax. A SAX pass runs before the DOM is built: nlohmann reports number overflow without a
// position and keeps the last of two equal keys silently, and its DOM has no depth limit; the SAX
// pass sees all three.

struct Syntax {
    bool ok = true;
    size_t offset = 0;  // of the offending byte, when !ok
    std::string reason;
    std::vector<std::string> duplicate_paths;
};

class SyntaxPass final : public nlohmann::json_sax<Json> {
  public:
    static constexpr int k_number_overflow = 406;  // nlohmann's out_of_range.406

    Syntax result;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(false); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override {
        Frame& f = frames_.back();
        f.key = k;
        if (!f.seen.insert(k).second) result.duplicate_paths.push_back(path());
        return true;
    }

    bool parse_error(std::size_t position, const std::string& token,
                     const nlohmann::detail::exception& e) override {
        // `position` counts the bytes read, the offending one included; a number too large for a
        // double is only found once all of it is read, so point at its start instead.
        const size_t back = e.id == k_number_overflow ? token.size() : 1;
        fail(position >= back ? position - back : 0, e.what());
        return false;
    }

    bool too_deep() const { return too_deep_; }

  private:
    struct Frame {
        bool array = false;
        size_t index = 0;            // arrays: the element being read
        std::string key;             // objects: the member being read
        std::set<std::string> seen;  // objects: keys so far
    };

    bool open(bool array) {
        if (frames_.size() >= k_depth_max) {
            too_deep_ = true;  // the caller finds the offset: SAX events carry none
            return false;
        }
        frames_.push_back(Frame{array, 0, {}, {}});
        return true;
    }
    bool close() {
        frames_.pop_back();
        return value();
    }
    // A value ended: in an array the next one has the next index.
    bool value() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
        return true;
    }
    std::string path() const {
        std::string p;
        for (const Frame& f : frames_) p = f.array ? index_path(p, f.index) : key_path(p, f.key);
        return p;
    }
    void fail(size_t offset, std::string reason) {
        result.ok = false;
        result.offset = offset;
        result.reason = std::move(reason);
    }

    std::vector<Frame> frames_;
    bool too_deep_ = false;
};

// Offset of the bracket that opens nesting level `depth` (1 = the outermost), skipping strings.
size_t offset_of_depth(std::string_view text, size_t depth) {
    size_t level = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++level == depth) return i;
        } else if ((c == ']' || c == '}') && level > 0) {
            --level;
        }
    }
    return text.size();
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 2, column 8: syntax error while
// parsing value - invalid literal; last read: '...'" -> "invalid literal". The position is
// printed by us; "last read" shows the token's raw bytes, which may be long or not UTF-8.
std::string short_reason(std::string what) {
    if (const size_t b = what.find("] "); what.starts_with("[json.exception.") && b != what.npos) {
        what.erase(0, b + 2);
    }
    if (const size_t c = what.find(": "); what.starts_with("parse error") && c != what.npos) {
        what.erase(0, c + 2);
    }
    if (const size_t d = what.find(" - ");
        what.starts_with("syntax error while parsing") && d != what.npos) {
        what.erase(0, d + 3);
    }
    if (const size_t last = what.find("; last read: '"); last != what.npos) {
        const size_t expected = what.find("'; expected", last);
        what = what.substr(0, last) + (expected == what.npos ? "" : what.substr(expected + 1));
    }
    if (what == "invalid literal")
        what += " (expected a number, true, false, null or a \"string\")";
    for (char& c : what) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    }
    return what.substr(0, k_reason_bytes_max);
}

Syntax check_syntax(const std::string& text) {
    SyntaxPass pass;
    const bool ok = Json::sax_parse(text, &pass);
    if (!ok && pass.too_deep()) {
        pass.result.ok = false;
        pass.result.offset = offset_of_depth(text, k_depth_max + 1);
        pass.result.reason = "nested deeper than " + std::to_string(k_depth_max) + " levels";
    }
    return std::move(pass.result);
}

void report_malformed(Reader& r, std::string_view text, const Syntax& syntax) {
    const size_t offset = std::min(syntax.offset, text.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    r.error_at(line, offset - line_start + 1, "malformed JSON: " + short_reason(syntax.reason));
}

// ---------------------------------------------------------------------------------------------
// Sections. Each reads one part of the file into the scenario, leaving defaults where keys are
// absent and recording an error for every wrong value.

// Values that later checks compare against; empty when the value itself was wrong, so that one
// mistake does not echo through every fault that refers to it.
struct Context {
    std::optional<int> nodes = 3;
    std::optional<Duration> duration;
    std::optional<Duration> quiet_start;  // only under budget "within"
    Duration quiet_period;
};

void read_name(Reader& r, const Json& v, const std::string& path, Scenario& s) {
    const auto name = r.string(v, path);
    if (!name) return;
    const bool ok = !name->empty() && name->size() <= k_name_length_max &&
                    std::all_of(name->begin(), name->end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                    });
    if (ok)
        s.name = *name;
    else
        r.expected(path, "1 to 64 lowercase letters, digits and \"-\"", v);
}

void read_cluster(Reader& r, const Json& v, const std::string& path, ClusterSpec& c, Context& ctx) {
    if (!r.object(v, path, k_cluster_keys)) {
        ctx.nodes.reset();
        return;
    }
    with(v, path, "nodes", [&](const Json& x, const std::string& p) {
        const auto n = r.integer(x, p, 1, k_nodes_max);
        if (n) c.nodes = static_cast<int>(*n);
        ctx.nodes = n ? std::optional<int>(c.nodes) : std::nullopt;
    });
    with(v, path, "heartbeat", [&](const Json& x, const std::string& p) {
        if (const auto d = r.positive_duration(x, p)) c.heartbeat = *d;
    });
    with(v, path, "election_timeout", [&](const Json& x, const std::string& p) {
        if (const auto t = r.range(x, p, true)) {
            c.election_timeout_min = t->min;
            c.election_timeout_max = t->max;
        }
    });
    with(v, path, "snapshot_every", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 1, 1'000'000)) c.snapshot_every = static_cast<int>(*n);
    });
}

void read_probability(Reader& r, const Json& object, const std::string& path, std::string_view key,
                      double& out) {
    with(object, path, key, [&](const Json& x, const std::string& p) {
        if (const auto n = r.number(x, p, 0, 1)) out = *n;
    });
}

void read_network(Reader& r, const Json& v, const std::string& path, NetworkSpec& n) {
    if (!r.object(v, path, k_network_keys)) return;
    with(v, path, "latency", [&](const Json& x, const std::string& p) {
        if (const auto l = r.range(x, p)) {
            n.latency_min = l->min;
            n.latency_max = l->max;
        }
    });
    with(v, path, "latency_shape", [&](const Json& x, const std::string& p) {
        if (const auto s = r.number(x, p, 0.1, 10)) n.latency_shape = *s;
    });
    read_probability(r, v, path, "loss", n.loss);
    read_probability(r, v, path, "duplicate", n.duplicate);
    read_probability(r, v, path, "corrupt", n.corrupt);
}

// "512MiB" -> 536870912; nullopt when malformed or beyond 64 bits.
std::optional<uint64_t> parse_size(std::string_view text) {
    struct Unit {
        std::string_view suffix;
        uint64_t bytes;
    };
    static constexpr Unit units[] = {{"B", 1},
                                     {"KiB", 1ULL << 10},
                                     {"MiB", 1ULL << 20},
                                     {"GiB", 1ULL << 30},
                                     {"TiB", 1ULL << 40}};
    size_t digits = 0;
    uint64_t count = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        if (__builtin_mul_overflow(count, 10, &count) ||
            __builtin_add_overflow(count, static_cast<uint64_t>(text[digits] - '0'), &count)) {
            return std::nullopt;
        }
        ++digits;
    }
    if (digits == 0) return std::nullopt;
    for (const Unit& u : units) {
        uint64_t bytes = 0;
        if (text.substr(digits) == u.suffix && !__builtin_mul_overflow(count, u.bytes, &bytes)) {
            return bytes;
        }
    }
    return std::nullopt;
}

void read_capacity(Reader& r, const Json& v, const std::string& path, uint64_t& out) {
    std::optional<uint64_t> bytes;
    if (v.is_number_unsigned())
        bytes = v.get<uint64_t>();
    else if (v.is_string())
        bytes = parse_size(v.get_ref<const std::string&>());
    if (v.is_number_integer() && !v.is_number_unsigned()) bytes = 0;  // negative: out of range
    if (!bytes) {
        r.expected(
            path,
            "a size like \"512MiB\" or \"1GiB\" (units B, KiB, MiB, GiB, TiB) or a number of bytes",
            v);
    } else if (*bytes < k_capacity_bytes_min || *bytes > k_capacity_bytes_max) {
        r.expected(path, "a size in 1MiB..1TiB", v);
    } else {
        out = *bytes;
    }
}

void read_disk(Reader& r, const Json& v, const std::string& path, DiskSpec& d) {
    if (!r.object(v, path, k_disk_keys)) return;
    const auto latency = [&](std::string_view key, Duration& min, Duration& max) {
        with(v, path, key, [&](const Json& x, const std::string& p) {
            if (const auto l = r.range(x, p)) {
                min = l->min;
                max = l->max;
            }
        });
    };
    latency("write_latency", d.write_latency_min, d.write_latency_max);
    latency("read_latency", d.read_latency_min, d.read_latency_max);
    latency("fsync_latency", d.fsync_latency_min, d.fsync_latency_max);
    with(v, path, "capacity",
         [&](const Json& x, const std::string& p) { read_capacity(r, x, p, d.capacity_bytes); });
    read_probability(r, v, path, "torn_write_probability", d.torn_write_probability);
}

void read_workload(Reader& r, const Json& v, const std::string& path, WorkloadSpec& w) {
    if (!r.object(v, path, k_workload_keys)) return;
    with(v, path, "type", [&](const Json& x, const std::string& p) {
        if (auto t = r.choice(x, p, k_workload_types)) w.type = std::move(*t);
    });
    with(v, path, "clients", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 1, k_clients_max)) w.clients = static_cast<int>(*n);
    });
    with(v, path, "rate", [&](const Json& x, const std::string& p) {
        if (const auto n = r.positive_number(x, p, k_rate_max)) w.rate = *n;
    });
    with(v, path, "streams", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 1, k_streams_max)) w.streams = static_cast<int>(*n);
    });
    read_probability(r, v, path, "read_fraction", w.read_fraction);
    with(v, path, "reads", [&](const Json& x, const std::string& p) {
        if (auto t = r.choice(x, p, k_read_targets)) w.reads_anywhere = *t == "any";
    });
    with(v, path, "accounts", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 2, k_streams_max)) w.accounts = static_cast<int>(*n);
    });
}

void read_properties(Reader& r, const Json& v, const std::string& path,
                     std::vector<std::string>& out) {
    if (!v.is_array()) {
        r.expected(path, "an array of property names", v);
        return;
    }
    if (v.size() > k_properties_max) {
        r.expected(path, "at most " + std::to_string(k_properties_max) + " properties",
                   "an array of " + std::to_string(v.size()));
        return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string() && !v[i].get_ref<const std::string&>().empty()) {
            out.push_back(v[i].get<std::string>());
        } else {
            r.expected(index_path(path, i), "a non-empty string", v[i]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scripted faults.

const faults::FaultKindInfo* read_kind_name(Reader& r, const Json& v, const std::string& path) {
    if (v.is_string()) {
        const std::string& name = v.get_ref<const std::string&>();
        if (const faults::FaultKindInfo* kind = faults::find_kind(name)) return kind;
        const auto names = kind_names();
        const auto best = closest(name, names);
        r.expected(path, "a fault kind",
                   describe(v) + (best ? " (did you mean \"" + std::string(*best) + "\"?)"
                                       : " (\"stormlog list faults\" shows them)"));
        return nullptr;
    }
    r.expected(path, "a fault kind (a string)", v);
    return nullptr;
}

// "n2" -> node index 1; the symbolic targets by name.
std::optional<TargetSpec> parse_target(std::string_view s) {
    static constexpr std::pair<std::string_view, TargetKind> names[] = {
        {"leader", TargetKind::leader},
        {"follower", TargetKind::follower},
        {"random", TargetKind::random},
        {"minority", TargetKind::minority},
        {"majority", TargetKind::majority},
        {"all", TargetKind::all}};
    for (const auto& [name, kind] : names) {
        if (s == name) return TargetSpec{kind, 0};
    }
    // At most three digits, no leading zero: "n007" is not a node, and the number cannot overflow.
    if (s.size() < 2 || s.size() > 4 || s[0] != 'n' || s[1] == '0') return std::nullopt;
    int n = 0;
    for (char c : s.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return TargetSpec{TargetKind::node, n - 1};
}

void read_target(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                 TargetSpec& out) {
    const std::string nodes =
        ctx.nodes ? "\"n1\"..\"n" + std::to_string(*ctx.nodes) + "\"" : "\"n<i>\"";
    const std::string want =
        "a target: " + nodes + ", \"leader\", \"random\", \"minority\", \"majority\" or \"all\"";
    const auto target =
        v.is_string() ? parse_target(v.get_ref<const std::string&>()) : std::nullopt;
    if (!target) {
        r.expected(path, want, v);
    } else if (target->kind == TargetKind::node && ctx.nodes && target->node >= *ctx.nodes) {
        r.expected(path,
                   "a node in " + nodes + " (cluster.nodes is " + std::to_string(*ctx.nodes) + ")",
                   v);
    } else {
        out = *target;
    }
}

// `key` must be present exactly when the kind needs it; nullptr kind: only the value is checked.
template <class Read>
void read_kind_dependent(Reader& r, const Json& fault, const std::string& path,
                         std::string_view key, const faults::FaultKindInfo* kind, bool needed,
                         const char* why_not, Read&& read) {
    const Json* v = member(fault, key);
    const std::string p = key_path(path, key);
    if (v && kind && !needed) {
        r.error(p, "not allowed: \"" + kind->name + "\" " + why_not);
    } else if (v) {
        read(*v, p);
    } else if (kind && needed) {
        r.error(p, "missing (required for \"" + kind->name + "\")");
    }
}

std::optional<double> read_param(Reader& r, const Json& v, const std::string& path,
                                 const faults::ParamInfo& p) {
    switch (p.type) {
        case faults::ParamType::duration: {
            const auto d = r.duration(v, path, p.min < 0);
            if (!d) return std::nullopt;
            const double ns = static_cast<double>(d->ns());
            if (ns >= p.min && ns <= p.max) return ns;
            r.expected(path,
                       "a duration in " + show(Duration::nanos(static_cast<int64_t>(p.min))) +
                           ".." + show(Duration::nanos(static_cast<int64_t>(p.max))),
                       v);
            return std::nullopt;
        }
        case faults::ParamType::number:
            return r.number(v, path, p.min, p.max);
        case faults::ParamType::integer: {
            const auto i =
                r.integer(v, path, static_cast<int64_t>(p.min), static_cast<int64_t>(p.max));
            if (i) return static_cast<double>(*i);
            return std::nullopt;
        }
    }
    return std::nullopt;
}

void read_params(Reader& r, const Json& v, const std::string& path,
                 const faults::FaultKindInfo& kind, std::map<std::string, double>& out) {
    std::vector<std::string_view> names;
    for (const faults::ParamInfo& p : kind.params) names.push_back(p.name);
    if (names.empty()) {
        if (!v.is_object()) r.expected(path, "an object", v);
        for (auto it = v.begin(); v.is_object() && it != v.end(); ++it) {
            r.error(key_path(path, it.key()),
                    "unknown key (\"" + kind.name + "\" takes no params)");
        }
        return;
    }
    if (!r.object(v, path, names)) return;
    for (const faults::ParamInfo& p : kind.params) {
        with(v, path, p.name, [&](const Json& x, const std::string& xp) {
            if (const auto value = read_param(r, x, xp, p)) out[p.name] = *value;
        });
    }
}

void read_fault_timing(Reader& r, const Json& v, const std::string& path,
                       const faults::FaultKindInfo* kind, const Context& ctx, FaultSpec& f) {
    with_required(r, v, path, "at", [&](const Json& x, const std::string& p) {
        const auto at = r.duration(x, p);
        if (at && ctx.duration && *at >= *ctx.duration) {
            r.expected(p, "a time before the end of the run (" + show(*ctx.duration) + ")", x);
        } else if (at) {
            f.at = *at;
        }
    });
    read_kind_dependent(r, v, path, "for", kind, kind && kind->takes_duration,
                        "is instant (it takes no \"for\")",
                        [&](const Json& x, const std::string& p) {
                            if (const auto d = r.positive_duration(x, p)) f.duration = *d;
                        });
}

// The fault's whole life must fit the run, and under budget "within" end before the quiet period.
void check_fault_window(Reader& r, const std::string& path, const FaultSpec& f,
                        const Context& ctx) {
    const Duration end = saturating_add(f.at, f.duration);
    const std::string got =
        "an end at " + show(end) + " (at " + show(f.at) + " + for " + show(f.duration) + ")";
    if (ctx.duration && end > *ctx.duration) {
        r.expected(path, "the fault to end by the end of the run (" + show(*ctx.duration) + ")",
                   got);
        return;
    }
    if (!ctx.quiet_start) return;
    const std::string why =
        " (budget \"within\" keeps the last " + show(ctx.quiet_period) + " fault-free)";
    if (f.duration == Duration() && f.at >= *ctx.quiet_start) {
        r.expected(key_path(path, "at"), "a time before " + show(*ctx.quiet_start) + why,
                   "\"" + show(f.at) + "\"");
    } else if (end > *ctx.quiet_start) {
        r.expected(path, "the fault to end by " + show(*ctx.quiet_start) + why, got);
    }
}

std::optional<FaultSpec> read_fault(Reader& r, const Json& v, const std::string& path,
                                    const Context& ctx) {
    if (!r.object(v, path, k_fault_keys)) return std::nullopt;
    const size_t errors_before = r.count();
    FaultSpec f;
    const faults::FaultKindInfo* kind = nullptr;
    with_required(r, v, path, "kind",
                  [&](const Json& x, const std::string& p) { kind = read_kind_name(r, x, p); });
    if (kind) {
        f.kind = kind->name;
        for (const faults::ParamInfo& p : kind->params) f.params[p.name] = p.default_value;
    }
    read_fault_timing(r, v, path, kind, ctx, f);
    read_kind_dependent(
        r, v, path, "target", kind, kind && kind->takes_target,
        "acts on the whole cluster (it takes no \"target\")",
        [&](const Json& x, const std::string& p) { read_target(r, x, p, ctx, f.target); });
    with(v, path, "params", [&](const Json& x, const std::string& p) {
        if (kind)
            read_params(r, x, p, *kind, f.params);
        else if (!x.is_object())
            r.expected(p, "an object", x);
    });
    if (r.count() != errors_before || !kind) return std::nullopt;
    check_fault_window(r, path, f, ctx);
    return r.count() == errors_before ? std::optional<FaultSpec>(f) : std::nullopt;
}

void read_faults(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                 std::vector<FaultSpec>& out) {
    if (!v.is_array()) {
        r.expected(path, "an array of faults", v);
        return;
    }
    if (v.size() > k_faults_max) {
        r.expected(path, "at most " + std::to_string(k_faults_max) + " faults",
                   "an array of " + std::to_string(v.size()));
        return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
        if (auto f = read_fault(r, v[i], index_path(path, i), ctx)) out.push_back(std::move(*f));
    }
}

// ---------------------------------------------------------------------------------------------
// The nemesis.

void read_nemesis_kinds(Reader& r, const Json& v, const std::string& path,
                        std::map<std::string, double>& out) {
    if (!v.is_object() || v.empty()) {
        r.expected(path, "an object of fault kinds and weights, like {\"crash\": 1}",
                   v.is_object() ? "{}" : describe(v));
        return;
    }
    const auto names = kind_names();
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string p = key_path(path, it.key());
        if (!faults::find_kind(it.key())) {
            r.unknown(p, "unknown fault kind", it.key(), names,
                      " (\"stormlog list faults\" shows them)");
        } else if (const auto w = r.positive_number(it.value(), p, k_weight_max)) {
            out[it.key()] = *w;
        }
    }
}

void check_nemesis_window(Reader& r, const Json& v, const std::string& path, DurationRange w,
                          const Context& ctx) {
    const std::string got = "[" + describe(v[0]) + ", " + describe(v[1]) + "]";
    if (ctx.duration && w.max > *ctx.duration) {
        r.expected(path, "a window within the run (which ends at " + show(*ctx.duration) + ")",
                   got);
    } else if (ctx.quiet_start && w.max > *ctx.quiet_start) {
        r.expected(path,
                   "a window that ends by " + show(*ctx.quiet_start) +
                       " (budget \"within\" keeps the last " + show(ctx.quiet_period) +
                       " fault-free)",
                   got);
    }
}

void read_nemesis(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                  NemesisSpec& n) {
    if (!r.object(v, path, k_nemesis_keys)) return;
    n.enabled = true;
    with_required(r, v, path, "window", [&](const Json& x, const std::string& p) {
        if (const auto w = r.range(x, p)) {
            n.window_start = w->min;
            n.window_end = w->max;
            check_nemesis_window(r, x, p, *w, ctx);
        }
    });
    with(v, path, "mean_interval", [&](const Json& x, const std::string& p) {
        if (const auto d = r.positive_duration(x, p)) n.mean_interval = *d;
    });
    with(v, path, "fault_duration", [&](const Json& x, const std::string& p) {
        if (const auto d = r.range(x, p, true)) {
            n.fault_min = d->min;
            n.fault_max = d->max;
        }
    });
    with_required(r, v, path, "kinds", [&](const Json& x, const std::string& p) {
        read_nemesis_kinds(r, x, p, n.kinds);
    });
}

// ---------------------------------------------------------------------------------------------
// The whole file.

// Budget "within" promises a fault-free tail: it must fit the run.
void check_quiet_period(Reader& r, const Json& doc, const Scenario& s, Context& ctx) {
    ctx.quiet_period = s.quiet_period;
    if (s.quiet_period < *ctx.duration) {
        ctx.quiet_start = *ctx.duration - s.quiet_period;
        return;
    }
    const Json* written = member(doc, "quiet_period");
    r.expected("quiet_period",
               "less than the duration (" + show(*ctx.duration) + ") under budget \"within\"",
               written ? describe(*written) : "the default \"" + show(s.quiet_period) + "\"");
}

// Reads the keys that other checks depend on (cluster, duration, budget, quiet period) and the
// plain ones; returns what faults and the nemesis are checked against.
Context read_settings(Reader& r, const Json& doc, Scenario& s) {
    Context ctx;
    with_required(r, doc, "", "name",
                  [&](const Json& x, const std::string& p) { read_name(r, x, p, s); });
    with_required(r, doc, "", "description", [&](const Json& x, const std::string& p) {
        const auto d = r.string(x, p);
        if (d && !d->empty())
            s.description = *d;
        else if (d)
            r.expected(p, "a non-empty string", x);
    });
    with(doc, "", "cluster",
         [&](const Json& x, const std::string& p) { read_cluster(r, x, p, s.cluster, ctx); });
    with(doc, "", "network",
         [&](const Json& x, const std::string& p) { read_network(r, x, p, s.network); });
    with(doc, "", "disk", [&](const Json& x, const std::string& p) { read_disk(r, x, p, s.disk); });
    with(doc, "", "workload",
         [&](const Json& x, const std::string& p) { read_workload(r, x, p, s.workload); });
    with_required(r, doc, "", "duration", [&](const Json& x, const std::string& p) {
        const auto d = r.duration(x, p);
        if (d && *d > Duration() && *d <= k_duration_max)
            ctx.duration = s.duration = *d;
        else if (d)
            r.expected(p, "a duration > 0 and <= 24h", x);
    });
    bool budget_known = true;
    with(doc, "", "budget", [&](const Json& x, const std::string& p) {
        const auto b = r.choice(x, p, k_budgets);
        if (b) s.budget = *b == "within" ? Budget::within : Budget::beyond;
        budget_known = b.has_value();
    });
    bool quiet_known = true;
    with(doc, "", "quiet_period", [&](const Json& x, const std::string& p) {
        const auto q = r.duration(x, p);
        if (q) s.quiet_period = *q;
        quiet_known = q.has_value();
    });
    with(doc, "", "expect", [&](const Json& x, const std::string& p) {
        if (const auto e = r.choice(x, p, k_expects)) s.expect_pass = *e == "pass";
    });
    with(doc, "", "properties",
         [&](const Json& x, const std::string& p) { read_properties(r, x, p, s.properties); });
    if (budget_known && quiet_known && ctx.duration && s.budget == Budget::within) {
        check_quiet_period(r, doc, s, ctx);
    }
    return ctx;
}

void read_document(Reader& r, const Json& doc, Scenario& s) {
    if (!doc.is_object()) {
        r.error("", "expected a JSON object at the top level, got " + describe(doc));
        return;
    }
    r.object(doc, "", k_top_keys);
    const Context ctx = read_settings(r, doc, s);
    with(doc, "", "faults",
         [&](const Json& x, const std::string& p) { read_faults(r, x, p, ctx, s.faults); });
    with(doc, "", "nemesis",
         [&](const Json& x, const std::string& p) { read_nemesis(r, x, p, ctx, s.nemesis); });
}

void parse_into(const std::string& text, Reader& r, Scenario& s) {
    if (text.size() > k_text_bytes_max) {
        r.error("", "too large: " + std::to_string(text.size()) + " bytes (the limit is 4MiB)");
        return;
    }
    const Syntax syntax = check_syntax(text);
    if (!syntax.ok) {
        report_malformed(r, text, syntax);
        return;
    }
    for (const std::string& p : syntax.duplicate_paths)
        r.error(p, "duplicate key (each key may appear once)");
    read_document(r, Json::parse(text), s);
}

std::string sanitized(std::string s) {
    for (char& c : s) {
        if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return s;
}

// Reads at most `limit` bytes: parse_scenario reports a file above its limit, and /dev/zero
// cannot make us read forever. Returns an error text, or nullopt.
std::optional<std::string> read_file(const std::string& path, size_t limit, std::string& text) {
    const auto describe_errno = [](int e) { return std::generic_category().message(e); };
    struct Close {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    errno = 0;
    const std::unique_ptr<std::FILE, Close> f(std::fopen(path.c_str(), "rb"));
    if (!f) return describe_errno(errno);
    struct stat st {};
    if (::fstat(::fileno(f.get()), &st) != 0) return describe_errno(errno);
    if (S_ISDIR(st.st_mode)) return describe_errno(EISDIR);
    char buffer[1 << 16];
    while (text.size() < limit) {
        const size_t n =
            std::fread(buffer, 1, std::min(sizeof buffer, limit - text.size()), f.get());
        text.append(buffer, n);
        if (n == 0) break;
    }
    if (std::ferror(f.get())) return describe_errno(errno != 0 ? errno : EIO);
    return std::nullopt;
}

}  // namespace

bool parse_scenario(const std::string& text, const std::string& file_label, Scenario& out,
                    ScenarioErrors& errors) {
    Reader r(file_label);
    Scenario s;
    try {
        parse_into(text, r, s);
    } catch (const std::exception& e) {
        // A bug, but the user's file is what triggered it: say so rather than crash.
        r.error("", "internal error while reading the scenario: " + sanitized(e.what()));
    } catch (...) {
        r.error("", "internal error while reading the scenario");
    }
    if (r.count() == 0) {
        s.source = file_label;
        out = std::move(s);
        return true;
    }
    for (std::string& line : r.finish()) errors.lines.push_back(std::move(line));
    return false;
}

bool load_scenario_file(const std::string& path, Scenario& out, ScenarioErrors& errors) {
    std::string text;
    if (const auto error = read_file(path, k_text_bytes_max + 1, text)) {
        errors.lines.push_back(path + ": cannot read: " + *error);
        return false;
    }
    return parse_scenario(text, path, out, errors);
}

}  // namespace stormlog::scenarios
