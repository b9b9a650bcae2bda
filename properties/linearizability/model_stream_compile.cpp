// Turning the stream model's JSON values (documented in model_stream.hpp) into compact ops.
#include <algorithm>
#include <string_view>

#include "properties/linearizability/model_stream.hpp"

namespace stormlog::properties::linearizability {

namespace {

using nlohmann::json;

constexpr std::int64_t k_read_max_limit = std::int64_t{1} << 30;
// Positions are at most this: a position plus a count of events (or a read's limit) then always
// fits in 64 bits, where any position a real stream reaches lies far below.
constexpr std::int64_t k_position_max = std::int64_t{1} << 62;
static_assert(k_position_max + k_read_max_limit > k_position_max, "position + count fits in int64");

// An integer that fits int64 (a larger unsigned one would wrap when read as a position).
bool is_integer(const json& value) {
    if (value.is_number_unsigned()) return value.get<std::uint64_t>() <= std::uint64_t{INT64_MAX};
    return value.is_number_integer();
}

// value == text, without the json temporary that comparing with a string literal builds.
bool is_text(const json& value, std::string_view text) {
    return value.is_string() && value.get_ref<const std::string&>() == text;
}

// object[name], or null when absent or when `object` is no object, without the copy that
// json::value() makes.
const json& field(const json& object, const char* name) {
    static const json k_absent;
    const auto it = object.find(name);
    return it == object.end() ? k_absent : *it;
}

}  // namespace

std::optional<OpError> StreamModel::compile(const Operation& operation, Op& out) {
    out.known = operation.status == OpStatus::ok;
    if (operation.f == "append") return compile_append(operation, out);
    if (operation.f == "read") return compile_read(operation, out);
    return OpError{
        false, "the stream model has no operation '" + operation.f + "' (expected append or read)"};
}

std::optional<OpError> StreamModel::intern_events(const json& ids, bool in_output,
                                                  std::uint32_t& begin, std::uint32_t& count) {
    if (!ids.is_array()) return OpError{in_output, "events must be an array of event ids"};
    begin = static_cast<std::uint32_t>(event_pool_.size());
    for (const json& id : ids) {
        if (!id.is_string() && !is_integer(id)) {
            return OpError{in_output,
                           "an event id must be a string or an integer, not " + id.dump()};
        }
        event_pool_.push_back(event_ids_.intern(id));
    }
    count = static_cast<std::uint32_t>(ids.size());
    return std::nullopt;
}

std::optional<OpError> StreamModel::compile_append(const Operation& operation, Op& out) {
    const json& input = operation.input;
    if (!input.is_object()) {
        return OpError{false, "append value must be {\"expected\": ..., \"events\": [...]}"};
    }
    Append append{Expected::any, 0, false, 0, 0, 0};
    if (auto expected = input.find("expected"); expected != input.end()) {
        if (is_integer(*expected) && expected->get<std::int64_t>() >= -1) {
            append.version = expected->get<std::int64_t>();
            append.expected = append.version == -1 ? Expected::no_stream : Expected::exact;
        } else if (is_text(*expected, "any")) {
            append.expected = Expected::any;
        } else if (is_text(*expected, "no_stream")) {
            append.expected = Expected::no_stream;
        } else if (is_text(*expected, "stream_exists")) {
            append.expected = Expected::stream_exists;
        } else {
            return OpError{false,
                           "\"expected\" must be \"any\", \"no_stream\", "
                           "\"stream_exists\" or a version >= -1, not " +
                               expected->dump()};
        }
    }
    auto events = input.find("events");
    if (events == input.end()) return OpError{false, "append value needs \"events\""};
    if (auto error = intern_events(*events, false, append.events_begin, append.events_count)) {
        return error;
    }
    if (append.events_count == 0) return OpError{false, "an append needs at least one event"};
    for (std::uint32_t i = 0; i < append.events_count; ++i) {
        const auto id = static_cast<std::size_t>(event_pool_[append.events_begin + i]);
        if (appends_with_event_.size() <= id) appends_with_event_.resize(id + 1, 0);
        ++appends_with_event_[id];
    }
    const auto* first = event_pool_.data() + append.events_begin;
    std::vector<std::int32_t> sorted(first, first + append.events_count);
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        return OpError{false, "an append's event ids must be distinct"};
    }
    if (out.known && operation.output.is_object() && operation.output.contains("refused")) {
        return compile_refusal(operation.output, append, out);
    }
    if (out.known && !operation.output.is_null()) {
        const json& output = operation.output;
        if (!output.is_object() || !is_integer(field(output, "first")) ||
            !is_integer(field(output, "last"))) {
            return OpError{true,
                           "append result must be {\"first\": p, \"last\": q}, "
                           "{\"refused\": \"wrong_expected_version\" or "
                           "\"idempotency_conflict\"} or null"};
        }
        const std::int64_t first_position = output["first"].get<std::int64_t>();
        const std::int64_t last = output["last"].get<std::int64_t>();
        if (first_position < 0 || last < first_position || last > k_position_max) {
            return OpError{true,
                           "positions first..last must satisfy 0 <= first <= last <= 2^62, not " +
                               output.dump(-1, ' ', false, json::error_handler_t::replace)};
        }
        append.positions_known = true;
        append.first = first_position;
        if (last - first_position + 1 != append.events_count) {
            return OpError{true, "positions first..last must span the " +
                                     std::to_string(append.events_count) + " events appended"};
        }
    }
    out.kind = k_append;
    out.a = static_cast<std::int64_t>(appends_.size());
    appends_.push_back(append);
    return std::nullopt;
}

std::optional<OpError> StreamModel::compile_refusal(const json& output, Append append, Op& out) {
    const json& why = field(output, "refused");
    Refused refused{append, Refusal::wrong_expected_version};
    if (is_text(why, "idempotency_conflict")) {
        refused.why = Refusal::idempotency_conflict;
    } else if (!is_text(why, "wrong_expected_version")) {
        return OpError{true,
                       "\"refused\" must be \"wrong_expected_version\" or "
                       "\"idempotency_conflict\", not " +
                           why.dump(-1, ' ', false, json::error_handler_t::replace)};
    }
    out.kind = k_refused;
    out.a = static_cast<std::int64_t>(refused_.size());
    refused_.push_back(refused);
    return std::nullopt;
}

std::optional<OpError> StreamModel::compile_read(const Operation& operation, Op& out) {
    const json& input = operation.input;
    const json& from = field(input, "from");
    const json& max = field(input, "max");
    if (!is_integer(from) || !is_integer(max) || from.get<std::int64_t>() < 0 ||
        from.get<std::int64_t>() > k_position_max || max.get<std::int64_t>() < 1 ||
        max.get<std::int64_t>() > k_read_max_limit) {
        return OpError{
            false, "read value must be {\"from\": 0 <= p <= 2^62, \"max\": 1 <= m <= 2^30}, not " +
                       input.dump(-1, ' ', false, json::error_handler_t::replace)};
    }
    Read read{from.get<std::int64_t>(), max.get<std::int64_t>(), 0, 0};
    if (out.known) {
        if (auto error =
                intern_events(operation.output, true, read.events_begin, read.events_count)) {
            return error;
        }
        for (std::uint32_t i = 0; i < read.events_count; ++i) {
            const auto id = static_cast<std::size_t>(event_pool_[read.events_begin + i]);
            if (read_events_.size() <= id) read_events_.resize(id + 1, false);
            read_events_[id] = true;
        }
    }
    out.kind = k_read;
    out.a = static_cast<std::int64_t>(reads_.size());
    reads_.push_back(read);
    return std::nullopt;
}

}  // namespace stormlog::properties::linearizability
