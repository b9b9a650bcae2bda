// stormlog check-history: is a recorded history linearizable under a model?
// One line per file, `<FILE>: linearizable | not linearizable | unknown`, with indented details
// for the last two; a directory stands for every file directly in it (sorted by name, hidden
// files skipped). Several files end with a count of each verdict. Exit 0 all linearizable, 1 any
// not, 3 none not but some unknown, 2 bad input (a file that is not a history - empty, malformed,
// unreadable - or a directory without files); every file is checked whatever came before.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/commands.hpp"
#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"
#include "sim/size.hpp"
#include "sim/time.hpp"

namespace stormlog::cli {

namespace {

namespace lin = stormlog::properties::linearizability;

struct Arguments {
    std::string model;
    std::string initial;
    std::string timeout;
    std::string memory_max = "2GiB";
    std::string format = "auto";
    bool stats = false;
    std::vector<std::string> files;
};

void print_error(const std::string& where, const std::string& what) {
    std::fprintf(stderr, "stormlog: error: %s: %s\n", where.c_str(), what.c_str());
}

// The files the arguments name: a directory stands for the regular files directly in it, sorted
// by name (directory order differs between machines), hidden ones skipped. An argument that names
// nothing to check is an error line; the others are still checked.
std::vector<std::string> expand_paths(const std::vector<std::string>& arguments, int& exit_code) {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const std::string& argument : arguments) {
        std::error_code ec;
        if (!fs::is_directory(argument, ec)) {
            files.push_back(argument);
            continue;
        }
        std::vector<std::string> found;
        for (fs::directory_iterator it(argument, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (!name.starts_with(".") && it->is_regular_file(ec))
                found.push_back(it->path().string());
        }
        if (ec) {
            print_error(argument, "cannot read the directory: " + ec.message());
            exit_code = 2;
        } else if (found.empty()) {
            print_error(argument, "no history files in this directory");
            exit_code = 2;
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

// What checking one file contributes to the exit code: 0, 1, 2 or 3 as documented above.
int check_file(const std::string& path, const lin::CheckOptions& base, lin::HistoryFormat format,
               std::optional<std::int64_t> timeout_ns, bool stats) {
    const auto started = std::chrono::steady_clock::now();
    auto text = lin::load_file(path);
    if (!text) {
        print_error(path, text.error().what);
        return 2;
    }
    auto operations = lin::parse_history(text.value(), format, path);
    if (!operations) {
        const auto line = operations.error().line;
        print_error(line == 0 ? path : path + ":" + std::to_string(line), operations.error().what);
        return 2;
    }
    lin::CheckOptions options = base;
    // A deadline beyond the clock's range is no deadline: `started + timeout` would overflow
    // (found by UBSan on --timeout 2562047h, the largest accepted).
    if (timeout_ns && std::chrono::nanoseconds(*timeout_ns) <
                          std::chrono::steady_clock::time_point::max() - started) {
        const auto deadline = started + std::chrono::nanoseconds(*timeout_ns);
        options.should_stop = [deadline] { return std::chrono::steady_clock::now() >= deadline; };
    }
    auto report = lin::check_operations(operations.value(), options);
    if (!report) {
        const auto line = report.error().line;
        print_error(line == 0 ? path : path + ":" + std::to_string(line), report.error().what);
        return 2;
    }
    const lin::CheckReport& r = report.value();
    std::printf("%s: %s\n", path.c_str(), lin::verdict_name(r.verdict));
    for (const std::string& detail : r.details) std::printf("  %s\n", detail.c_str());
    if (stats) {
        const auto elapsed = std::chrono::steady_clock::now() - started;
        std::printf("  (%zu operations in %zu keys, %llu steps, peak %zu MiB, %lld ms)\n",
                    r.operations, r.partitions, static_cast<unsigned long long>(r.steps),
                    r.peak_memory_bytes >> 20,
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
    }
    std::fflush(stdout);
    switch (r.verdict) {
        case lin::Verdict::linearizable:
            return 0;
        case lin::Verdict::not_linearizable:
            return 1;
        case lin::Verdict::unknown:
            return 3;
    }
    return 2;
}

// Bad input outranks a violation, which outranks an unknown.
int combine_exit_codes(int a, int b) {
    auto rank = [](int code) { return code == 2 ? 3 : code == 1 ? 2 : code == 3 ? 1 : 0; };
    return rank(a) >= rank(b) ? a : b;
}

int run(const Arguments& args) {
    lin::CheckOptions options;
    options.model = *lin::parse_model_kind(args.model);  // CLI11 checked membership
    if (!args.initial.empty()) {
        options.initial = nlohmann::json::parse(args.initial, nullptr, false);
        if (options.initial.is_discarded()) {
            print_error("--initial", "'" + args.initial + "' is not JSON (e.g. 0, \"x\", null)");
            return 2;
        }
    }
    std::optional<std::int64_t> timeout_ns;
    if (!args.timeout.empty()) {
        const sim::Result<sim::Duration> timeout = sim::parse_duration(args.timeout);
        if (timeout.ok() && timeout->ns() > 0) timeout_ns = timeout->ns();
        if (!timeout_ns) {
            // Durations are signed 64-bit nanoseconds: at most 2562047h (about 292 years).
            print_error("--timeout",
                        "expected a duration above 0 and at most 2562047h (e.g. "
                        "300ms, 10s, 2m), got '" +
                            args.timeout + "'");
            return 2;
        }
    }
    const std::optional<uint64_t> memory_max = sim::parse_size(args.memory_max);
    if (!memory_max || *memory_max == 0) {
        print_error("--max-memory",
                    "expected a size from 1B to 18446744073709551615B (e.g. "
                    "512MiB, 2GiB, 2GB), got '" +
                        args.memory_max + "'");
        return 2;
    }
    options.memory_bytes_max = *memory_max;
    const lin::HistoryFormat format = args.format == "jsonl" ? lin::HistoryFormat::jsonl
                                      : args.format == "edn" ? lin::HistoryFormat::edn
                                                             : lin::HistoryFormat::automatic;
    int exit_code = 0;
    const std::vector<std::string> files = expand_paths(args.files, exit_code);
    std::array<size_t, 4> by_code{};  // files per exit code: 0, 1, 2, 3
    for (const std::string& path : files) {
        int code = 2;
        try {
            code = check_file(path, options, format, timeout_ns, args.stats);
        } catch (const std::exception& e) {
            // A bug of the checker; the user's file is what set it off: say which, go on.
            print_error(path, std::string("internal error: ") + e.what());
        }
        ++by_code[static_cast<size_t>(code)];
        exit_code = combine_exit_codes(exit_code, code);
    }
    if (files.size() > 1) {
        std::printf(
            "%zu histories: %zu linearizable, %zu not linearizable, %zu unknown, %zu not "
            "histories\n",
            files.size(), by_code[0], by_code[1], by_code[3], by_code[2]);
    }
    return exit_code;
}

}  // namespace

void add_check_history_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "check-history", "Check client histories (JSON lines or Jepsen EDN) for linearizability");
    auto args = std::make_shared<Arguments>();
    cmd->add_option("--model", args->model, "register, cas-register, kv or stream")
        ->required()
        ->check(CLI::IsMember({"register", "cas-register", "kv", "stream"}));
    cmd->add_option("--initial", args->initial,
                    "initial value as JSON (register models; default null)");
    cmd->add_option("--timeout", args->timeout,
                    "give up with 'unknown' after this long per file (e.g. 10s, 2m)");
    cmd->add_option("--max-memory", args->memory_max,
                    "give up with 'unknown' past this much search memory (default 2GiB)");
    cmd->add_option("--format", args->format, "auto (default), jsonl or edn")
        ->check(CLI::IsMember({"auto", "jsonl", "edn"}));
    cmd->add_flag("--stats", args->stats, "print operation counts, steps, memory and time");
    cmd->add_option("FILE", args->files,
                    "history files, or directories of them (every file directly in each)")
        ->required();
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace stormlog::cli
