// An incident timeline as a user hands it to `stormlog incident FILE`: converted into a scenario
// that loads, or refused with one message per problem, each naming the file.
#include <string>
#include <vector>

#include "fuzz/fuzz_target.hpp"
#include "scenarios/incident/incident.hpp"

namespace incident = stormlog::scenarios::incident;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = stormlog::fuzz::as_text(data, size);
    incident::Incident out;
    std::vector<std::string> errors;
    if (incident::import_incident(text, "fuzz.csv", out, errors)) {
        FUZZ_CHECK(errors.empty());
        // What would be written loads as a scenario, the same one.
        stormlog::scenarios::Scenario again;
        stormlog::scenarios::ScenarioErrors again_errors;
        FUZZ_CHECK(stormlog::scenarios::parse_scenario(out.scenario_text, "again.json", again,
                                                       again_errors));
        FUZZ_CHECK(again.faults.size() == out.faults.size());
        return 0;
    }
    FUZZ_CHECK(!errors.empty());
    for (const std::string& line : errors) FUZZ_CHECK(line.starts_with("fuzz.csv"));
    return 0;
}
