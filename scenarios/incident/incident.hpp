#pragma once
// Incident import: a production incident's timeline (the format: timeline.hpp,
// docs/incident-format.md) -> a scenario file that `stormlog run` and `stormlog suite` run.
//
// Time zero of the run is the timeline's start (its first event unless set) less the lead-in;
// each fault's `at` is its start event's time since time zero, its `for` the time to its end
// event; the run lasts until the tail after the last event. The scenario is checked by the
// scenario parser before it is handed back, so what is written always loads; a problem it finds
// names the line of the event it came from.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/incident/pairing.hpp"
#include "scenarios/incident/timeline.hpp"
#include "scenarios/scenario_file.hpp"

namespace stormlog::scenarios::incident {

struct Incident {
    nlohmann::ordered_json json;  // the scenario file's contents
    std::string scenario_text;    // ... as the file shows them: one fault per line
    Scenario scenario;            // what parse_scenario read from it
    std::vector<ImportedFault> faults;
    size_t events = 0;
};

// Converts the timeline `text` (the contents of the file `file_label`, used in messages). Returns
// true and fills `out`, or false with one line per problem in `errors`, each starting with
// `file_label`.
bool import_incident(std::string_view text, const std::string& file_label, Incident& out,
                     std::vector<std::string>& errors);

// The scenario of a checked, paired timeline, unchecked itself: import_incident's middle step.
// Problems: a run longer than a scenario may last.
nlohmann::ordered_json scenario_of_timeline(const Timeline& t,
                                            const std::vector<ImportedFault>& faults,
                                            const std::string& file_label, Problems& problems);

// `json` as a scenario file shows it: one key of the top level per line, one fault per line.
std::string scenario_file_text(const nlohmann::ordered_json& json);

// One line about an imported fault: `lines 4-5: partition at=5s for=43s sides=n1,n2|n3,n4,n5`.
std::string describe_fault(const nlohmann::ordered_json& fault, const ImportedFault& source);

}  // namespace stormlog::scenarios::incident
