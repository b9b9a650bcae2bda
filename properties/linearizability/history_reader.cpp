#include "properties/linearizability/history_reader.hpp"

#include <fstream>
#include <sstream>

namespace stormlog::properties::linearizability {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

HistoryFormat detect_format(std::string_view path, std::string_view text) {
    if (ends_with(path, ".jsonl") || ends_with(path, ".json")) return HistoryFormat::jsonl;
    if (ends_with(path, ".edn")) return HistoryFormat::edn;
    // EDN maps start with `{:`, JSON objects with `{"`; a vector, list or comment is EDN.
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return HistoryFormat::jsonl;
    const std::string_view rest = text.substr(start);
    if (rest.size() >= 2 && rest[0] == '{') {
        const auto next = rest.find_first_not_of(" \t\r\n", 1);
        if (next != std::string_view::npos && (rest[next] == '"' || rest[next] == '}')) {
            return HistoryFormat::jsonl;
        }
    }
    return HistoryFormat::edn;
}

Parsed<std::vector<Operation>> parse_history(std::string_view text, HistoryFormat format,
                                             std::string_view path) {
    if (format == HistoryFormat::automatic) format = detect_format(path, text);
    auto events = format == HistoryFormat::jsonl ? read_jsonl_events(text) : read_edn_events(text);
    if (!events) return events.error();
    // Nothing to check is not a verdict: an empty file (or /dev/null, or only comments) would
    // otherwise pass as "linearizable", and a CI job pointed at the wrong file would pass forever.
    if (events.value().empty())
        return InputError{0, "no operations: an empty history is not a history"};
    return pair_events(events.value());
}

Parsed<std::string> load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return InputError{0, "cannot open the file"};
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return InputError{0, "cannot read the file"};
    return buffer.str();
}

}  // namespace stormlog::properties::linearizability
