// stormlog shrink SCENARIO|FILE.json --seed N [--out FILE] [--any-property] [--budget 60s]
// [--jobs J] [--report DIR [--force]] [--bug NAME]: from a failing seed to the smallest scenario
// that still fails the same property (shrink/shrinker.hpp), written as an ordinary scenario file.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.hpp"
#include "reports/atomic_file.hpp"
#include "reports/report_dir.hpp"
#include "reports/run_report.hpp"
#include "reports/run_report_files.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_writer.hpp"
#include "scenarios/seeds.hpp"
#include "shrink/shrinker.hpp"

namespace stormlog::cli {
namespace {

struct ShrinkArgs {
    std::string scenario;
    std::string seed = "1";
    std::string out = "repro.json";
    bool any_property = false;
    std::string budget = "60s";
    int jobs = 1;
    std::string report;
    bool force = false;
    std::string bug;
};

int fail(const std::string& what) {
    std::fprintf(stderr, "stormlog: error: %s\n", what.c_str());
    return 2;
}

// Runs a batch on up to `jobs` threads, each result in its candidate's slot.
std::vector<workloads::RunResult> run_batch(const std::vector<workloads::Scenario>& batch,
                                            const shrink::ShrinkOptions& options) {
    std::vector<workloads::RunResult> results(batch.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < batch.size(); ++i) {
        try {
            threads.emplace_back([&, i] { results[i] = shrink::run_candidate(batch[i], options); });
        } catch (const std::system_error&) {
            results[i] = shrink::run_candidate(batch[i], options);  // no thread: here, later
        }
    }
    for (std::thread& t : threads) t.join();
    return results;
}

bool write_report(const ShrinkArgs& args, const shrink::ShrinkResult& r,
                  const shrink::ShrinkOptions& options) {
    workloads::RunOptions run;
    run.seed = options.seed;
    run.record = true;
    const workloads::RunResult result = scenarios::run_scenario(r.shrunk, run, options.bug);
    reports::ReportDir dir(args.report, args.force);
    std::string error;
    if (!dir.open(error) ||
        !reports::write_run_report(dir, "", reports::run_report_json(r.shrunk, args.out, result),
                                   error) ||
        !dir.commit(error)) {
        std::fprintf(stderr, "stormlog: error: --report: %s\n", error.c_str());
        return false;
    }
    std::printf("report: %s/report.html\n", dir.dir().c_str());
    return true;
}

int run(const ShrinkArgs& args) {
    shrink::ShrinkOptions options;
    if (std::string error; !scenarios::parse_seed(args.seed, options.seed, error))
        return fail(error);
    const auto budget = sim::parse_duration(args.budget);
    if (!budget || budget->ns() <= 0)
        return fail("--budget: expected a duration > 0 such as \"60s\", got \"" + args.budget +
                    "\"");
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    if (!scenarios::resolve_scenario(args.scenario, scenario, errors)) {
        for (const std::string& line : errors.lines) fail(line);
        return 2;
    }
    if (!args.bug.empty()) {
        options.bug = workloads::find_bug_switch(args.bug);
        if (!options.bug) return fail("--bug: no bug switch named \"" + args.bug + "\"");
        if (const std::string why = workloads::bug_problem(*options.bug, scenario.workload.type);
            !why.empty())
            return fail("--bug: " + why);
    }
    if (const std::string why = reports::output_path_problem(args.out, false); !why.empty())
        return fail("--out: " + why);
    if (!args.report.empty()) {
        if (const std::string why = reports::report_dir_problem(args.report, args.force);
            !why.empty())
            return fail("--report: " + why);
    }
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const double budget_s = static_cast<double>(budget->ns()) / 1e9;
    options.any_property = args.any_property;
    options.batch = static_cast<size_t>(std::max(1, args.jobs));
    if (args.jobs > 1) {
        options.run_batch = [&options](const std::vector<workloads::Scenario>& batch) {
            return run_batch(batch, options);
        };
    }
    options.out_of_time = [&] { return elapsed() >= budget_s; };
    options.progress = [&](const std::string& line) {
        std::fprintf(stderr, "shrink [%.1fs]: %s\n", elapsed(), line.c_str());
    };
    const shrink::ShrinkResult r = shrink::shrink(scenario, options);
    if (!r.error.empty()) return fail(args.scenario + ": " + r.error);
    std::string error;
    if (!reports::write_file_atomically(args.out, scenarios::scenario_json(r.shrunk), error))
        return fail("--out: " + error);
    if (!args.report.empty() && !write_report(args, r, options)) return 2;
    std::printf("wrote %s; replay: stormlog run %s --seed %s%s\n", args.out.c_str(),
                args.out.c_str(), args.seed.c_str(),
                options.bug ? (std::string(" --bug ") + options.bug->name).c_str() : "");
    std::printf("%s\n", shrink::shrunk_line(r, options.seed, elapsed()).c_str());
    return 0;
}

}  // namespace

void add_shrink_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ShrinkArgs>();
    CLI::App* cmd = app.add_subcommand(
        "shrink", "Shrink a failing run to the smallest scenario that fails the same property");
    cmd->add_option("scenario", args->scenario,
                    "a built-in scenario name (stormlog list scenarios) or a scenario file (.json)")
        ->required();
    cmd->add_option("--seed", args->seed, "the failing run's seed")->capture_default_str();
    cmd->add_option("--out", args->out, "where to write the shrunk scenario")
        ->capture_default_str();
    cmd->add_flag("--any-property", args->any_property,
                  "accept a candidate that fails any property, not only the original's");
    cmd->add_option("--budget", args->budget,
                    "wall time; at the budget, the best so far is written")
        ->capture_default_str();
    cmd->add_option("--jobs", args->jobs, "candidates run at once (the result does not change)")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    CLI::Option* report = cmd->add_option("--report", args->report,
                                          "write the shrunk run's report into this directory");
    cmd->add_flag("--force", args->force, "replace the --report directory if it is not empty")
        ->needs(report);
    cmd->add_option("--bug", args->bug,
                    "turn on a deliberate-bug switch (testing the testbed; stormlog bench "
                    "detect lists them)");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace stormlog::cli
