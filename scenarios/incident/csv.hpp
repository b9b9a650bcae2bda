#pragma once
// One line of CSV (RFC 4180, one record per line) split into its cells.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stormlog::scenarios::incident {

struct CsvRow {
    std::vector<std::string> cells;
    bool ok = true;
    size_t column = 0;   // 1-based byte column of the problem, when !ok
    std::string reason;  // when !ok
};

// Splits `line` (no line break in it) at its commas. A cell in double quotes may hold commas and
// doubled quotes (""); spaces around a cell are dropped, so that hand-written files may align
// their columns. Refused: a quote inside an unquoted cell, text after a closing quote, a quoted
// cell that does not end on its line (a timeline has one record per line).
CsvRow split_csv_row(std::string_view line);

}  // namespace stormlog::scenarios::incident
