#pragma once
// The error lines of an incident import, each naming the file, the line and the field:
// `FILE:LINE: FIELD: expected WHAT, got FOUND`. Capped like the scenario parser's, so that a
// hostile file is answered with a bounded report.

#include <cstddef>
#include <string>
#include <vector>

namespace stormlog::scenarios::incident {

class Problems {
  public:
    explicit Problems(std::string file_label) : label_(std::move(file_label)) {}

    // `FILE:LINE: FIELD: WHAT` (FIELD empty: `FILE:LINE: WHAT`).
    void at(size_t line, const std::string& field, const std::string& what);
    void expected(size_t line, const std::string& field, const std::string& what,
                  const std::string& got) {
        at(line, field, "expected " + what + ", got " + got);
    }
    // `FILE:LINE:COLUMN: WHAT`: malformed syntax.
    void at_column(size_t line, size_t column, const std::string& what);
    // `FILE: WHAT`: the file as a whole.
    void file(const std::string& what);

    const std::string& label() const { return label_; }
    // Whether another line would still be shown: past the cap, a caller skips what only the line
    // needs (a "did you mean" search), so a file of a million mistakes is answered promptly.
    bool room() const;
    size_t count() const { return count_; }
    // The error lines, with a count of those past the cap.
    std::vector<std::string> finish();

  private:
    void add(std::string line);
    std::string label_;
    std::vector<std::string> lines_;
    size_t count_ = 0;
};

}  // namespace stormlog::scenarios::incident
