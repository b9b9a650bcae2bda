#include "reports/run_markdown.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <vector>

#include "reports/json_fields.hpp"
#include "reports/markdown_text.hpp"

namespace stormlog::reports {
namespace {

std::string plural(size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string verdict_line(const Json& verdict) {
    const bool pass = field(verdict, "pass") == true;
    const bool ok = field(verdict, "ok") == true;
    const std::string violated =
        plural(array_field(verdict, "failures").size(), "property violated", "properties violated");
    if (ok && pass) return "**PASS**: every property held.\n";
    if (ok) return "**PASS** (expected failure): " + violated + ", as the scenario expects.\n";
    if (pass) return "**FAIL**: every property held, but the scenario expects a failure.\n";
    return "**FAIL**: " + violated + ".\n";
}

std::string heading(const Json& report) {
    const Json& scenario = field(report, "scenario");
    const Json& verdict = field(report, "verdict");
    std::string out =
        fmt::format("# {}, seed {}: {}\n\n", md_text(text_field(scenario, "name")),
                    text_field(report, "seed"), field(verdict, "ok") == true ? "ok" : "FAILED");
    out += verdict_line(verdict) + "\n";
    out += "replay: " + md_code(text_field(verdict, "replay"), false) + "\n\n";
    if (!text_field(scenario, "description").empty())
        out += md_text(text_field(scenario, "description")) + "\n\n";
    out += fmt::format("workload {}, budget {}, {} simulated ({} events), hash {}\n\n",
                       md_text(text_field(scenario, "workload")),
                       md_text(text_field(scenario, "budget")),
                       md_seconds(number_field(report, "sim_time_s")), text_field(report, "events"),
                       md_code(text_field(report, "hash"), false));
    const Json& lost = field(report, "acked_writes_lost");
    out += "acknowledged writes lost: " + (lost.is_number() ? lost.dump() : "unknown") + "\n\n";
    return out;
}

std::string failures_section(const Json& report) {
    const Json& failures = array_field(field(report, "verdict"), "failures");
    if (failures.empty()) return "";
    std::string out = "## Failures\n\n" + md_table_head({"property", ">at", "node", "evidence"});
    for (const Json& f : failures)
        out += md_row({md_text(text_field(f, "property")), md_seconds(number_field(f, "at_s")),
                       md_text(text_field(f, "node")), md_text(text_field(f, "evidence"))});
    return out + "\n";
}

std::string targets_text(const Json& fault) {
    std::string out;
    for (const Json& t : array_field(fault, "targets"))
        out += (out.empty() ? "" : ", ") + md_text(t.is_string() ? t.get<std::string>() : t.dump());
    return out.empty() ? "(network)" : out;
}

std::string heal_text(const Json& fault) {
    const auto heal = number_field(fault, "heal_s");
    return heal ? md_seconds(heal) : "never";
}

std::string faults_section(const Json& report) {
    std::string out = "## Faults\n\n";
    const Json& faults = array_field(report, "faults");
    if (faults.empty())
        out += "None applied.\n\n";
    else
        out += md_table_head(
            {">#", "kind", "category", "origin", "targets", ">start", ">heal", "detail"});
    for (const Json& f : faults)
        out += md_row({text_field(f, "id"), md_text(text_field(f, "kind")),
                       md_text(text_field(f, "category")), md_text(text_field(f, "origin")),
                       targets_text(f), md_seconds(number_field(f, "start_s")), heal_text(f),
                       md_text(text_field(f, "detail"))});
    if (!faults.empty()) out += "\n";
    const Json& skipped = array_field(report, "skipped_faults");
    if (!skipped.empty()) out += "Skipped:\n\n";
    for (const Json& s : skipped)
        out += fmt::format("- {} ({}) at {}: {}\n", md_text(text_field(s, "kind")),
                           md_text(text_field(s, "origin")), md_seconds(number_field(s, "at_s")),
                           md_text(text_field(s, "why")));
    return skipped.empty() ? out : out + "\n";
}

std::string recovery_section(const Json& report) {
    const Json& recovery = array_field(report, "recovery");
    if (recovery.empty()) return "";
    std::string out =
        "## Recovery\n\n" + md_table_head({">fault", "kind", ">ops", ">ok", ">availability",
                                           ">first commit", ">stable leader"});
    for (const Json& r : recovery) {
        const auto first = number_field(r, "first_commit_s");
        out += md_row({text_field(r, "fault"), md_text(text_field(r, "kind")), text_field(r, "ops"),
                       text_field(r, "ops_ok"), md_percent(number_field(r, "availability")),
                       first ? md_seconds(first) : "not recovered",
                       md_seconds(number_field(r, "stable_leader_s"))});
    }
    return out + "\n";
}

std::string leaders_summary(const Json& leaders) {
    std::set<int64_t> terms;
    std::map<std::string, size_t> by_node;  // ordered: deterministic output
    for (const Json& l : leaders) {
        if (const auto t = number_field(l, "term")) terms.insert(static_cast<int64_t>(*t));
        ++by_node[text_field(l, "node")];
    }
    std::string out = plural(leaders.size(), "leader span", "leader spans");
    if (!terms.empty())
        out += fmt::format(" in {} (terms {} to {})", plural(terms.size(), "term", "terms"),
                           *terms.begin(), *terms.rbegin());
    std::string nodes;
    for (const auto& [node, n] : by_node)
        nodes += (nodes.empty() ? "" : ", ") + fmt::format("{} {}", md_text(node), n);
    return out + "; by node: " + nodes + ".\n\n";
}

std::string leaders_section(const Json& report) {
    const Json& leaders = array_field(report, "leaders");
    if (leaders.empty()) return "";
    std::string out = "## Leaders\n\n" + leaders_summary(leaders);
    out += md_table_head({"node", ">term", ">start", ">end"});
    for (size_t i = 0; i < leaders.size() && i < run_markdown_leaders_max; ++i)
        out += md_row({md_text(text_field(leaders[i], "node")), text_field(leaders[i], "term"),
                       md_seconds(number_field(leaders[i], "start_s")),
                       md_seconds(number_field(leaders[i], "end_s"))});
    if (leaders.size() > run_markdown_leaders_max)
        out += fmt::format("\n... and {} more.\n", leaders.size() - run_markdown_leaders_max);
    return out + "\n";
}

std::string alerts_section(const Json& report) {
    const Json& alerts = array_field(report, "alerts");
    if (alerts.empty()) return "";
    std::string out = "## Alerts\n\n" + md_table_head({"rule", ">fired", ">resolved", ">value"});
    for (const Json& a : alerts) {
        const auto resolved = number_field(a, "resolved_s");
        const auto value = number_field(a, "value");
        out += md_row({md_text(text_field(a, "rule")), md_seconds(number_field(a, "fired_s")),
                       resolved ? md_seconds(resolved) : "still firing",
                       value ? fmt::format("{:g}", *value) : "-"});
    }
    return out + "\n";
}

std::string summary_section(const Json& report) {
    const Json& lines = array_field(report, "summary");
    if (lines.empty()) return "";
    std::string out = "## Summary\n\n";
    for (const Json& l : lines)
        out += "- " + md_text(l.is_string() ? l.get<std::string>() : l.dump()) + "\n";
    return out;
}

}  // namespace

std::string run_markdown(const Json& report) {
    std::string out = heading(report) + failures_section(report) + faults_section(report) +
                      recovery_section(report) + leaders_section(report) + alerts_section(report) +
                      summary_section(report);
    while (out.size() >= 2 && out.ends_with("\n\n")) out.pop_back();
    return out;
}

}  // namespace stormlog::reports
