#pragma once
// Text helpers for messages about what a user typed: cutting untrusted text short without
// breaking UTF-8, lists of names, and "did you mean" suggestions for a mistyped word.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace stormlog::sim {

using Names = std::span<const std::string_view>;

// The longest prefix of `s` of at most `max` bytes that does not split a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, size_t max);

// The offset of the first byte of `s` that is not part of a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF included), or npos when `s` is valid UTF-8.
size_t invalid_utf8_at(std::string_view s);

// `"a", "b", "c"`: each name in double quotes, comma-separated.
std::string quoted_list(Names names);

// Levenshtein distance between `a` and `b`, or `limit` + 1 when it is surely above `limit`
// (which keeps long junk cheap: the cost is bounded by the length gap check first).
size_t edit_distance(std::string_view a, std::string_view b, size_t limit);

// The candidate a typo most likely meant: within 3 edits, and within half the candidate's length,
// so that short words do not "match" everything. Ties go to the first candidate.
std::optional<std::string_view> closest(std::string_view word, Names candidates);

// ` (did you mean "x"?)` for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, Names candidates);

}  // namespace stormlog::sim
