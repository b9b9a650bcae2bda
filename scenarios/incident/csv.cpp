#include "scenarios/incident/csv.hpp"

namespace stormlog::scenarios::incident {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

CsvRow refuse(CsvRow row, size_t index, std::string reason) {
    row.ok = false;
    row.column = index + 1;
    row.reason = std::move(reason);
    return row;
}

}  // namespace

CsvRow split_csv_row(std::string_view line) {
    CsvRow row;
    size_t i = 0;
    for (;;) {
        while (i < line.size() && is_blank(line[i])) ++i;
        std::string cell;
        if (i < line.size() && line[i] == '"') {
            const size_t open = i++;
            for (;;) {
                if (i >= line.size())
                    return refuse(std::move(row), open, "a quoted cell does not end on its line");
                if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                    cell += '"';
                    i += 2;
                } else if (line[i] == '"') {
                    ++i;
                    break;
                } else {
                    cell += line[i++];
                }
            }
            while (i < line.size() && is_blank(line[i])) ++i;
            if (i < line.size() && line[i] != ',')
                return refuse(std::move(row), i, "text after a closing quote");
        } else {
            const size_t start = i;
            while (i < line.size() && line[i] != ',') {
                if (line[i] == '"')
                    return refuse(std::move(row), i,
                                  "a quote inside an unquoted cell (quote the whole cell and "
                                  "double the quotes in it)");
                ++i;
            }
            size_t end = i;
            while (end > start && is_blank(line[end - 1])) --end;
            cell.assign(line.substr(start, end - start));
        }
        row.cells.push_back(std::move(cell));
        if (i >= line.size()) return row;
        ++i;  // the comma
    }
}

}  // namespace stormlog::scenarios::incident
