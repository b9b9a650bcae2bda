// stormlog incident TIMELINE --out FILE: a production incident's timeline (JSON lines or CSV;
// docs/incident-format.md) becomes a scenario file, written whole or not at all. Prints one line
// per fault with the timeline lines it came from, then `INCIDENT scenario=... events=N faults=N
// duration=... out=FILE`. Exit 0 written, 2 bad input (one line per problem, FILE:LINE: FIELD:
// ...; nothing written).

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "cli/commands.hpp"
#include "reports/atomic_file.hpp"
#include "scenarios/incident/incident.hpp"
#include "scenarios/incident/records.hpp"

namespace stormlog::cli {
namespace {

namespace incident = scenarios::incident;

struct IncidentArgs {
    std::string timeline;
    std::string out;
};

int refuse(const std::string& line) {
    std::fprintf(stderr, "stormlog: error: %s\n", line.c_str());
    return 2;
}

// Whether `out` names the timeline itself: writing there would destroy the input.
bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec) && !ec;
}

int import(const IncidentArgs& args) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_regular_file(args.timeline, ec) &&
        fs::file_size(args.timeline, ec) > incident::k_text_bytes_max) {
        return refuse(args.timeline + ": more than 4 MiB of text (split the timeline)");
    }
    std::string text, error;
    if (!reports::read_file(args.timeline, text, error)) return refuse(error);
    if (const std::string why = reports::output_path_problem(args.out, false); !why.empty())
        return refuse("--out: " + why);
    if (same_file(args.out, args.timeline))
        return refuse("--out: " + args.out + " is the timeline itself (name another file)");
    incident::Incident result;
    std::vector<std::string> errors;
    if (!incident::import_incident(text, args.timeline, result, errors)) {
        for (const std::string& line : errors) refuse(line);
        return 2;
    }
    if (!reports::write_file_atomically(args.out, result.scenario_text, error))
        return refuse("--out: " + error);
    const nlohmann::ordered_json& json = result.json;
    for (size_t i = 0; i < result.faults.size(); ++i) {
        std::printf("fault: %s\n",
                    incident::describe_fault(json["faults"][i], result.faults[i]).c_str());
    }
    std::printf("INCIDENT scenario=%s events=%zu faults=%zu duration=%s out=%s\n",
                result.scenario.name.c_str(), result.events, result.faults.size(),
                json["duration"].get<std::string>().c_str(), args.out.c_str());
    return 0;
}

}  // namespace

void add_incident_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<IncidentArgs>();
    CLI::App* cmd = app.add_subcommand(
        "incident", "Convert a production incident's timeline (JSON lines or CSV) to a scenario");
    cmd->add_option("timeline", args->timeline,
                    "the timeline file (docs/incident-format.md): settings, hosts, then events")
        ->required();
    cmd->add_option("--out", args->out, "the scenario file to write (replaced if it exists)")
        ->required();
    cmd->callback([args, &exit_code] { exit_code = import(*args); });
}

}  // namespace stormlog::cli
