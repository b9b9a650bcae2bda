// stormlog bench [kernel|checker|store|ledger|report|all]: the speed figures, as BENCH lines.
// stormlog bench scale: cost per message and per committed entry as clusters grow
// (bench/scale_bench.hpp); stormlog bench suite: seeds per hour on every core
// (bench/suite_bench.hpp); stormlog bench memory: peak RSS of one-hour runs
// (bench/memory_bench.hpp). None of these is part of `all`: each takes minutes, not seconds.
// stormlog bench detect [--bug SUBSTRING] [--seeds-max N]: bug-finding power (bench/detect.hpp);
// not part of `all` - it measures the checks, not the speed.

#include <algorithm>
#include <iostream>
#include <string>

#include "bench/checker_bench.hpp"
#include "bench/detect.hpp"
#include "bench/kernel_bench.hpp"
#include "bench/memory_bench.hpp"
#include "bench/report_bench.hpp"
#include "bench/scale_bench.hpp"
#include "bench/store_bench.hpp"
#include "bench/suite_bench.hpp"
#include "cli/commands.hpp"

namespace stormlog::cli {

void add_bench_command(CLI::App& app, int& exit_code) {
    auto which = std::make_shared<std::string>("all");
    auto bug = std::make_shared<std::string>();
    auto seeds_max = std::make_shared<uint64_t>(200);
    CLI::App* cmd =
        app.add_subcommand("bench", "Measure the simulator and the checker; prints BENCH lines");
    cmd->add_option("suite", *which,
                    "which figures (scale: cost as clusters grow; suite: seeds per hour on every "
                    "core; memory: peak RSS of one-hour runs; detect: how fast the swarms catch "
                    "each deliberate bug; none of these four is part of all)")
        ->check(CLI::IsMember({"kernel", "checker", "store", "ledger", "report", "scale", "suite",
                               "memory", "detect", "all"}))
        ->capture_default_str();
    cmd->add_option("--bug", *bug, "detect: only the bug switches whose name contains this");
    cmd->add_option("--seeds-max", *seeds_max, "detect: seeds per bug before giving up")
        ->check(CLI::Range(uint64_t{1}, uint64_t{100000}))
        ->capture_default_str();
    cmd->callback([which, bug, seeds_max, &exit_code] {
        exit_code = 0;
        if (*which == "detect") {
            const std::vector<std::string> names = bench::detect_bug_names();
            const bool any = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
                return n.find(*bug) != std::string::npos;
            });
            if (!any) {
                std::string all;
                for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
                std::cerr << "stormlog: error: --bug: no bug switch contains \"" << *bug
                          << "\" (switches: " << all << ")\n";
                exit_code = 2;
                return;
            }
            exit_code = bench::run_detect_bench(std::cout, *bug, *seeds_max);
            return;
        }
        if (*which == "scale") {
            exit_code = bench::run_scale_bench(std::cout);
            return;
        }
        if (*which == "memory") {
            exit_code = bench::run_memory_bench(std::cout);
            return;
        }
        if (*which == "suite") {
            exit_code = bench::run_suite_bench(std::cout);
            return;
        }
        if (*which == "kernel" || *which == "all") exit_code |= bench::run_kernel_bench(std::cout);
        // The checker bench also checks its verdicts: a wrong one is a failure (exit 1).
        if (*which == "checker" || *which == "all")
            exit_code |= bench::run_checker_bench(std::cout);
        if (*which == "store" || *which == "all") exit_code |= bench::run_store_bench(std::cout);
        if (*which == "ledger" || *which == "all") exit_code |= bench::run_ledger_bench(std::cout);
        if (*which == "report" || *which == "all") exit_code |= bench::run_report_bench(std::cout);
    });
}

}  // namespace stormlog::cli
