// stormlog's JSON-lines histories: one object per line, fields as in HISTORY_FORMAT.md.
#include <string>

#include "properties/linearizability/history_reader.hpp"

namespace stormlog::properties::linearizability {

namespace {

using nlohmann::json;

bool is_blank_line(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Deeper nesting is damage, not a history, and the DOM's depth is unbounded (a line of 66,000
// nested arrays once took the process down); the EDN reader has the same limit.
constexpr int k_depth_max = 256;

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, ";
// the line is ours to give, so keep what follows, with bytes that would garble the line replaced.
std::string trim_json_message(std::string message) {
    if (const auto b = message.find("] ");
        message.starts_with("[json.exception.") && b != std::string::npos) {
        message.erase(0, b + 2);
    }
    if (const auto at = message.find("column "); at != std::string::npos) message.erase(0, at);
    for (char& c : message) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    }
    return message;
}

// Thrown by the parser callback past k_depth_max: stops the parse before the value gets deeper.
struct TooDeep {};

Parsed<EventType> parse_type(const json& type, std::size_t line) {
    if (type.is_string()) {
        const auto& s = type.get_ref<const std::string&>();
        if (s == "invoke") return EventType::invoke;
        if (s == "ok") return EventType::ok;
        if (s == "fail") return EventType::fail;
        if (s == "info") return EventType::info;
    }
    return InputError{
        line, "\"type\" must be \"invoke\", \"ok\", \"fail\" or \"info\", not " + type.dump()};
}

Parsed<Event> parse_event(const json& object, std::size_t line) {
    if (!object.is_object()) return InputError{line, "expected a JSON object"};
    Event event;
    event.line = line;
    const auto process = object.find("process");
    if (process == object.end()) return InputError{line, "missing \"process\""};
    // Like Jepsen, a non-integer process (a nemesis, say) is not a client: kept, then dropped.
    if (process->is_number_integer()) event.process = process->get<std::int64_t>();
    const auto type = object.find("type");
    if (type == object.end()) return InputError{line, "missing \"type\""};
    auto parsed_type = parse_type(*type, line);
    if (!parsed_type) return parsed_type.error();
    event.type = parsed_type.value();
    const auto f = object.find("f");
    if (f == object.end() || !f->is_string()) return InputError{line, "\"f\" must be a string"};
    event.f = f->get<std::string>();
    const auto value = object.find("value");
    if (value == object.end()) return InputError{line, "missing \"value\" (it may be null)"};
    event.value = *value;
    if (const auto key = object.find("key"); key != object.end()) {
        if (!key->is_string() && !key->is_number_integer()) {
            return InputError{line, "\"key\" must be a string or an integer"};
        }
        event.key = *key;
    }
    if (const auto time = object.find("time"); time != object.end()) {
        if (!time->is_number_integer()) return InputError{line, "\"time\" must be an integer"};
        event.time = time->get<std::int64_t>();
    }
    return event;
}

}  // namespace

Parsed<std::vector<Event>> read_jsonl_events(std::string_view text) {
    std::vector<Event> events;
    std::size_t line = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        ++line;
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view content = text.substr(start, end - start);
        start = end + 1;
        if (is_blank_line(content)) continue;
        json object;
        try {
            object = json::parse(content, [](int depth, json::parse_event_t, json&) {
                if (depth > k_depth_max) throw TooDeep{};
                return true;
            });
        } catch (const TooDeep&) {
            return InputError{
                line, "values nested deeper than " + std::to_string(k_depth_max) + " levels"};
        } catch (const json::exception& e) {  // syntax, and numbers too large for a double
            return InputError{line, "invalid JSON: " + trim_json_message(e.what())};
        }
        auto event = parse_event(object, line);
        if (!event) return event.error();
        events.push_back(std::move(event.value()));
    }
    return events;
}

}  // namespace stormlog::properties::linearizability
