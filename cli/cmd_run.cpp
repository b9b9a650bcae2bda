// stormlog run SCENARIO|FILE.json [--seed N] [--history FILE] [--events FILE] [--report DIR
// [--force]] [--dump-scenario FILE]: one scenario, one seed, ending with the RESULT line;
// optionally the clients' history as JSON lines (HISTORY_FORMAT.md), the run's event log
// (reports/event_log.hpp), its report (report.json, report.md, report.html, trace.json) and its
// faults made explicit as a scenario file.

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "cli/commands.hpp"
#include "reports/atomic_file.hpp"
#include "reports/event_log.hpp"
#include "reports/report_dir.hpp"
#include "reports/result_line.hpp"
#include "reports/run_report.hpp"
#include "reports/run_report_files.hpp"
#include "scenarios/explicit.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_writer.hpp"
#include "scenarios/seeds.hpp"
#include "workloads/registry.hpp"

namespace stormlog::cli {
namespace {

struct RunArgs {
    std::string scenario;
    std::string seed = "1";  // parsed by scenarios::parse_seed: never wrapped into range
    std::string log_level = "off";
    std::string schedule = "fuzz";
    std::string history;  // where to write the clients' history; empty: nowhere
    std::string events;   // where to write the run's event log; empty: nowhere
    std::string report;   // the report directory; empty: none
    bool force = false;   // replace a non-empty report directory
    std::string dump;     // where to write the run's explicit scenario; empty: nowhere
    std::string bug;      // a deliberate-bug switch to turn on; empty: none
};

int log_level_from(const std::string& name) {
    static const char* const names[] = {"trace", "debug",    "info", "warn",
                                        "error", "critical", "off"};
    for (int i = 0; i < 7; ++i) {
        if (name == names[i]) return i;
    }
    return -1;
}

bool write_report(const RunArgs& args, const scenarios::Scenario& scenario,
                  const scenarios::RunResult& result) {
    reports::ReportDir dir(args.report, args.force);
    std::string error;
    if (!dir.open(error) ||
        !reports::write_run_report(
            dir, "", reports::run_report_json(scenario, args.scenario, result), error) ||
        !dir.commit(error)) {
        std::fprintf(stderr, "stormlog: error: --report: %s\n", error.c_str());
        return false;
    }
    std::printf("report: %s/report.html\n", dir.dir().c_str());
    return true;
}

// The explicit scenario, checked by parsing it back: a file we write must load.
bool write_dump(const RunArgs& args, const scenarios::Scenario& scenario, uint64_t seed,
                const scenarios::RunResult& result) {
    const std::string text =
        scenarios::scenario_json(scenarios::explicit_scenario(scenario, seed, result));
    scenarios::Scenario check;
    scenarios::ScenarioErrors errors;
    if (!scenarios::parse_scenario(text, args.dump, check, errors)) {
        for (const std::string& line : errors.lines)
            std::fprintf(stderr, "stormlog: error: --dump-scenario: %s\n", line.c_str());
        return false;
    }
    std::string error;
    if (!reports::write_file_atomically(args.dump, text, error)) {
        std::fprintf(stderr, "stormlog: error: --dump-scenario: %s\n", error.c_str());
        return false;
    }
    std::printf("explicit scenario: %s (%zu faults)\n", args.dump.c_str(),
                result.explicit_faults.size());
    return true;
}

// The files and the directory the run will write, checked before it spends its time: false,
// with one line on stderr, at the first that cannot be written.
bool outputs_writable(const RunArgs& args) {
    const std::pair<const char*, const std::string*> files[] = {
        {"--history", &args.history}, {"--events", &args.events}, {"--dump-scenario", &args.dump}};
    for (const auto& [flag, path] : files) {
        if (path->empty()) continue;
        if (const std::string why = reports::output_path_problem(*path, false); !why.empty()) {
            std::fprintf(stderr, "stormlog: error: %s: %s\n", flag, why.c_str());
            return false;
        }
    }
    if (args.report.empty()) return true;
    if (const std::string why = reports::report_dir_problem(args.report, args.force);
        !why.empty()) {
        std::fprintf(stderr, "stormlog: error: --report: %s\n", why.c_str());
        return false;
    }
    return true;
}

// --events: the log streams to "<FILE>.tmp" as the run goes (a long run's events never sit in
// memory) and appears as FILE, whole, once the run is over.
class EventsOutput {
  public:
    explicit EventsOutput(const std::string& path) : path_(path), file_(path) {}

    // Without --events, nothing. With it, opens the file and hands the run its writer.
    bool open(scenarios::RunOptions& options) {
        if (path_.empty()) return true;
        if (std::string error; !file_.open(error)) {
            std::fprintf(stderr, "stormlog: error: --events: %s\n", error.c_str());
            return false;
        }
        options.trace_sink = &writer_.emplace(file_.out());
        return true;
    }

    bool commit() {
        if (!writer_) return true;
        if (std::string error; !file_.commit(error)) {
            std::fprintf(stderr, "stormlog: error: --events: %s\n", error.c_str());
            return false;
        }
        std::printf("events: %s (%llu events)\n", path_.c_str(),
                    static_cast<unsigned long long>(writer_->events()));
        return true;
    }

  private:
    std::string path_;
    reports::AtomicFileStream file_;
    std::optional<reports::EventLogWriter> writer_;
};

int run(const RunArgs& args) {
    uint64_t seed = 0;
    if (std::string error; !scenarios::parse_seed(args.seed, seed, error)) {
        std::fprintf(stderr, "stormlog: error: %s\n", error.c_str());
        return 2;
    }
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    if (!scenarios::resolve_scenario(args.scenario, scenario, errors)) {
        for (const std::string& line : errors.lines)
            std::fprintf(stderr, "stormlog: error: %s\n", line.c_str());
        return 2;
    }
    const workloads::BugSwitch* bug = nullptr;
    if (!args.bug.empty()) {
        bug = workloads::find_bug_switch(args.bug);
        const std::string why = bug ? workloads::bug_problem(*bug, scenario.workload.type)
                                    : "no bug switch named \"" + args.bug + "\"";
        if (!why.empty()) {
            std::fprintf(stderr, "stormlog: error: --bug: %s\n", why.c_str());
            return 2;
        }
    }
    if (!args.history.empty() &&
        !workloads::find_workload(scenario.workload.type)->records_history) {
        std::fprintf(stderr,
                     "stormlog: error: --history: %s: workload %s does not record a client history "
                     "(stormlog list workloads)\n",
                     args.scenario.c_str(), scenario.workload.type.c_str());
        return 2;
    }
    if (!outputs_writable(args)) return 2;
    scenarios::RunOptions options;
    options.seed = seed;
    options.log_level = log_level_from(args.log_level);
    options.fuzz_scheduling = args.schedule == "fuzz";
    options.keep_history = !args.history.empty();
    options.record = !args.report.empty();
    EventsOutput events(args.events);
    if (!events.open(options)) return 2;
    const auto start = std::chrono::steady_clock::now();
    const scenarios::RunResult result = scenarios::run_scenario(scenario, options, bug);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const std::string& line : result.summary) std::printf("%s\n", line.c_str());
    for (const sim::Failure& f : result.failures)
        std::printf("%s\n", reports::failure_line(f).c_str());
    if (!args.history.empty()) {
        std::string error;
        if (!reports::write_file_atomically(args.history, result.history, error)) {
            std::fprintf(stderr, "stormlog: error: --history: %s\n", error.c_str());
            return 2;
        }
    }
    if (!events.commit()) return 2;
    if (!args.report.empty() && !write_report(args, scenario, result)) return 2;
    if (!args.dump.empty() && !write_dump(args, scenario, seed, result)) return 2;
    std::printf("%s\n", reports::result_line(result, wall).c_str());
    return result.pass ? 0 : 1;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* cmd =
        app.add_subcommand("run", "Run one scenario under one seed; ends with a RESULT line");
    cmd->add_option("scenario", args->scenario,
                    "a built-in scenario name (stormlog list scenarios) or a scenario file (.json)")
        ->required();
    cmd->add_option("--seed", args->seed, "the run's seed, 0 to 2^64-1: same seed, same run")
        ->capture_default_str();
    cmd->add_option("--log-level", args->log_level, "simulated-world logs to stderr")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();
    cmd->add_option("--schedule", args->schedule, "order of ready fibers: seeded shuffle or FIFO")
        ->check(CLI::IsMember({"fuzz", "fifo"}))
        ->capture_default_str();
    cmd->add_option("--history", args->history,
                    "write the clients' history (JSON lines, model stream) to this file (workloads "
                    "that record one: stormlog list workloads)");
    cmd->add_option("--events", args->events,
                    "write the run's observable events (what its hash folds) to this file as "
                    "JSON lines, for stormlog diff-events");
    CLI::Option* report =
        cmd->add_option("--report", args->report,
                        "write the run's report into this directory: report.json, report.md, "
                        "report.html (self-contained) and trace.json (Perfetto)");
    cmd->add_flag("--force", args->force, "replace the --report directory if it is not empty")
        ->needs(report);
    cmd->add_option("--dump-scenario", args->dump,
                    "write the run's faults made explicit: a scenario file that scripts every "
                    "fault the run applied, at its time, on its nodes (no nemesis)");
    cmd->add_option("--bug", args->bug,
                    "turn on a deliberate-bug switch (testing the testbed; stormlog bench detect "
                    "lists them)");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace stormlog::cli
