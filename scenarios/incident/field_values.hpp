#pragma once
// Typed values of a timeline's fields. CSV gives every value as text and JSON lines as JSON, so a
// number may come either way ("5" or 5); a duration or a timestamp is always text.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace stormlog::scenarios::incident {

// The text of a JSON string; nullopt for anything else.
std::optional<std::string> text_of(const nlohmann::json& v);

// A whole number within [min, max]: a JSON integer, or text of decimal digits with an optional
// leading "-".
std::optional<int64_t> integer_of(const nlohmann::json& v, int64_t min, int64_t max);

// A finite number within [min, max]: a JSON number, or text such as "2.5".
std::optional<double> number_of(const nlohmann::json& v, double min, double max);

// A duration in nanoseconds ("5s", "150ms"; sim::parse_duration), with a leading "-" or "+" when
// `signed_ok`.
std::optional<int64_t> duration_of(const nlohmann::json& v, bool signed_ok);

}  // namespace stormlog::scenarios::incident
