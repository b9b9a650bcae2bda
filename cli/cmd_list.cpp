// stormlog list scenarios: the built-in scenarios with their descriptions.

#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "scenarios/catalog.hpp"

namespace stormlog::cli {

void add_list_command(CLI::App& app, int& exit_code) {
    CLI::App* cmd = app.add_subcommand("list", "List built-in things");
    cmd->require_subcommand(1);
    CLI::App* scenarios_cmd = cmd->add_subcommand("scenarios", "The built-in scenarios and what each does");
    scenarios_cmd->callback([&exit_code] {
        for (const scenarios::ScenarioInfo& s : scenarios::builtin_scenarios()) {
            std::printf("%-24s %s\n", s.name.c_str(), s.description.c_str());
        }
        exit_code = 0;
    });
}

}  // namespace stormlog::cli
