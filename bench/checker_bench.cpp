// `stormlog bench checker`: the linearizability checker on the shared reference histories and
// on a large synthetic event-store history. Each figure is end to end (read the file, parse,
// pair, check), single-threaded, the median of a few runs.

#include "bench/checker_bench.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench/checker_stream_history.hpp"
#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace stormlog::bench {

namespace {

namespace lin = stormlog::properties::linearizability;
namespace fs = std::filesystem;

const fs::path k_histories = fs::path(STORMLOG_SOURCE_DIR "/../shared/data/histories");

struct Job {
    std::string text;
    std::string path;  // for format detection
    lin::ModelKind model;
    nlohmann::json initial;
    lin::Verdict expected;
};

// Checks every job once; false if any verdict is wrong.
bool run_jobs(const std::vector<Job>& jobs) {
    for (const Job& job : jobs) {
        auto operations = lin::parse_history(job.text, lin::HistoryFormat::automatic, job.path);
        if (!operations) return false;
        lin::CheckOptions options;
        options.model = job.model;
        options.initial = job.initial;
        auto report = lin::check_operations(operations.value(), options);
        if (!report || report.value().verdict != job.expected) return false;
    }
    return true;
}

// Median wall time of `runs` runs, in milliseconds; negative if a verdict was wrong.
double time_jobs(const std::vector<Job>& jobs, int runs) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        if (!run_jobs(jobs)) return -1;
        const std::chrono::duration<double, std::milli> elapsed =
            std::chrono::steady_clock::now() - start;
        ms.push_back(elapsed.count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

Job file_job(const fs::path& path, lin::ModelKind model, nlohmann::json initial, bool ok) {
    auto text = lin::load_file(path.string());
    return Job{text ? text.value() : std::string(), path.string(), model, std::move(initial),
               ok ? lin::Verdict::linearizable : lin::Verdict::not_linearizable};
}

std::vector<Job> knossos_jobs() {
    std::vector<Job> jobs;
    for (const char* verdict : {"good", "bad"}) {
        const fs::path dir = k_histories / "knossos-cas-register" / verdict;
        if (!fs::is_directory(dir)) continue;
        std::vector<fs::path> paths;
        for (const auto& entry : fs::directory_iterator(dir)) paths.push_back(entry.path());
        std::sort(paths.begin(), paths.end());
        for (const auto& path : paths) {
            jobs.push_back(
                file_job(path, lin::ModelKind::cas_register, 0, std::string(verdict) == "good"));
        }
    }
    return jobs;
}

bool report(std::ostream& out, const std::string& corpus, double ms) {
    if (ms < 0) {
        out << "BENCH checker." << corpus << " FAILED: wrong verdict\n";
        return false;
    }
    out << "BENCH checker." << corpus << " ms=" << std::fixed;
    out.precision(1);
    out << ms << "\n" << std::flush;
    return true;
}

}  // namespace

int run_checker_bench(std::ostream& out) {
    constexpr int k_runs = 5;
    bool ok = true;
    for (const char* name : {"c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad"}) {
        const fs::path path = k_histories / "porcupine-kv" / (std::string(name) + ".txt");
        const bool linearizable = std::string(name).ends_with("-ok");
        const std::vector<Job> jobs{file_job(path, lin::ModelKind::kv, nullptr, linearizable)};
        ok = report(out, name, time_jobs(jobs, k_runs)) && ok;
    }
    ok = report(out, "knossos-all", time_jobs(knossos_jobs(), k_runs)) && ok;
    const StreamHistoryShape shape;
    const std::vector<Job> stream{Job{synthetic_stream_history(shape), "stream.jsonl",
                                      lin::ModelKind::stream, nullptr, lin::Verdict::linearizable}};
    ok = report(out, "stream-" + std::to_string(shape.operations / 1000) + "k",
                time_jobs(stream, 3)) &&
         ok;
    return ok ? 0 : 1;
}

}  // namespace stormlog::bench
