#include "reports/junit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "reports/json_fields.hpp"
#include "reports/text.hpp"
#include "reports/xml_text.hpp"

namespace stormlog::reports {
namespace {

// The runs of one scenario, in run-list order.
struct Group {
    std::string scenario;
    std::vector<const Json*> runs;
};

// Groups in the order of summary "scenarios"; a run of a scenario not listed there gets a group
// of its own after them, so that no run goes missing from the XML.
std::vector<Group> group_runs(const Json& summary) {
    std::vector<Group> groups;
    for (const Json& s : array_field(summary, "scenarios"))
        groups.push_back({text_field(s, "name"), {}});
    for (const Json& run : array_field(summary, "run_list")) {
        const std::string name = text_field(run, "scenario");
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const Group& g) { return g.scenario == name; });
        if (it == groups.end()) it = groups.insert(groups.end(), Group{name, {}});
        it->runs.push_back(&run);
    }
    return groups;
}

double wall_of(const Json& run) {
    return number_field(run, "wall_s").value_or(0.0);
}

std::string seconds(double s) {
    return fmt::format("{:.3f}", s);
}

struct Failure {
    std::string type;
    std::string message;
    std::string text;
};

Failure failure_of(const Json& run) {
    const Json& f = field(run, "failure");
    const std::string replay = "replay: " + text_field(run, "replay") + "\n";
    if (f.is_object()) {
        const std::string property = text_field(f, "property");
        const std::string evidence = valid_utf8(text_field(f, "evidence"));
        const std::string where =
            fmt::format("{} at {} s on {}\n", property,
                        seconds(number_field(f, "at_s").value_or(0.0)), text_field(f, "node"));
        return {property, property + ": " + truncate_utf8(evidence, junit_message_max),
                where + evidence + "\n" + replay};
    }
    if (text_field(run, "verdict") == "pass" && text_field(run, "expected") == "fail") {
        const std::string message = fmt::format(
            "scenario {} expected a failure, but every property held", text_field(run, "scenario"));
        return {"expected-failure", message, message + "\n" + replay};
    }
    const std::string message = fmt::format("verdict {}, expected {}", text_field(run, "verdict"),
                                            text_field(run, "expected"));
    return {"failure", message, message + "\n" + replay};
}

void write_testcase(std::string& out, const std::string& scenario, const Json& run) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\">\n",
                       xml_attribute("stormlog." + scenario),
                       xml_attribute("seed-" + text_field(run, "seed")), seconds(wall_of(run)));
    if (!run_entry_ok(run)) {
        const Failure f = failure_of(run);
        out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                           xml_attribute(f.message), xml_attribute(f.type), xml_text(f.text));
    }
    std::string system_out = "replay: " + text_field(run, "replay") + "\n";
    if (field(run, "report").is_string())
        system_out += "report: " + text_field(run, "report") + "\n";
    out += fmt::format("      <system-out>{}</system-out>\n", xml_text(system_out));
    out += "    </testcase>\n";
}

void write_testsuite(std::string& out, const Group& g) {
    size_t failures = 0;
    double time = 0;
    for (const Json* run : g.runs) {
        failures += run_entry_ok(*run) ? 0 : 1;
        time += wall_of(*run);
    }
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
        "time=\"{}\">\n",
        xml_attribute(g.scenario), g.runs.size(), failures, seconds(time));
    for (const Json* run : g.runs) write_testcase(out, g.scenario, *run);
    out += "  </testsuite>\n";
}

}  // namespace

std::string junit_xml(const Json& summary) {
    const std::vector<Group> groups = group_runs(summary);
    size_t tests = 0, failures = 0;
    double time = 0;
    for (const Group& g : groups) {
        for (const Json* run : g.runs) {
            ++tests;
            failures += run_entry_ok(*run) ? 0 : 1;
            time += wall_of(*run);
        }
    }
    // The suite's own wall time when it has one: its runs ran in parallel.
    time = number_field(summary, "wall").value_or(time);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<testsuites name=\"stormlog\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n",
        tests, failures, seconds(time));
    for (const Group& g : groups) write_testsuite(out, g);
    out += "</testsuites>\n";
    return out;
}

}  // namespace stormlog::reports
