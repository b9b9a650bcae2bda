#pragma once
// The report tests' fixtures (tests/reports/data/): text, or parsed JSON.

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/files.hpp"

namespace stormlog::reports::test {

inline std::string fixture_text(const std::string& name) {
    return test_support::read_text(STORMLOG_SOURCE_DIR "/tests/reports/data/" + name);
}

inline nlohmann::ordered_json fixture_json(const std::string& name) {
    return nlohmann::ordered_json::parse(fixture_text(name));
}

}  // namespace stormlog::reports::test
