#pragma once
// Reading histories: stormlog's JSON lines (shared/HISTORY_FORMAT.md) and Jepsen's EDN (a vector
// of op maps, or one map per line). Both yield the same Events, paired by pair_events().

#include <string>
#include <string_view>
#include <vector>

#include "properties/linearizability/history.hpp"
#include "properties/linearizability/input_error.hpp"

namespace stormlog::properties::linearizability {

enum class HistoryFormat { automatic, jsonl, edn };

// By extension (.jsonl/.json, .edn), else by content: JSON lines start with `{"`.
HistoryFormat detect_format(std::string_view path, std::string_view text);

Parsed<std::vector<Event>> read_jsonl_events(std::string_view text);
Parsed<std::vector<Event>> read_edn_events(std::string_view text);

// Reads and pairs a whole history. `path` only serves format detection.
Parsed<std::vector<Operation>> parse_history(std::string_view text, HistoryFormat format,
                                             std::string_view path = {});

// The file's bytes, or an error (line 0) saying why it could not be read.
Parsed<std::string> load_file(const std::string& path);

}  // namespace stormlog::properties::linearizability
