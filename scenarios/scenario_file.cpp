#include "scenarios/scenario_file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string_view>
#include <system_error>

#include "faults/budget.hpp"
#include "faults/catalogue.hpp"
#include "properties/catalogue.hpp"
#include "scenarios/json_syntax.hpp"
#include "scenarios/scenario_reading.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

constexpr std::array<std::string_view, 17> k_top_keys = {
    "name",     "description", "cluster", "network", "disk",         "workload",
    "duration", "faults",      "nemesis", "budget",  "quiet_period", "properties",
    "expect",   "probes",      "swarm",   "buggify", "schedule"};

// ---------------------------------------------------------------------------------------------
// What the workload allows.

void check_properties(Reader& r, const Scenario& s, const workloads::Workload& w) {
    for (size_t i = 0; i < s.properties.size(); ++i) {
        const properties::Property* p = properties::find_property(s.properties[i]);
        if (p != nullptr && p->moment == properties::Moment::after_heal &&
            s.budget == Budget::beyond) {
            // Asked for and then not checked would be a pass that means nothing.
            r.error(index_path("properties", i),
                    quote(s.properties[i]) +
                        " is checked only under budget \"within\" (beyond it the system may "
                        "stop serving, and only safety must hold)");
            continue;
        }
        if (w.checks(s.properties[i])) continue;
        r.unknown(index_path("properties", i),
                  "unknown property " + quote(s.properties[i]) + " for workload " + quote(w.name),
                  s.properties[i], w.properties,
                  " (its properties: " + sim::quoted_list(w.properties) + ")");
    }
}

// Declared probes are ones the workload's system can reach; "all" stands for every one of them.
void check_probes(Reader& r, Scenario& s, const workloads::Workload& w) {
    if (s.probes.size() == 1 && s.probes[0] == k_all_probes) {
        s.probes.clear();
        for (std::string_view name : w.probe_names()) s.probes.emplace_back(name);
        return;
    }
    for (size_t i = 0; i < s.probes.size(); ++i) {
        if (w.reaches(s.probes[i])) continue;
        const std::vector<std::string_view> names = w.probe_names();
        r.unknown(index_path("probes", i),
                  "unknown probe " + quote(s.probes[i]) + " for workload " + quote(w.name),
                  s.probes[i], names,
                  names.empty() ? " (it has no probes)" : " (stormlog list probes)");
    }
}

// A swarm draws the nemesis's mix and the cluster's size per seed: it needs a nemesis to draw
// from, and scripted faults (which name nodes) would not survive a different cluster.
void check_swarm(Reader& r, const Scenario& s) {
    if (!s.swarm) return;
    if (!s.nemesis.enabled)
        r.error("swarm", "a swarm draws its fault mix from the nemesis: add a \"nemesis\"");
    if (!s.faults.empty())
        r.error("swarm",
                "a swarm draws the cluster's size per seed, and scripted faults name "
                "nodes: leave \"faults\" out");
}

// An application fault acts on a part of the system the workload owns; another has none to act on.
std::string application_fault_problem(const std::string& kind, const workloads::Workload& w) {
    const faults::FaultKindInfo* info = faults::find_kind(kind);
    if (info == nullptr || info->category != faults::Category::application || w.carries_out(kind))
        return "";
    std::string who;
    for (const workloads::Workload* other : workloads::registry()) {
        if (other->carries_out(kind)) who += (who.empty() ? "" : ", ") + std::string(other->name);
    }
    return "\"" + kind + "\" is an application fault workload \"" + std::string(w.name) +
           "\" does not carry out" + (who.empty() ? "" : " (workload " + who + " does)");
}

// Under budget "within", a fault that can never fit would be skipped in every run.
std::string never_fits(const std::string& kind, TargetKind target, const Scenario& s,
                       size_t listed = 1) {
    const faults::FaultKindInfo* info = faults::find_kind(kind);
    if (s.budget != Budget::within || info == nullptr) return "";
    const std::string why =
        faults::never_within_budget(*info, target, static_cast<size_t>(s.cluster.nodes), listed);
    return why.empty() ? ""
                       : "never fits budget \"within\": " + why +
                             " (aim it at fewer nodes, or use budget \"beyond\")";
}

void check_faults(Reader& r, const Scenario& s, const workloads::Workload& w) {
    for (size_t i = 0; i < s.faults.size(); ++i) {
        const FaultSpec& f = s.faults[i];
        const std::string path = index_path("faults", i);
        if (const std::string why = never_fits(f.kind, f.target.kind, s, f.target.nodes.size());
            !why.empty())
            r.error(path, why);
        if (const std::string why = application_fault_problem(f.kind, w); !why.empty())
            r.error(path + ".kind", why);
        const bool needs_leader =
            f.target.kind == TargetKind::leader || f.target.kind == TargetKind::follower;
        if (needs_leader && !w.has_leader) {
            r.expected(
                path + ".target",
                "a target workload \"" + std::string(w.name) +
                    "\" has (it elects no leader: name a node, or random, minority, majority, all)",
                std::string(f.target.kind == TargetKind::leader ? "\"leader\"" : "\"follower\""));
        }
    }
    for (const auto& [kind, weight] : s.nemesis.kinds) {
        if (const std::string why = application_fault_problem(kind, w); !why.empty()) {
            r.error(key_path("nemesis.kinds", kind), why);
        }
        // The nemesis aims at one node (or a minority): a kind that never fits that way never runs.
        if (const std::string why = never_fits(kind, TargetKind::random, s); !why.empty()) {
            r.error(key_path("nemesis.kinds", kind), why);
        }
    }
}

// A setting the workload does not read would be silently ignored: refuse it.
void check_settings(Reader& r, const Json& doc, const workloads::Workload& w) {
    const Json* settings = member(doc, "workload");
    if (settings == nullptr || !settings->is_object()) return;
    for (auto it = settings->begin(); it != settings->end(); ++it) {
        const std::vector<std::string_view>& keys = workload_keys();
        const bool known = std::find(keys.begin(), keys.end(), it.key()) != keys.end();
        if (!known || it.key() == "type" || w.reads(it.key()))
            continue;  // unknown keys: read_workload
        const std::string reads =
            w.settings.empty() ? "no other key" : sim::quoted_list(w.settings);
        r.error(key_path("workload", it.key()),
                "not read by workload " + quote(w.name) + " (it reads " + reads + ")");
    }
}

// Checks against the workload's registry entry, once the whole file is read. The default workload
// is the registry's first.
void check_workload(Reader& r, const Json& doc, Scenario& s) {
    if (s.workload.type.empty()) s.workload.type = std::string(workloads::registry().front()->name);
    const workloads::Workload* w = workloads::find_workload(s.workload.type);
    if (w == nullptr) return;  // read_workload reported it
    check_settings(r, doc, *w);
    check_properties(r, s, *w);
    check_probes(r, s, *w);
    check_faults(r, s, *w);
    check_swarm(r, s);
    if (s.workload.fail_assertion_at && *s.workload.fail_assertion_at >= s.duration) {
        r.expected("workload.fail_assertion_at",
                   "a time before the end of the run (" + show(s.duration) + ")",
                   "\"" + show(*s.workload.fail_assertion_at) + "\"");
    }
}

// ---------------------------------------------------------------------------------------------
// The whole file.

void read_document(Reader& r, const Json& doc, Scenario& s) {
    if (!doc.is_object()) {
        r.error("", "expected a JSON object at the top level, got " + describe(doc));
        return;
    }
    r.object(doc, "", k_top_keys);
    const Context ctx = read_settings(r, doc, s);
    with(doc, "", "faults",
         [&](const Json& x, const std::string& p) { read_faults(r, x, p, ctx, s.faults); });
    with(doc, "", "nemesis",
         [&](const Json& x, const std::string& p) { read_nemesis(r, x, p, ctx, s.nemesis); });
    check_workload(r, doc, s);
}

void parse_into(const std::string& text, Reader& r, Scenario& s) {
    if (text.size() > k_text_bytes_max) {
        r.error("", "too large: " + std::to_string(text.size()) + " bytes (the limit is 4MiB)");
        return;
    }
    const Syntax syntax = check_syntax(text, k_depth_max);
    if (!syntax.ok) {
        report_malformed(r, text, syntax);
        return;
    }
    for (const std::string& p : syntax.duplicate_paths)
        r.error(p, "duplicate key (each key may appear once)");
    read_document(r, Json::parse(text), s);
}

std::string sanitized(std::string s) {
    for (char& c : s) {
        if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return s;
}

// Reads at most `limit` bytes: parse_scenario reports a file above its limit, and /dev/zero
// cannot make us read forever. Returns an error text, or nullopt.
std::optional<std::string> read_file(const std::string& path, size_t limit, std::string& text) {
    const auto describe_errno = [](int e) { return std::generic_category().message(e); };
    struct Close {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    errno = 0;
    const std::unique_ptr<std::FILE, Close> f(std::fopen(path.c_str(), "rb"));
    if (!f) return describe_errno(errno);
    struct stat st {};
    if (::fstat(::fileno(f.get()), &st) != 0) return describe_errno(errno);
    if (S_ISDIR(st.st_mode)) return describe_errno(EISDIR);
    char buffer[1 << 16];
    while (text.size() < limit) {
        const size_t n =
            std::fread(buffer, 1, std::min(sizeof buffer, limit - text.size()), f.get());
        text.append(buffer, n);
        if (n == 0) break;
    }
    if (std::ferror(f.get())) return describe_errno(errno != 0 ? errno : EIO);
    return std::nullopt;
}

}  // namespace

bool parse_scenario(const std::string& text, const std::string& file_label, Scenario& out,
                    ScenarioErrors& errors) {
    Reader r(file_label);
    Scenario s;
    try {
        parse_into(text, r, s);
    } catch (const std::exception& e) {
        // A bug, but the user's file is what triggered it: say so rather than crash.
        r.error("", "internal error while reading the scenario: " + sanitized(e.what()));
    } catch (...) {
        r.error("", "internal error while reading the scenario");
    }
    if (r.count() == 0) {
        s.source = file_label;
        out = std::move(s);
        return true;
    }
    for (std::string& line : r.finish()) errors.lines.push_back(std::move(line));
    return false;
}

bool load_scenario_file(const std::string& path, Scenario& out, ScenarioErrors& errors) {
    std::string text;
    if (const auto error = read_file(path, k_text_bytes_max + 1, text)) {
        errors.lines.push_back(path + ": cannot read: " + *error);
        return false;
    }
    return parse_scenario(text, path, out, errors);
}

}  // namespace stormlog::scenarios
