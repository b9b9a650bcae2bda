#pragma once
// The syntax of a timeline file (the format: timeline.hpp): its lines, as JSON lines or CSV, become
// records - the settings of its header and its events - each a JSON object of the fields its line
// gives. CSV cells become strings; an empty cell is a field not given. What the fields mean is
// timeline.cpp's business.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "scenarios/incident/problems.hpp"

namespace stormlog::scenarios::incident {

using Json = nlohmann::json;

// Hostile input must not exhaust memory or time: at most this much text and this many records.
constexpr size_t k_text_bytes_max = size_t{4} << 20;
constexpr size_t k_records_max = 10000;

struct Record {
    size_t line = 0;  // 1-based, in the file
    Json fields;      // an object
};

struct Records {
    std::vector<Record> header;  // settings, hosts and groups
    std::vector<Record> events;  // in file order
};

// Reads `text`. JSON lines when its first line that is not blank or a comment starts with "{",
// CSV otherwise. Problems of syntax (and of a field given twice) go to `problems`.
Records read_records(std::string_view text, Problems& problems);

}  // namespace stormlog::scenarios::incident
