#pragma once
// Helpers the incident import tests share: timelines to convert, what they convert to, and the
// error lines they give.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/incident/incident.hpp"
#include "scenarios/incident/pairing.hpp"
#include "scenarios/incident/records.hpp"
#include "scenarios/incident/timeline.hpp"

namespace stormlog::scenarios::incident::test_support {

// Lines 1-3 of a JSON-lines timeline: five store nodes, a client, two groups.
inline const std::string k_header =
    R"({"name": "t", "nodes": 5})"
    "\n"
    R"({"hosts": {"db1": "n1", "db2": "n2", "db3": "n3", "db4": "n4", "db5": "n5", "app1": "c1"}})"
    "\n"
    R"({"groups": {"east": ["db1", "db2", "app1"], "west": ["db3", "db4", "db5"]}})"
    "\n";

// One event line on 2018-10-21 at `clock` (HH:MM:SS, UTC); `more` is further members, e.g.
// `, "value": "5s"`.
inline std::string event(const std::string& clock, const std::string& name,
                         const std::string& host = "", const std::string& more = "") {
    return R"({"time": "2018-10-21T)" + clock + R"(Z", "event": ")" + name + "\"" +
           (host.empty() ? "" : R"(, "host": ")" + host + "\"") + more + "}\n";
}

// The scenario file a timeline converts to, before the scenario parser checks it; empty (and a
// test failure) when the timeline is refused.
inline std::string converted(const std::string& text, const std::string& label = "t.jsonl") {
    Problems problems(label);
    const Records records = read_records(text, problems);
    Timeline t;
    std::vector<ImportedFault> faults;
    if (problems.count() == 0 && read_timeline(records, problems, t))
        faults = pair_events(t, problems);
    nlohmann::ordered_json json;
    if (problems.count() == 0) json = scenario_of_timeline(t, faults, label, problems);
    const std::vector<std::string> errors = problems.finish();
    EXPECT_TRUE(errors.empty()) << errors.front();
    return errors.empty() ? scenario_file_text(json) : "";
}

// The fault lines of converted(text): one JSON object each, as the file writes them.
inline std::vector<std::string> fault_lines(const std::string& text) {
    std::vector<std::string> lines;
    const std::string file = converted(text);
    for (size_t at = file.find("\n    {"); at != std::string::npos;
         at = file.find("\n    {", at + 1)) {
        const size_t end = file.find('\n', at + 1);
        std::string line = file.substr(at + 5, end - at - 5);
        if (line.ends_with(",")) line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

// The error lines import_incident gives for `text` (empty when it converts).
inline std::vector<std::string> import_errors(const std::string& text,
                                              const std::string& label = "t.jsonl") {
    Incident out;
    std::vector<std::string> errors;
    const bool ok = import_incident(text, label, out, errors);
    EXPECT_EQ(ok, errors.empty());
    return errors;
}

}  // namespace stormlog::scenarios::incident::test_support
