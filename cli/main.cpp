// The stormlog command. Parsing is CLI11's; every usage error becomes one line on stderr (naming
// the word that was wrong, and the word probably meant) and exit code 2, never a stack of help.

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/usage.hpp"

int main(int argc, char** argv) {
    CLI::App app{"stormlog: deterministic simulation and fault injection for event-sourced systems",
                 "stormlog"};
    app.set_version_flag("--version", std::string("stormlog ") + STORMLOG_VERSION);
    app.require_subcommand(1);
    int exit_code = 0;
    stormlog::cli::add_run_command(app, exit_code);
    stormlog::cli::add_list_command(app, exit_code);
    stormlog::cli::add_bench_command(app, exit_code);
    stormlog::cli::add_check_history_command(app, exit_code);
    stormlog::cli::add_suite_command(app, exit_code, argc > 0 ? argv[0] : "stormlog");
    stormlog::cli::add_merge_command(app, exit_code);
    stormlog::cli::add_shrink_command(app, exit_code);
    stormlog::cli::add_diff_events_command(app, exit_code);
    stormlog::cli::add_incident_command(app, exit_code);
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (const CLI::App* help = stormlog::cli::help_request(app, args)) {
        std::printf("%s", help->help().c_str());
        return 0;
    }
    if (const auto error = stormlog::cli::command_word_error(app, args)) {
        std::fprintf(stderr, "stormlog: error: %s\n", error->c_str());
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        std::printf("stormlog %s\n", STORMLOG_VERSION);
        return 0;
    } catch (const CLI::ExtrasError&) {
        std::fprintf(stderr, "stormlog: error: %s\n", stormlog::cli::extras_error(app).c_str());
        return 2;
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "stormlog: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "stormlog: error: %s\n", e.what());
        return 2;
    }
    return exit_code;
}
