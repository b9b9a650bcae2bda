// A scenario file as a user hands it to `stormlog run FILE`: parsed and validated, or refused
// with one message per problem, each naming the file.
#include "scenarios/scenario_file.hpp"

#include <string>

#include "fuzz/fuzz_target.hpp"

namespace scenarios = stormlog::scenarios;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(stormlog::fuzz::as_text(data, size));
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    if (scenarios::parse_scenario(text, "fuzz.json", scenario, errors)) {
        FUZZ_CHECK(errors.lines.empty());
        FUZZ_CHECK(!scenario.name.empty());
        FUZZ_CHECK(scenario.duration.ns() > 0);
        return 0;
    }
    // A refusal always says why, and where.
    FUZZ_CHECK(!errors.lines.empty());
    for (const std::string& line : errors.lines) FUZZ_CHECK(line.starts_with("fuzz.json"));
    return 0;
}
