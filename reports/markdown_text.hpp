#pragma once
// Markdown building blocks for report.md and summary.md. Text from scenario files and evidence
// is escaped so that it can neither break a table (a `|`, a newline) nor inject HTML or terminal
// control sequences, while plain words and identifiers (raft.leader_change) stay as they are:
// the files are read in a terminal as often as rendered in a PR comment.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stormlog::reports {

// Text for a paragraph, list item or table cell: Markdown's active characters are
// backslash-escaped, newlines become <br> (the one piece of HTML we write), control characters
// "\u001b", and a leading block marker (#, -, +, =, ~, "1.") is escaped.
std::string md_text(std::string_view s);

// A code span (`...`) holding `s` verbatim, with a fence longer than any backtick run inside it.
// In a table cell (`in_table`), a `|` is escaped, as GFM requires even inside code.
std::string md_code(std::string_view s, bool in_table);

// "| a | b |": the cells are written as given (escape them with md_text / md_code first).
std::string md_row(const std::vector<std::string>& cells);

// The header and alignment rows of a table; a heading that starts with '>' is right-aligned
// (numbers), the '>' itself dropped.
std::string md_table_head(const std::vector<std::string>& headings);

// "1.250 s", or "-" when there is no value.
std::string md_seconds(std::optional<double> s);

// "93.3%" of a ratio in [0, 1], or "-".
std::string md_percent(std::optional<double> ratio);

}  // namespace stormlog::reports
