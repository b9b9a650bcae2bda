#pragma once
// Tolerant reads of report documents. Reports are rendered from JSON that another build (or a
// hand-edited file) may have written: a missing or mistyped field renders as absent instead of
// throwing halfway through a report.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace stormlog::reports {

using Json = nlohmann::ordered_json;

// j[key] when j is an object that has it, else null.
const Json& field(const Json& j, const char* key);

// j[key] as text: a string as is, a number or boolean as JSON, anything else "".
std::string text_field(const Json& j, const char* key);

// j[key] as a number, or nothing when it is absent, null or not a number.
std::optional<double> number_field(const Json& j, const char* key);

// j[key] when it is a boolean, else `fallback`.
bool bool_field(const Json& j, const char* key, bool fallback);

// j[key] as a count: a non-negative integer, else `fallback`.
uint64_t count_field(const Json& j, const char* key, uint64_t fallback = 0);

// j[key] when it is an array, else an empty one.
const Json& array_field(const Json& j, const char* key);

// Whether a suite's run_list entry counts as passed: its "ok", else whether its "verdict" is the
// "expected" one; an entry that says neither is not made a failure.
bool run_entry_ok(const Json& run);

}  // namespace stormlog::reports
