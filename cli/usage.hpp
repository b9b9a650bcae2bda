#pragma once
// Usage errors a person makes at the command line, each as one line that names the word that was
// wrong and, when one is close, the word that was probably meant: an unknown command or list
// kind, a missing one, a misspelled option. CLI11's own messages ("A subcommand is required",
// "The following arguments were not expected: 7 --seeds") say neither.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stormlog::cli {

// Checks the command words of `args` (argv without the program) against `app`'s subcommands
// before CLI11 parses them. Returns the error line, or nullopt when the words are fine.
// "help [COMMAND]" is not an error: see help_request().
std::optional<std::string> command_word_error(const CLI::App& app,
                                              const std::vector<std::string>& args);

// For "stormlog help" and "stormlog help COMMAND...": the app or subcommand to print the help
// of, or null when `args` is not a help request (or names an unknown command).
const CLI::App* help_request(const CLI::App& app, const std::vector<std::string>& args);

// The line for arguments CLI11 could not place (after a failed parse): each unknown option with
// the closest option of the command it was given to.
std::string extras_error(const CLI::App& app);

}  // namespace stormlog::cli
