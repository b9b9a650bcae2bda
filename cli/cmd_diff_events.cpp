// stormlog diff-events A B [--context N]: the first event where two runs' event logs (`stormlog
// run --events`) part, with N events of context from each. Exit 0 identical, 1 they differ (one
// a prefix of the other included), 2 a file that cannot be read or holds a line that is not an
// event ("FILE:LINE: what").

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "reports/event_diff.hpp"

namespace stormlog::cli {
namespace {

struct DiffArgs {
    std::string a;
    std::string b;
    int context = 5;  // CLI::Range keeps it within 0..k_event_context_max
};

int diff_events(const DiffArgs& args) {
    reports::EventDiff diff;
    if (std::string error;
        !reports::diff_event_logs(args.a, args.b, static_cast<size_t>(args.context), diff, error)) {
        std::fprintf(stderr, "stormlog: error: %s\n", error.c_str());
        return 2;
    }
    std::fputs(reports::format_event_diff(diff, args.a, args.b).c_str(), stdout);
    return diff.outcome == reports::EventDiff::Outcome::identical ? 0 : 1;
}

}  // namespace

void add_diff_events_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<DiffArgs>();
    CLI::App* cmd = app.add_subcommand(
        "diff-events",
        "The first event where two event logs (run --events) differ, with context from each");
    cmd->add_option("a", args->a, "an event log (stormlog run ... --events FILE)")->required();
    cmd->add_option("b", args->b, "the event log to compare it with")->required();
    cmd->add_option("--context", args->context, "events shown before the difference, from each")
        ->check(CLI::Range(0, static_cast<int>(reports::k_event_context_max)))
        ->capture_default_str();
    cmd->callback([args, &exit_code] { exit_code = diff_events(*args); });
}

}  // namespace stormlog::cli
