// stormlog bench [kernel|checker|store|ledger|all]: the speed figures, as BENCH lines.

#include <iostream>
#include <string>

#include "bench/checker_bench.hpp"
#include "bench/kernel_bench.hpp"
#include "bench/store_bench.hpp"
#include "cli/commands.hpp"

namespace stormlog::cli {

void add_bench_command(CLI::App& app, int& exit_code) {
    auto which = std::make_shared<std::string>("all");
    CLI::App* cmd =
        app.add_subcommand("bench", "Measure the simulator and the checker; prints BENCH lines");
    cmd->add_option("suite", *which, "which figures")
        ->check(CLI::IsMember({"kernel", "checker", "store", "ledger", "all"}))
        ->capture_default_str();
    cmd->callback([which, &exit_code] {
        exit_code = 0;
        if (*which == "kernel" || *which == "all") exit_code |= bench::run_kernel_bench(std::cout);
        // The checker bench also checks its verdicts: a wrong one is a failure (exit 1).
        if (*which == "checker" || *which == "all")
            exit_code |= bench::run_checker_bench(std::cout);
        if (*which == "store" || *which == "all") exit_code |= bench::run_store_bench(std::cout);
        if (*which == "ledger" || *which == "all") exit_code |= bench::run_ledger_bench(std::cout);
    });
}

}  // namespace stormlog::cli
