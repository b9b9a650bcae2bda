#pragma once
// The syntax of a JSON file, checked before its DOM is built: nlohmann reports number overflow
// without a position and keeps the last of two equal keys silently, and its DOM has no depth
// limit; a SAX pass sees all three. Malformed input becomes one line,
// `FILE:LINE:COLUMN: malformed JSON: REASON`.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/json_reader.hpp"

namespace stormlog::scenarios {

struct Syntax {
    bool ok = true;
    size_t offset = 0;  // of the offending byte, when !ok
    std::string reason;
    std::vector<std::string> duplicate_paths;  // keys given twice in one object
};

// Checks `text`, nesting at most `depth_max` levels deep.
Syntax check_syntax(const std::string& text, size_t depth_max);

// A failed check's reason as a person reads it: nlohmann's "[json.exception.parse_error.101] parse
// error at line 2, column 8: syntax error while parsing value - invalid literal; last read: '...'"
// -> "invalid literal (expected ...)". The position is the caller's to print; "last read" shows
// the token's raw bytes, which may be long or not UTF-8, so it goes.
std::string short_reason(std::string what);

// Records the malformed-JSON line for a failed check_syntax.
void report_malformed(Reader& r, std::string_view text, const Syntax& syntax);

}  // namespace stormlog::scenarios
