#pragma once
// Each subcommand lives in its own file and registers itself on the app. A command's callback
// stores its exit code in `exit_code` (0 pass, 1 property violated / not linearizable, 2 bad input
// or usage, 3 unknown verdict).

#include <CLI/CLI.hpp>
#include <string>

namespace stormlog::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app, int& exit_code);
void add_bench_command(CLI::App& app, int& exit_code);
void add_check_history_command(CLI::App& app, int& exit_code);
// `program`: argv[0], for the replay lines of failed runs.
void add_suite_command(CLI::App& app, int& exit_code, const std::string& program);
void add_merge_command(CLI::App& app, int& exit_code);
void add_shrink_command(CLI::App& app, int& exit_code);
void add_diff_events_command(CLI::App& app, int& exit_code);
void add_incident_command(CLI::App& app, int& exit_code);

}  // namespace stormlog::cli
