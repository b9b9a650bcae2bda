// stormlog merge DIR... --out DIR [--force]: the shards of one suite (each a `suite --shard K/M
// --report DIR`), run on as many machines, merged into the report one machine would have
// written (reports/merge.hpp says what is checked and how).

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "reports/atomic_file.hpp"
#include "reports/html.hpp"
#include "reports/json.hpp"
#include "reports/junit.hpp"
#include "reports/merge.hpp"
#include "reports/report_dir.hpp"
#include "reports/suite_markdown.hpp"

namespace stormlog::cli {
namespace {

struct MergeArgs {
    std::vector<std::string> shards;
    std::string out;
    bool force = false;
};

int refuse(const std::string& why) {
    std::fprintf(stderr, "stormlog: error: merge: %s\n", why.c_str());
    return 2;
}

// The failing runs' own reports (runs/<scenario>/seed-<n>/) of every shard, copied as they are.
bool copy_run_reports(const std::vector<reports::ShardReport>& shards, reports::ReportDir& dir,
                      std::string& error) {
    namespace fs = std::filesystem;
    for (const reports::ShardReport& s : shards) {
        const fs::path runs = fs::path(s.dir) / "runs";
        std::error_code ec;
        if (!fs::is_directory(runs, ec)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(runs, ec)) {
            if (!entry.is_regular_file()) continue;
            std::string text;
            if (!reports::read_file(entry.path().string(), text, error)) return false;
            const std::string relative = fs::relative(entry.path(), s.dir).string();
            if (!dir.write(relative, text, error)) return false;
        }
        if (ec) {
            error = runs.string() + ": " + ec.message();
            return false;
        }
    }
    return true;
}

int merge(const MergeArgs& args) {
    std::vector<reports::ShardReport> shards(args.shards.size());
    std::string error;
    for (size_t i = 0; i < shards.size(); ++i) {
        if (!reports::load_shard(args.shards[i], shards[i], error)) return refuse(error);
    }
    if (const std::string why = reports::shards_problem(shards); !why.empty()) return refuse(why);
    reports::ReportDir dir(args.out, args.force);
    if (!dir.open(error)) return refuse("--out: " + error);
    const reports::MergedReport merged = reports::merge_shards(shards);
    const nlohmann::ordered_json& summary = merged.summary;
    if (!dir.write("summary.json", reports::json_file_text(summary), error) ||
        !dir.write("summary.md", reports::suite_markdown(summary), error) ||
        !dir.write("junit.xml", reports::junit_xml(summary), error) ||
        !dir.write("index.html", reports::suite_report_html(summary), error) ||
        !dir.write("scorecard-data.json", reports::json_file_text(merged.scorecard), error) ||
        !copy_run_reports(shards, dir, error) || !dir.commit(error))
        return refuse("--out: " + error);
    const uint64_t failed = summary["failed"];
    std::printf("MERGE shards=%zu runs=%llu passed=%llu failed=%llu\n", shards.size(),
                static_cast<unsigned long long>(summary["runs"].get<uint64_t>()),
                static_cast<unsigned long long>(summary["passed"].get<uint64_t>()),
                static_cast<unsigned long long>(failed));
    for (const nlohmann::ordered_json& f : summary["failures"]) {
        std::printf("FAIL scenario=%s seed=%llu property=%s\n  replay: %s\n",
                    f.value("scenario", "").c_str(),
                    static_cast<unsigned long long>(f["seed"].get<uint64_t>()),
                    f.value("property", "").c_str(), f.value("replay", "").c_str());
    }
    std::printf("report: %s/index.html\n", dir.dir().c_str());
    return failed == 0 ? 0 : 1;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<MergeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "merge", "Merge the --report directories of a suite's shards into one suite report");
    cmd->add_option("shards", args->shards,
                    "every shard's `suite --shard K/M --report DIR` directory, K = 1..M")
        ->required();
    cmd->add_option("--out", args->out, "the merged report's directory")->required();
    cmd->add_flag("--force", args->force, "replace the --out directory if it is not empty");
    cmd->callback([args, &exit_code] { exit_code = merge(*args); });
}

}  // namespace stormlog::cli
