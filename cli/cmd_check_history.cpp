// Registered now so that `stormlog check-history --help` exists; the checker lands with issue 6.
#include <cstdio>

#include "cli/commands.hpp"

namespace stormlog::cli {

void add_check_history_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("check-history", "Check client histories for linearizability");
    cmd->callback([&exit_code] {
        std::fprintf(stderr, "stormlog: error: check-history is not built yet\n");
        exit_code = 2;
    });
}

}  // namespace stormlog::cli
