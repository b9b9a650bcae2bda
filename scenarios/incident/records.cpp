#include "scenarios/incident/records.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "scenarios/incident/csv.hpp"
#include "scenarios/json_reader.hpp"
#include "scenarios/json_syntax.hpp"
#include "sim/text.hpp"

namespace stormlog::scenarios::incident {
namespace {

// A timeline line nests at most an object of groups of arrays; more is not a timeline.
constexpr size_t k_depth_max = 8;

constexpr std::array<std::string_view, 6> k_columns = {"time", "event", "host",
                                                       "peer", "value", "note"};

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

// Calls f(line_number, line) for each line that is not blank or a comment, without its line
// break (a "\r\n" file reads as a "\n" one) or the UTF-8 byte order mark of the first.
template <class F>
void for_each_line(std::string_view text, F&& f) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    size_t number = 0;
    while (!text.empty()) {
        const size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (line.ends_with('\r')) line.remove_suffix(1);
        const std::string_view content = trim_left(line);
        if (content.empty() || content.front() == '#') continue;
        if (!f(number, line)) return;
    }
}

class Collector {
  public:
    Collector(Records& out, Problems& problems) : out_(out), problems_(problems) {}

    // False once the record limit is reached: the rest of the file is not read.
    bool add(size_t line, Json fields, bool is_event) {
        if (out_.header.size() + out_.events.size() >= k_records_max) {
            problems_.file("more than " + std::to_string(k_records_max) +
                           " settings and events (split the timeline)");
            return false;
        }
        if (is_event) {
            out_.events.push_back(Record{line, std::move(fields)});
        } else if (!out_.events.empty()) {
            problems_.at(line, "",
                         "settings, hosts and groups come before the first event (line " +
                             std::to_string(out_.events.front().line) + ")");
        } else {
            out_.header.push_back(Record{line, std::move(fields)});
        }
        return true;
    }

  private:
    Records& out_;
    Problems& problems_;
};

// ---- JSON lines ----

bool read_json_line(size_t n, std::string_view line, Collector& out, Problems& p) {
    const std::string text(line);
    const Syntax syntax = check_syntax(text, k_depth_max);
    if (!syntax.ok) {
        p.at_column(n, syntax.offset + 1, "malformed JSON: " + short_reason(syntax.reason));
        return true;
    }
    for (const std::string& path : syntax.duplicate_paths) p.at(n, path, "given twice");
    if (!syntax.duplicate_paths.empty()) return true;
    Json v = Json::parse(text, nullptr, false);
    if (!v.is_object()) {
        p.expected(n, "", "a JSON object (one setting line or event per line)", describe(v));
        return true;
    }
    const bool is_event = v.contains("time") || v.contains("event");
    return out.add(n, std::move(v), is_event);
}

// ---- CSV ----

class CsvReader {
  public:
    CsvReader(Collector& out, Problems& p) : out_(out), p_(p) {}

    bool row(size_t n, std::string_view line) {
        // Cells end up in the scenario's JSON, which holds UTF-8 only (JSON lines are checked by
        // their parser).
        if (const size_t bad = sim::invalid_utf8_at(line); bad != std::string_view::npos) {
            p_.at_column(n, bad + 1, "malformed CSV: not UTF-8 text");
            return true;
        }
        CsvRow row = split_csv_row(line);
        if (!row.ok) {
            p_.at_column(n, row.column, "malformed CSV: " + row.reason);
            return true;
        }
        // Spreadsheets export blank rows as commas.
        if (std::all_of(row.cells.begin(), row.cells.end(),
                        [](const std::string& c) { return c.empty(); }))
            return true;
        if (columns_.empty() && row.cells[0] == "time") {
            read_header_row(n, row.cells);
            return true;
        }
        return columns_.empty() ? setting(n, row.cells) : event(n, row.cells);
    }

  private:
    // "time,event,host,...": the columns, in the file's order.
    void read_header_row(size_t n, std::vector<std::string> cells) {
        while (!cells.empty() && cells.back().empty()) cells.pop_back();  // spreadsheets pad
        for (size_t i = 0; i < cells.size(); ++i) {
            const std::string field = "column " + std::to_string(i + 1);
            if (std::find(k_columns.begin(), k_columns.end(), cells[i]) == k_columns.end()) {
                const std::string hint = sim::did_you_mean(cells[i], k_columns);
                p_.expected(n, field, "a column name (" + sim::quoted_list(k_columns) + ")",
                            quote(cells[i]) + hint);
            } else if (std::find(cells.begin(), cells.begin() + static_cast<long>(i), cells[i]) !=
                       cells.begin() + static_cast<long>(i)) {
                p_.at(n, field, quote(cells[i]) + " given twice");
            }
        }
        if (std::find(cells.begin(), cells.end(), "event") == cells.end())
            p_.at(n, "", "the header row has no \"event\" column");
        columns_ = std::move(cells);
    }

    // A row above the header: `KEY,VALUE`, `host,HOST,NODE` or `group,GROUP,HOST...`.
    bool setting(size_t n, std::vector<std::string> cells) {
        while (!cells.empty() && cells.back().empty()) cells.pop_back();
        const std::string& key = cells[0];
        const size_t values = cells.size() - 1;
        Json fields = Json::object();
        if (key == "host" && values == 2) {
            fields["hosts"][cells[1]] = cells[2];
        } else if (key == "group" && values >= 2) {
            fields["groups"][cells[1]] = std::vector<std::string>(cells.begin() + 2, cells.end());
        } else if (key != "host" && key != "group" && values == 1) {
            fields[key] = cells[1];
        } else {
            const std::string want = key == "host"    ? "host,HOST,NODE"
                                     : key == "group" ? "group,GROUP,HOST[,HOST...]"
                                                      : "KEY,VALUE";
            p_.expected(n, "", "a setting row " + want + " (or the header row time,event,...)",
                        std::to_string(cells.size()) + " cells");
            return true;
        }
        return out_.add(n, std::move(fields), false);
    }

    bool event(size_t n, const std::vector<std::string>& cells) {
        Json fields = Json::object();
        for (size_t i = 0; i < cells.size(); ++i) {
            if (cells[i].empty()) continue;
            if (i >= columns_.size()) {
                p_.expected(n, "",
                            "at most " + std::to_string(columns_.size()) +
                                " cells (the header row's columns)",
                            std::to_string(cells.size()));
                return true;
            }
            fields[columns_[i]] = cells[i];
        }
        return out_.add(n, std::move(fields), true);
    }

    Collector& out_;
    Problems& p_;
    std::vector<std::string> columns_;  // empty until the header row
};

bool is_json_lines(std::string_view text) {
    bool json = false;
    for_each_line(text, [&](size_t, std::string_view line) {
        json = trim_left(line).starts_with("{");
        return false;
    });
    return json;
}

}  // namespace

Records read_records(std::string_view text, Problems& problems) {
    Records records;
    if (text.size() > k_text_bytes_max) {
        problems.file("more than " + std::to_string(k_text_bytes_max >> 20) +
                      " MiB of text (split the timeline)");
        return records;
    }
    Collector out(records, problems);
    if (is_json_lines(text)) {
        for_each_line(text, [&](size_t n, std::string_view line) {
            return read_json_line(n, line, out, problems);
        });
    } else {
        CsvReader csv(out, problems);
        for_each_line(text, [&](size_t n, std::string_view line) { return csv.row(n, line); });
    }
    return records;
}

}  // namespace stormlog::scenarios::incident
