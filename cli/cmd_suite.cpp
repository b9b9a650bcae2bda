// stormlog suite SCENARIO|DIR... --seeds N|A..B [--jobs J] [--shard K/M] [--out DIR] [--verbose]
// [--report DIR [--report-all] [--force]]: every scenario under every seed, J simulations at a
// time, reported in run-list order so that the output does not depend on J. The pure parts
// (parsing, run list) are scenarios/suite.hpp and scenarios/seeds.hpp, the files reports/;
// this file owns what the determinism rules keep out of there: threads and wall time.

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "reports/atomic_file.hpp"
#include "reports/html.hpp"
#include "reports/json.hpp"
#include "reports/junit.hpp"
#include "reports/report_dir.hpp"
#include "reports/result_line.hpp"
#include "reports/run_report.hpp"
#include "reports/run_report_files.hpp"
#include "reports/scorecard.hpp"
#include "reports/suite_markdown.hpp"
#include "reports/suite_report.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/suite.hpp"

namespace stormlog::cli {
namespace {

using scenarios::RunResult;
using scenarios::SuiteRun;
using scenarios::SuiteScenario;

constexpr int jobs_max = 1024;

struct SuiteArgs {
    std::vector<std::string> scenarios;
    std::string seeds;
    std::string shard;  // empty: the whole suite
    int jobs = 1;
    std::string out;  // empty: no files
    bool verbose = false;
    bool require_probes = false;
    std::string program = "stormlog";  // as the user ran it: replay lines can be pasted
    std::string report;                // the report directory; empty: none
    bool report_all = false;           // a full report for every run, not only failing ones
    bool force = false;                // replace a non-empty report directory
    bool dry_run = false;              // plan the suite and say what it would run; run nothing
};

// A suite's report as it fills: the per-run reports go into its directory as runs end (from
// every worker thread: distinct files), the scorecard takes each run's recovery figures.
struct SuiteReport {
    explicit SuiteReport(const SuiteArgs& args) : dir(args.report, args.force) {}
    reports::ReportDir dir;
    std::mutex mutex;  // guards scorecard
    reports::Scorecard scorecard;
};

// Everything a suite runs, validated before the first simulation starts.
struct SuitePlan {
    std::vector<SuiteScenario> scenarios;
    scenarios::SeedRange seeds;
    scenarios::Shard shard;
    std::vector<SuiteRun> runs;
};

// What the report needs of one finished run; the full RunResult is kept only for failures, so
// that a suite of a million passing runs stays small.
struct RunOutcome {
    bool failed = false;
    std::vector<std::pair<std::string, uint64_t>> probes;  // the run's probe hits
    std::string result_line;                               // with --verbose only
    std::optional<RunResult> failed_result;
    std::string write_error;        // --out file that could not be written
    nlohmann::ordered_json listed;  // the run's entry in summary.json's run list (--report)
};

// Parses and resolves everything; on failure fills `errors` (one line each) and runs nothing.
bool plan_suite(const SuiteArgs& args, SuitePlan& plan, std::vector<std::string>& errors) {
    std::string error;
    if (!scenarios::parse_seed_range(args.seeds, plan.seeds, error)) errors.push_back(error);
    if (!args.shard.empty() && !scenarios::parse_shard(args.shard, plan.shard, error))
        errors.push_back(error);
    scenarios::ScenarioErrors scenario_errors;
    if (!scenarios::resolve_suite_scenarios(args.scenarios, plan.scenarios, scenario_errors)) {
        errors.insert(errors.end(), scenario_errors.lines.begin(), scenario_errors.lines.end());
    }
    if (!errors.empty()) return false;
    if (!scenarios::check_run_count(plan.scenarios.size(), plan.seeds, plan.shard, error)) {
        errors.push_back(error);
        return false;
    }
    plan.runs = scenarios::expand_runs(plan.scenarios.size(), plan.seeds, plan.shard);
    return true;
}

RunResult run_guarded(const scenarios::Scenario& scenario, uint64_t seed, bool record) {
    scenarios::RunOptions options;
    options.seed = seed;
    options.record = record;
    try {
        return scenarios::run_scenario(scenario, options);
    } catch (const std::exception& e) {
        // An exception out of a simulation is a bug found with a seed: report it as a failed run
        // that can be replayed, instead of letting it terminate every other thread's work.
        RunResult r;
        r.scenario = scenario.name;
        r.seed = seed;
        r.failures.push_back({"exception", sim::Time(), "-", e.what()});
        return r;
    }
}

// The run's part of the suite report: its recovery figures in the scorecard, its own report
// files if it failed (or --report-all), its run-list entry.
void report_run(const SuiteScenario& s, const RunResult& result, double wall, bool failed,
                const SuiteArgs& args, SuiteReport& report, RunOutcome& outcome) {
    std::string link;
    // A run without a recording (a workload that records nothing, or an exception out of the
    // run) is reported all the same: its verdict and evidence.
    const auto j = reports::run_report_json(s.scenario, s.argument, result);
    {
        const std::lock_guard lock(report.mutex);
        report.scorecard.add_run(j, !failed);
    }
    if (failed || args.report_all) {
        const std::string prefix = reports::suite_run_report_prefix(result.scenario, result.seed);
        std::string error;
        if (reports::write_run_report(report.dir, prefix, j, error)) {
            link = prefix + "report.html";
        } else {
            outcome.write_error = "--report: " + error;
        }
    }
    outcome.listed = reports::run_list_entry(s, result, wall, link);
}

RunOutcome run_one(const SuitePlan& plan, const SuiteRun& run, const SuiteArgs& args,
                   SuiteReport* report) {
    const SuiteScenario& s = plan.scenarios[run.scenario];
    const auto start = std::chrono::steady_clock::now();
    RunResult result = run_guarded(s.scenario, run.seed, report != nullptr);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    RunOutcome outcome;
    outcome.failed = scenarios::run_failed(result, s.scenario.expect_pass);
    if (args.verbose) outcome.result_line = reports::result_line(result, wall);
    if (!args.out.empty()) {
        const std::string path = reports::run_json_path(args.out, result.scenario, run.seed);
        std::string error;
        const auto j = reports::run_json(result, s.scenario.expect_pass, wall);
        if (!reports::write_file_atomically(path, reports::json_file_text(j), error))
            outcome.write_error = error;
    }
    if (report) report_run(s, result, wall, outcome.failed, args, *report, outcome);
    outcome.probes = result.probes;
    result.recording.reset();  // a failed run's result is kept to the end: not its recording
    if (outcome.failed) outcome.failed_result = std::move(result);
    return outcome;
}

std::string progress_failure_text(const RunOutcome& o, const SuitePlan& plan, const SuiteRun& run) {
    if (!o.failed) return "";
    const bool expected_pass = plan.scenarios[run.scenario].scenario.expect_pass;
    const sim::Failure headline = scenarios::headline_failure(*o.failed_result, expected_pass);
    return fmt::format("FAIL scenario={} seed={} property={}", o.failed_result->scenario, run.seed,
                       headline.property);
}

// Runs every run of the plan on `jobs` threads. Each thread takes the next unstarted run, so a
// slow scenario does not hold up the others; each outcome lands in its run-list slot, so the
// report does not depend on which thread finished first.
std::vector<RunOutcome> run_all(const SuitePlan& plan, const SuiteArgs& args, int jobs,
                                Progress& progress, SuiteReport* report) {
    std::vector<RunOutcome> outcomes(plan.runs.size());
    std::atomic<size_t> next{0};
    std::mutex mutex;  // guards `progress` and stderr
    auto worker = [&] {
        for (size_t i = next.fetch_add(1); i < plan.runs.size(); i = next.fetch_add(1)) {
            RunOutcome outcome = run_one(plan, plan.runs[i], args, report);
            const std::lock_guard lock(mutex);
            progress.run_done(progress_failure_text(outcome, plan, plan.runs[i]));
            outcomes[i] = std::move(outcome);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < jobs; ++t) {
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error&) {
            break;  // the OS refused another thread: fewer threads give the same results, only
                    // later
        }
    }
    if (threads.empty()) worker();
    for (std::thread& t : threads) t.join();
    return outcomes;
}

int effective_jobs(int requested, size_t runs) {
    int jobs = requested;
    if (jobs == 0) jobs = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    return std::max(1, std::min<int>(jobs, static_cast<int>(std::min<size_t>(runs, jobs_max))));
}

void print_failure_block(const SuiteScenario& s, const RunResult& r, const std::string& program) {
    const sim::Failure headline = scenarios::headline_failure(r, s.scenario.expect_pass);
    std::printf("FAIL scenario=%s seed=%llu property=%s at=%.6fs node=%s\n", r.scenario.c_str(),
                static_cast<unsigned long long>(r.seed), headline.property.c_str(),
                headline.at.seconds_f(), headline.node.c_str());
    if (r.failures.empty()) std::printf("  %s\n", headline.message.c_str());
    for (const sim::Failure& f : r.failures)
        std::printf("  %s\n", reports::failure_line(f).c_str());
    std::printf("  replay: %s\n", scenarios::replay_command(s.argument, r.seed, program).c_str());
}

// The suite report's files: summary.json (with the run list and the scorecard), summary.md,
// junit.xml and index.html, beside the per-run reports already written; then the directory
// takes its place.
bool write_suite_report(nlohmann::ordered_json summary, const std::vector<RunOutcome>& outcomes,
                        SuiteReport& report) {
    summary["schema"] = 1;
    summary["kind"] = "suite";
    summary["build"] = reports::build_id();
    summary["run_list"] = nlohmann::ordered_json::array();
    for (const RunOutcome& o : outcomes) summary["run_list"].push_back(o.listed);
    summary["scorecard"] = report.scorecard.to_json();
    for (const RunOutcome& o : outcomes) {
        // A run's report that could not be written leaves the suite's report incomplete: none is
        // committed (the error was printed, and the suite exits 2).
        if (o.write_error.rfind("--report:", 0) == 0) return false;
    }
    std::string error;
    reports::ReportDir& dir = report.dir;
    if (!dir.write("summary.json", reports::json_file_text(summary), error) ||
        !dir.write("summary.md", reports::suite_markdown(summary), error) ||
        !dir.write("junit.xml", reports::junit_xml(summary), error) ||
        !dir.write("index.html", reports::suite_report_html(summary), error) ||
        !dir.write("scorecard-data.json", reports::json_file_text(report.scorecard.to_data()),
                   error) ||
        !dir.commit(error)) {
        std::fprintf(stderr, "stormlog: error: --report: %s\n", error.c_str());
        return false;
    }
    std::printf("report: %s/index.html\n", dir.dir().c_str());
    return true;
}

// Prints the report on stdout and writes summary.json; returns the exit code.
int report(const SuiteArgs& args, const SuitePlan& plan, const std::vector<RunOutcome>& outcomes,
           double wall, SuiteReport* suite_report) {
    std::vector<reports::ScenarioCounts> counts(plan.scenarios.size());
    for (size_t s = 0; s < plan.scenarios.size(); ++s)
        counts[s].probes = reports::probe_runs_for(plan.scenarios[s]);
    std::vector<reports::SuiteFailure> failures;
    bool write_failed = false;
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const RunOutcome& o = outcomes[i];
        const size_t s = plan.runs[i].scenario;
        ++counts[s].runs;
        reports::count_probe_hits(counts[s].probes, o.probes);
        if (args.verbose) std::printf("%s\n", o.result_line.c_str());
        if (!o.write_error.empty())
            std::fprintf(stderr, "stormlog: error: %s\n", o.write_error.c_str());
        write_failed = write_failed || !o.write_error.empty();
        if (!o.failed) continue;
        ++counts[s].failed;
        failures.push_back({&plan.scenarios[s], &*o.failed_result});
    }
    for (const reports::SuiteFailure& f : failures)
        print_failure_block(*f.scenario, *f.result, args.program);
    std::vector<reports::ProbeRuns> probe_runs;
    for (const reports::ScenarioCounts& c : counts) probe_runs.push_back(c.probes);
    for (const std::string& line : reports::coverage_lines(probe_runs, outcomes.size()))
        std::printf("%s\n", line.c_str());
    // Declared probes nobody reached: the suite did not test what its scenarios say it does.
    const std::vector<std::string> missing =
        args.require_probes ? reports::missing_probes(plan.scenarios, probe_runs)
                            : std::vector<std::string>{};
    for (const std::string& line : missing) std::printf("%s\n", line.c_str());
    const std::string missing_field =
        args.require_probes ? fmt::format(" missing_probes={}", missing.size()) : "";
    std::printf("SUITE runs=%zu passed=%zu failed=%zu%s wall=%.3f\n", outcomes.size(),
                outcomes.size() - failures.size(), failures.size(), missing_field.c_str(), wall);
    std::fflush(stdout);
    const reports::SuiteArgs recorded{args.scenarios, plan.seeds, plan.shard, args.jobs};
    const auto j = reports::summary_json(recorded, plan.scenarios, counts, failures, wall);
    if (suite_report && !write_suite_report(j, outcomes, *suite_report)) write_failed = true;
    if (!args.out.empty()) {
        std::string error;
        const std::string path = (std::filesystem::path(args.out) / "summary.json").string();
        if (!reports::write_file_atomically(path, reports::json_file_text(j), error)) {
            std::fprintf(stderr, "stormlog: error: %s\n", error.c_str());
            write_failed = true;
        }
    }
    // Results that could not be written are a suite that did not do what was asked.
    if (write_failed) return 2;
    return failures.empty() && missing.empty() ? 0 : 1;
}

// --out's directories, made before any run so that a path that cannot be a directory is caught
// before the first simulation, and so that worker threads never race to create the same one.
bool make_out_dirs(const SuiteArgs& args, const SuitePlan& plan) {
    if (args.out.empty()) return true;
    for (const SuiteScenario& s : plan.scenarios) {
        std::error_code ec;
        const std::filesystem::path dir = std::filesystem::path(args.out) / s.scenario.name;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            std::fprintf(stderr, "stormlog: error: --out: cannot create %s: %s\n",
                         dir.string().c_str(), ec.message().c_str());
            return false;
        }
    }
    return true;
}

int suite(const SuiteArgs& args) {
    SuitePlan plan;
    std::vector<std::string> errors;
    if (!plan_suite(args, plan, errors)) {
        for (const std::string& line : errors)
            std::fprintf(stderr, "stormlog: error: %s\n", line.c_str());
        return 2;
    }
    if (args.dry_run) {
        // The same parser and plan as a real run: a deployment's command line is checked here.
        std::printf("PLAN runs=%zu scenarios=%zu seeds=%llu..%llu shard=%llu/%llu\n",
                    plan.runs.size(), plan.scenarios.size(),
                    static_cast<unsigned long long>(plan.seeds.first),
                    static_cast<unsigned long long>(plan.seeds.last),
                    static_cast<unsigned long long>(plan.shard.index),
                    static_cast<unsigned long long>(plan.shard.count));
        return 0;
    }
    if (!make_out_dirs(args, plan)) return 2;
    std::unique_ptr<SuiteReport> suite_report;
    if (!args.report.empty()) {
        suite_report = std::make_unique<SuiteReport>(args);
        if (std::string error; !suite_report->dir.open(error)) {
            std::fprintf(stderr, "stormlog: error: --report: %s\n", error.c_str());
            return 2;
        }
    }
    Progress progress(plan.runs.size(), isatty(STDERR_FILENO) == 1);
    const std::vector<RunOutcome> outcomes = run_all(
        plan, args, effective_jobs(args.jobs, plan.runs.size()), progress, suite_report.get());
    progress.finish();
    return report(args, plan, outcomes, progress.elapsed_seconds(), suite_report.get());
}

}  // namespace

void add_suite_command(CLI::App& app, int& exit_code, const std::string& program) {
    auto args = std::make_shared<SuiteArgs>();
    args->program = program;
    CLI::App* cmd = app.add_subcommand(
        "suite",
        "Run scenarios under many seeds; print each failure with the command that replays it");
    cmd->add_option("scenarios", args->scenarios,
                    "built-in scenario names, scenario files (.json), or directories of them")
        ->required();
    cmd->add_option("--seeds", args->seeds, "N (seeds 1..N) or A..B (seeds A to B inclusive)")
        ->required();
    cmd->add_option("--jobs,-j", args->jobs, "simulations at a time; 0: one per hardware thread")
        ->check(CLI::Range(0, jobs_max))
        ->capture_default_str();
    cmd->add_option("--shard", args->shard,
                    "K/M: run only this machine's share (run i where i % M == K-1)");
    cmd->add_option("--out", args->out,
                    "write DIR/<scenario>/seed-<n>.json per run and DIR/summary.json");
    cmd->add_flag("--verbose,-v", args->verbose,
                  "print every run's RESULT line, not only the failures");
    cmd->add_flag("--require-probes", args->require_probes,
                  "fail (exit 1) if a probe a scenario declares was hit in none of its runs");
    CLI::Option* report = cmd->add_option(
        "--report", args->report,
        "write the suite's report into this directory: index.html, summary.json, "
        "summary.md, junit.xml, and runs/<scenario>/seed-<n>/ for each failing run");
    cmd->add_flag("--report-all", args->report_all,
                  "with --report: a full report for every run, not only the failing ones")
        ->needs(report);
    cmd->add_flag("--force", args->force, "replace the --report directory if it is not empty")
        ->needs(report);
    cmd->add_flag("--dry-run", args->dry_run,
                  "check the arguments and print the plan (PLAN runs=... shard=K/M); run nothing");
    cmd->callback([args, &exit_code] { exit_code = suite(*args); });
}

}  // namespace stormlog::cli
