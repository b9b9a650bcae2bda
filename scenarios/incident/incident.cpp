#include "scenarios/incident/incident.hpp"

#include <cstdio>
#include <filesystem>

#include "faults/catalogue.hpp"
#include "scenarios/incident/field_values.hpp"
#include "scenarios/incident/records.hpp"
#include "scenarios/scenario_writer.hpp"
#include "sim/assert.hpp"

namespace stormlog::scenarios::incident {
namespace {

using OrderedJson = nlohmann::ordered_json;

constexpr int64_t k_run_ns_max = 24 * 3600 * k_ns_per_s;  // the scenario format's bound

// A fault's target as the scenario file writes it: one node as a string, several as an array.
OrderedJson target_json(const std::vector<std::string>& nodes) {
    if (nodes.size() == 1) return nodes.front();
    return nodes;
}

OrderedJson fault_json(const ImportedFault& f, int64_t time_zero_ns) {
    const faults::FaultKindInfo* kind = faults::find_kind(f.kind);
    SL_ASSERT(kind != nullptr && "pairing.cpp makes catalogue kinds only");
    OrderedJson j;
    j["kind"] = f.kind;
    j["at"] = exact_duration(sim::Duration::nanos(f.start_ns - time_zero_ns));
    if (f.lasting) j["for"] = exact_duration(sim::Duration::nanos(f.end_ns - f.start_ns));
    if (!f.target.empty()) j["target"] = target_json(f.target);
    if (!f.sides.empty()) j["sides"] = f.sides;
    if (!f.params.empty()) {
        OrderedJson params = OrderedJson::object();
        for (const auto& [name, value] : f.params) params[name] = value;
        j["params"] = params;
    }
    return j;
}

// `{"a": 1, "b": [2, 3]}`: JSON on one line, spaced as people write it.
std::string inline_json(const OrderedJson& v) {
    std::string out;
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            out += (out.empty() ? "" : ", ") + OrderedJson(it.key()).dump() + ": " +
                   inline_json(it.value());
        return "{" + out + "}";
    }
    if (v.is_array()) {
        for (const OrderedJson& x : v) out += (out.empty() ? "" : ", ") + inline_json(x);
        return "[" + out + "]";
    }
    return v.dump();
}

// A problem of the scenario parser, told at the line of the event a fault came from: its lines
// read `LABEL: faults[2].target: ...`.
std::string at_source_line(const std::string& line, const std::string& label,
                           const std::vector<ImportedFault>& faults) {
    const std::string prefix = label + ": ";
    if (!line.starts_with(prefix)) return line;
    const std::string rest = line.substr(prefix.size());
    size_t index = 0;
    if (rest.starts_with("faults[") && std::sscanf(rest.c_str(), "faults[%zu]", &index) == 1 &&
        index < faults.size())
        return label + ":" + std::to_string(faults[index].line) + ": scenario " + rest;
    return prefix + "scenario " + rest;
}

std::string joined(const OrderedJson& nodes) {
    std::string out;
    for (const OrderedJson& n : nodes) out += (out.empty() ? "" : ",") + n.get<std::string>();
    return out;
}

}  // namespace

OrderedJson scenario_of_timeline(const Timeline& t, const std::vector<ImportedFault>& faults,
                                 const std::string& file_label, Problems& problems) {
    SL_ASSERT(!t.events.empty());
    const Settings& s = t.settings;
    const int64_t start_ns = s.start_ns.value_or(t.events.front().time_ns);
    const int64_t time_zero_ns = start_ns - s.lead_in_ns;
    const Event& last = t.events.back();
    const int64_t duration_ns = last.time_ns - time_zero_ns + s.tail_ns;
    if (duration_ns > k_run_ns_max) {
        problems.at(last.line, "time",
                    "the run would last " + exact_duration(sim::Duration::nanos(duration_ns)) +
                        " (lead_in, the events, tail), more than the 24h a scenario may");
    }
    OrderedJson j;
    j["name"] = s.name;
    j["description"] = !s.description.empty()
                           ? s.description
                           : "imported by stormlog incident from " +
                                 std::filesystem::path(file_label).filename().string();
    j["cluster"] = {{"nodes", s.nodes}};
    j["workload"] = {{"type", s.workload}, {"clients", s.clients}};
    j["duration"] = exact_duration(sim::Duration::nanos(duration_ns));
    j["faults"] = OrderedJson::array();
    for (const ImportedFault& f : faults) j["faults"].push_back(fault_json(f, time_zero_ns));
    j["quiet_period"] = exact_duration(sim::Duration::nanos(s.quiet_period_ns));
    j["budget"] = s.budget;
    j["expect"] = s.expect;
    return j;
}

std::string scenario_file_text(const OrderedJson& json) {
    std::string out = "{\n";
    for (auto it = json.begin(); it != json.end(); ++it) {
        out += out.size() > 2 ? ",\n" : "";
        out += "  " + OrderedJson(it.key()).dump() + ": ";
        if (it.key() != "faults" || it.value().empty()) {
            out += inline_json(it.value());
            continue;
        }
        out += "[\n";
        for (size_t i = 0; i < it.value().size(); ++i)
            out += "    " + inline_json(it.value()[i]) + (i + 1 < it.value().size() ? ",\n" : "\n");
        out += "  ]";
    }
    return out + "\n}\n";
}

std::string describe_fault(const OrderedJson& fault, const ImportedFault& source) {
    std::string line = source.line == source.end_line ? "line " + std::to_string(source.line)
                                                      : "lines " + std::to_string(source.line) +
                                                            "-" + std::to_string(source.end_line);
    line += ": " + source.kind + " at=" + fault["at"].get<std::string>();
    if (fault.contains("for")) line += " for=" + fault["for"].get<std::string>();
    if (fault.contains("target"))
        line += " target=" + (fault["target"].is_string() ? fault["target"].get<std::string>()
                                                          : joined(fault["target"]));
    if (fault.contains("sides"))
        line += " sides=" + joined(fault["sides"][0]) + "|" + joined(fault["sides"][1]);
    if (fault.contains("params")) {
        for (auto it = fault["params"].begin(); it != fault["params"].end(); ++it)
            line += " " + it.key() + "=" +
                    (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
    }
    return line;
}

bool import_incident(std::string_view text, const std::string& file_label, Incident& out,
                     std::vector<std::string>& errors) {
    Problems problems(file_label);
    const Records records = read_records(text, problems);
    Timeline timeline;
    // Syntax problems first: a line that could not be read would make the checks after it wrong.
    if (problems.count() == 0 && read_timeline(records, problems, timeline))
        out.faults = pair_events(timeline, problems);
    if (problems.count() == 0)
        out.json = scenario_of_timeline(timeline, out.faults, file_label, problems);
    if (problems.count() != 0) {
        errors = problems.finish();
        return false;
    }
    out.events = timeline.events.size();
    out.scenario_text = scenario_file_text(out.json);
    ScenarioErrors scenario_errors;
    if (!parse_scenario(out.scenario_text, file_label, out.scenario, scenario_errors)) {
        for (const std::string& line : scenario_errors.lines)
            errors.push_back(at_source_line(line, file_label, out.faults));
        return false;
    }
    return true;
}

}  // namespace stormlog::scenarios::incident
