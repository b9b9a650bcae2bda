#pragma once
// junit.xml of a suite, in the Jenkins/Ant JUnit shape CI servers read: one <testsuite> per
// scenario (in summary order), one <testcase> per run, a <failure> for each run whose verdict was
// not the expected one, carrying the evidence and the command that replays it. Input is the suite
// JSON of /work/report-schema.md (summary.json with "run_list"); output is a pure function of it.

#include <nlohmann/json.hpp>
#include <string>

namespace stormlog::reports {

// At most this many bytes of evidence go into a failure's message attribute (the element's text
// holds it all): CI servers show the message in one line.
constexpr size_t junit_message_max = 500;

std::string junit_xml(const nlohmann::ordered_json& summary);

}  // namespace stormlog::reports
