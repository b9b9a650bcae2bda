// stormlog bench [kernel|checker|all]: the speed figures, as BENCH lines.

#include <iostream>
#include <string>

#include "bench/kernel_bench.hpp"
#include "cli/commands.hpp"

namespace stormlog::cli {

void add_bench_command(CLI::App& app, int& exit_code) {
    auto which = std::make_shared<std::string>("all");
    CLI::App* cmd = app.add_subcommand("bench", "Measure the simulator; prints BENCH lines");
    cmd->add_option("suite", *which, "which figures")->check(CLI::IsMember({"kernel", "all"}))->capture_default_str();
    cmd->callback([which, &exit_code] {
        exit_code = 0;
        if (*which == "kernel" || *which == "all") exit_code |= bench::run_kernel_bench(std::cout);
    });
}

}  // namespace stormlog::cli
