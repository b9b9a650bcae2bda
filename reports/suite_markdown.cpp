#include "reports/suite_markdown.hpp"

#include <fmt/format.h>

#include <vector>

#include "reports/json_fields.hpp"
#include "reports/markdown_text.hpp"
#include "reports/text.hpp"

namespace stormlog::reports {
namespace {

// One failing run as the table shows it.
struct FailingRun {
    std::string scenario, seed, property, evidence, replay;
};

// From "run_list" (ok == false); a summary without one (today's summary.json) has "failures".
std::vector<FailingRun> failing_runs(const Json& summary) {
    std::vector<FailingRun> out;
    if (field(summary, "run_list").is_array()) {
        for (const Json& run : array_field(summary, "run_list")) {
            if (run_entry_ok(run)) continue;
            const Json& f = field(run, "failure");
            FailingRun r{text_field(run, "scenario"), text_field(run, "seed"),
                         text_field(f, "property"), text_field(f, "evidence"),
                         text_field(run, "replay")};
            if (!f.is_object()) {
                r.property = "expected a failure";
                r.evidence = "every property held, but the scenario expects a failure";
            }
            out.push_back(r);
        }
        return out;
    }
    for (const Json& f : array_field(summary, "failures"))
        out.push_back({text_field(f, "scenario"), text_field(f, "seed"), text_field(f, "property"),
                       text_field(f, "message"), text_field(f, "replay")});
    return out;
}

std::string title(const Json& summary) {
    const uint64_t runs = count_field(summary, "runs");
    const uint64_t failed = count_field(summary, "failed");
    if (failed == 0) return fmt::format("# stormlog suite: all {} runs passed\n\n", runs);
    return fmt::format("# stormlog suite: {} of {} runs failed\n\n", failed, runs);
}

std::string totals(const Json& summary) {
    std::string out =
        fmt::format("**{} runs**: {} passed, {} failed, {} scenarios", count_field(summary, "runs"),
                    count_field(summary, "passed"), count_field(summary, "failed"),
                    array_field(summary, "scenarios").size());
    if (const auto wall = number_field(summary, "wall")) out += ", wall " + md_seconds(wall);
    out += ".\n";
    if (field(summary, "build").is_string())
        out += "\nbuild: " + md_code(text_field(summary, "build"), false) + "\n";
    return out + "\n";
}

std::string scenarios_table(const Json& summary) {
    std::string out = "## Scenarios\n\n";
    out += md_table_head({"scenario", ">runs", ">passed", ">failed"});
    for (const Json& s : array_field(summary, "scenarios"))
        out += md_row({md_text(text_field(s, "name")), text_field(s, "runs"),
                       text_field(s, "passed"), text_field(s, "failed")});
    return out + "\n";
}

std::string scorecard_table(const Json& summary) {
    std::string out = "## Fault scorecard\n\n";
    const Json& card = array_field(summary, "scorecard");
    if (card.empty()) return out + "No faults were applied.\n\n";
    out += md_table_head({"fault", "category", ">applied", ">runs", ">availability",
                          ">first commit p50", ">p99", ">stable leader p50", ">p99",
                          ">not recovered", ">violations"});
    for (const Json& k : card)
        out += md_row({md_text(text_field(k, "kind")), md_text(text_field(k, "category")),
                       text_field(k, "applied"), text_field(k, "runs"),
                       md_percent(number_field(k, "availability")),
                       md_seconds(number_field(k, "first_commit_p50_s")),
                       md_seconds(number_field(k, "first_commit_p99_s")),
                       md_seconds(number_field(k, "stable_leader_p50_s")),
                       md_seconds(number_field(k, "stable_leader_p99_s")),
                       text_field(k, "not_recovered"), text_field(k, "violations")});
    return out + "\n";
}

std::string failures_table(const Json& summary) {
    std::string out = "## Failing runs\n\n";
    const std::vector<FailingRun> runs = failing_runs(summary);
    if (runs.empty()) return out + "None.\n";
    out += md_table_head({"scenario", ">seed", "property", "evidence", "replay"});
    for (size_t i = 0; i < runs.size() && i < suite_markdown_failures_max; ++i) {
        const FailingRun& r = runs[i];
        out += md_row({md_text(r.scenario), md_text(r.seed), md_text(r.property),
                       md_text(truncate_utf8(valid_utf8(r.evidence), suite_markdown_evidence_max)),
                       md_code(r.replay, true)});
    }
    if (runs.size() > suite_markdown_failures_max)
        out += fmt::format("\n... and {} more failing runs (summary.json lists them all).\n",
                           runs.size() - suite_markdown_failures_max);
    return out;
}

}  // namespace

std::string suite_markdown(const Json& summary) {
    return title(summary) + totals(summary) + scenarios_table(summary) + scorecard_table(summary) +
           failures_table(summary);
}

}  // namespace stormlog::reports
