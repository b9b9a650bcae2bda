#include "scenarios/incident/problems.hpp"

#include "scenarios/json_reader.hpp"

namespace stormlog::scenarios::incident {

bool Problems::room() const {
    return lines_.size() < k_error_lines_max;
}

void Problems::add(std::string line) {
    if (room()) lines_.push_back(std::move(line));
    ++count_;
}

void Problems::at(size_t line, const std::string& field, const std::string& what) {
    add(label_ + ":" + std::to_string(line) + ": " + (field.empty() ? "" : field + ": ") + what);
}

void Problems::at_column(size_t line, size_t column, const std::string& what) {
    add(label_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
}

void Problems::file(const std::string& what) {
    add(label_ + ": " + what);
}

std::vector<std::string> Problems::finish() {
    if (count_ > lines_.size())
        lines_.push_back(label_ + ": " + std::to_string(count_ - lines_.size()) +
                         " more errors not shown");
    return std::move(lines_);
}

}  // namespace stormlog::scenarios::incident
