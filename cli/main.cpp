// The stormlog command. Parsing is CLI11's; every usage error becomes one line on stderr and
// exit code 2, never a stack of help text.

#include <cstdio>
#include <exception>
#include <string>

#include "cli/commands.hpp"

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
    stormlog::cli::add_suite_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        std::printf("stormlog %s\n", STORMLOG_VERSION);
        return 0;
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "stormlog: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "stormlog: error: %s\n", e.what());
        return 2;
    }
    return exit_code;
}
