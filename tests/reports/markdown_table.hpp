#pragma once
// How a Markdown renderer splits a table row into cells, for tests that check a table keeps its
// shape whatever text its cells hold.

#include <cstddef>
#include <string>

namespace stormlog::reports::test {

// GFM (and markdown-it) split cells at each `|` not right after a backslash, however many
// backslashes come before it: "\\|" is an escaped pipe after a backslash, not a separator.
inline size_t cell_separators(const std::string& row) {
    size_t n = 0;
    for (size_t i = 0; i < row.size(); ++i)
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++n;
    return n;
}

}  // namespace stormlog::reports::test
