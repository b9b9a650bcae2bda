// Jepsen's EDN histories: op maps such as {:process 7, :type :invoke, :f :cas, :value [2 3]},
// either inside one vector (or list) or one per line.
#include <algorithm>
#include <cstdio>
#include <string>

#include "properties/linearizability/edn.hpp"
#include "properties/linearizability/history_reader.hpp"
#include "sim/text.hpp"

namespace stormlog::properties::linearizability {

namespace {

const edn::Value* find_field(const edn::Value& map, std::string_view name) {
    for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
        const edn::Value& key = map.items[i];
        if ((key.kind == edn::Kind::keyword || key.kind == edn::Kind::string) && key.text == name) {
            return &map.items[i + 1];
        }
    }
    return nullptr;
}

Parsed<EventType> parse_type(const edn::Value* type, std::size_t line) {
    const std::string_view name = type ? edn::name_of(*type) : std::string_view{};
    if (name == "invoke") return EventType::invoke;
    if (name == "ok") return EventType::ok;
    if (name == "fail") return EventType::fail;
    if (name == "info") return EventType::info;
    return InputError{line, ":type must be :invoke, :ok, :fail or :info"};
}

// Converts one op map. A map whose :process is not an integer (:nemesis) is kept without
// further checks: it is not a client operation and pair_events() drops it.
Parsed<Event> parse_event(const edn::Value& map) {
    const std::size_t line = map.line;
    if (map.kind != edn::Kind::map) return InputError{line, "expected an operation map {...}"};
    Event event;
    event.line = line;
    const edn::Value* process = find_field(map, "process");
    if (!process) return InputError{line, "missing :process"};
    if (process->kind != edn::Kind::integer) return event;
    event.process = process->integer;
    auto type = parse_type(find_field(map, "type"), line);
    if (!type) return type.error();
    event.type = type.value();
    const edn::Value* f = find_field(map, "f");
    if (!f || edn::name_of(*f).empty()) return InputError{line, ":f must be a keyword or string"};
    event.f = std::string(edn::name_of(*f));
    if (const edn::Value* value = find_field(map, "value")) event.value = edn::to_json(*value);
    if (const edn::Value* key = find_field(map, "key")) {
        if (key->kind != edn::Kind::nil) event.key = edn::to_json(*key);
    }
    if (const edn::Value* time = find_field(map, "time")) {
        if (time->kind != edn::Kind::integer) return InputError{line, ":time must be an integer"};
        event.time = time->integer;
    }
    return event;
}

Parsed<bool> append_events(const std::vector<edn::Value>& maps, std::vector<Event>& events) {
    for (const edn::Value& map : maps) {
        auto event = parse_event(map);
        if (!event) return event.error();
        events.push_back(std::move(event.value()));
    }
    return true;
}

}  // namespace

Parsed<std::vector<Event>> read_edn_events(std::string_view text) {
    // Strings and symbols become JSON strings, which must be valid UTF-8 to be printed.
    if (const std::size_t at = sim::invalid_utf8_at(text); at != std::string_view::npos) {
        const auto line = static_cast<std::size_t>(
            1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X",
                      static_cast<unsigned>(static_cast<unsigned char>(text[at])));
        return InputError{line,
                          std::string("invalid UTF-8 (byte ") + byte + "): EDN text must be UTF-8"};
    }
    edn::Reader reader(text);
    std::vector<Event> events;
    edn::Value form;
    bool first = true;
    bool in_vector = false;
    while (true) {
        auto read = reader.next(form);
        if (!read) return read.error();
        if (!read.value()) break;
        if (in_vector) {
            return InputError{form.line, "unexpected form after the history's closing bracket"};
        }
        const bool is_sequence = form.kind == edn::Kind::vector || form.kind == edn::Kind::list;
        if (first && is_sequence) {
            in_vector = true;
            auto appended = append_events(form.items, events);
            if (!appended) return appended.error();
        } else {
            auto event = parse_event(form);
            if (!event) return event.error();
            events.push_back(std::move(event.value()));
        }
        first = false;
    }
    return events;
}

}  // namespace stormlog::properties::linearizability
