#pragma once
// The suite's fault scorecard (summary.json "scorecard", /work/report-schema.md): per fault kind,
// how often it was applied, how available the system stayed while it was active, how fast the
// cluster recovered after its heal, and in how many failed runs it took part.
//
// Memory: a suite may run 100k seeds, so a run report is read once and dropped. Per kind we keep
// counters and, for the two recovery times, the values themselves: nearest-rank percentiles are
// then exact and do not depend on a bucket layout chosen in advance (recovery times span
// milliseconds to the whole quiet period). That is 16 bytes per occurrence with a recovery time:
// 100k runs with 10 faults each is 16 MB at most, which a suite of that size can afford.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stormlog::reports {

class Scorecard {
  public:
    // Counts one run's report.json ("faults" and "recovery"); `ok` is whether the run's verdict
    // was the expected one. Missing or mistyped fields count as absent.
    void add_run(const nlohmann::ordered_json& run_report, bool ok);

    // The "scorecard" array: one object per fault kind, sorted by kind name.
    nlohmann::ordered_json to_json() const;

    // Everything the scorecard holds, as data (a shard's scorecard-data.json): the counts and
    // every recovery time. Scorecards of the shards of a suite, added together with add_data,
    // give exactly the scorecard of the whole suite run at once - counts add up, and the
    // percentiles are taken over the union of the times.
    nlohmann::ordered_json to_data() const;
    // Adds a to_data() document. On a malformed one returns false with `error` naming the field
    // (and leaves this scorecard unchanged).
    bool add_data(const nlohmann::ordered_json& data, std::string& error);

  private:
    struct Kind {
        std::string category;  // of the first occurrence seen
        uint64_t applied = 0;
        uint64_t runs = 0;
        uint64_t ops = 0;
        uint64_t ops_ok = 0;
        std::vector<double> first_commit_s;   // of the occurrences that have one
        std::vector<double> stable_leader_s;  // likewise
        uint64_t not_recovered = 0;
        uint64_t violations = 0;
    };
    static nlohmann::ordered_json kind_json(const std::string& name, const Kind& k);
    void add_recovery(const nlohmann::ordered_json& report);

    std::map<std::string, Kind> kinds_;  // ordered: the output is sorted by kind
};

// The nearest-rank percentile `p` (1..100) of `values` (which it sorts), nothing when empty.
std::optional<double> nearest_rank(std::vector<double>& values, int p);

}  // namespace stormlog::reports
