#pragma once
// Reading and validating scenario files. Validation happens before anything runs and reports
// every problem it finds, one line each, naming the file, the JSON path and what was expected:
//   storm.json: faults[2].at: expected a duration like "1.5s", got "soon"
//   storm.json: netwrok: unknown key (did you mean "network"?)
//   storm.json: cluster.nodes: expected an integer in 1..15, got 40
//   storm.json:7:12: malformed JSON: ...

#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace stormlog::scenarios {

struct ScenarioErrors {
    std::vector<std::string> lines;  // each a complete message as above
};

// Parses `text` (the contents of a file called `file_label`, used in messages). Returns true and
// fills `out` on success; on failure fills `errors` and leaves `out` unspecified.
bool parse_scenario(const std::string& text, const std::string& file_label, Scenario& out, ScenarioErrors& errors);

// Reads and parses the file at `path` (file_label: the path as given). A file that cannot be read
// is one error line.
bool load_scenario_file(const std::string& path, Scenario& out, ScenarioErrors& errors);

}  // namespace stormlog::scenarios
