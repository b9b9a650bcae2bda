#pragma once
// Helpers the scenario file tests share: a file's error lines, a minimal valid file to extend.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "scenarios/scenario_file.hpp"

namespace stormlog::scenarios::test_support {

// The error lines for `text` read as storm.json (empty when it is valid).
inline std::vector<std::string> errors_of(const std::string& text) {
    Scenario s;
    ScenarioErrors e;
    const bool ok = parse_scenario(text, "storm.json", s, e);
    EXPECT_EQ(ok, e.lines.empty());
    return e.lines;
}

inline std::vector<std::string> lines(std::initializer_list<const char*> l) {
    return std::vector<std::string>(l.begin(), l.end());
}

// A valid file plus `extra` members (a JSON fragment starting with a comma, or empty).
inline std::string minimal(const std::string& extra = "", const std::string& duration = "\"30s\"") {
    return R"({"name": "storm", "description": "d", "duration": )" + duration + extra + "}";
}

inline Scenario parsed(const std::string& text) {
    Scenario s;
    ScenarioErrors e;
    EXPECT_TRUE(parse_scenario(text, "storm.json", s, e)) << (e.lines.empty() ? "" : e.lines[0]);
    return s;
}

}  // namespace stormlog::scenarios::test_support
