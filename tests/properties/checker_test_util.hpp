#pragma once
// Helpers for checker tests: histories written as compact JSON lines.

#include <gtest/gtest.h>

#include <string>

#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace stormlog::properties::linearizability::testing {

inline Parsed<CheckReport> try_check(const std::string& jsonl, ModelKind model,
                                     nlohmann::json initial = nullptr) {
    auto operations = parse_history(jsonl, HistoryFormat::jsonl);
    if (!operations) return operations.error();
    CheckOptions options;
    options.model = model;
    options.initial = std::move(initial);
    return check_operations(operations.value(), options);
}

inline CheckReport check(const std::string& jsonl, ModelKind model,
                         nlohmann::json initial = nullptr) {
    auto report = try_check(jsonl, model, std::move(initial));
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().what);
    return report.ok() ? report.value() : CheckReport{Verdict::unknown, {"error"}, 0, 0, 0, 0};
}

inline Verdict verdict(const std::string& jsonl, ModelKind model,
                       nlohmann::json initial = nullptr) {
    return check(jsonl, model, std::move(initial)).verdict;
}

inline std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

// One event line: ev(0, "invoke", "write", "4") -> {"process":0,...,"value":4}.
inline std::string ev(int process, const char* type, const char* f, const std::string& value,
                      const char* key = nullptr) {
    std::string line = "{\"process\":" + std::to_string(process) + ",\"type\":\"" + type +
                       "\",\"f\":\"" + f + "\",\"value\":" + value;
    if (key) line += std::string(",\"key\":\"") + key + "\"";
    return line + "}\n";
}

}  // namespace stormlog::properties::linearizability::testing
