#include "shrink/shrinker.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "scenarios/explicit.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario_writer.hpp"
#include "shrink/candidates.hpp"
#include "sim/assert.hpp"

namespace stormlog::shrink {
namespace {

using workloads::RunResult;

// Runs candidates and keeps the best (smallest accepted) one with the result it gave.
class Search {
  public:
    Search(const ShrinkOptions& options, std::string property)
        : options_(options), property_(std::move(property)) {}

    // Whether `r` fails the way the original did.
    bool same_failure(const RunResult& r) const {
        if (r.pass) return false;
        if (options_.any_property) return true;
        return std::any_of(r.failures.begin(), r.failures.end(),
                           [&](const sim::Failure& f) { return f.property == property_; });
    }

    // The first of `candidates` (in order) that fails the same way, now the best; nullopt if none
    // does or the time is up.
    std::optional<size_t> first_failing(const std::vector<Scenario>& candidates) {
        std::vector<Scenario> valid;
        std::vector<size_t> index;
        for (size_t i = 0; i < candidates.size(); ++i) {
            // A candidate runs as its file would: written, then read back (and an invalid one,
            // such as a fault left outside a shortened run, is no candidate).
            Scenario parsed;
            if (!reparse(candidates[i], parsed) || same_text(parsed, best_)) continue;
            valid.push_back(std::move(parsed));
            index.push_back(i);
        }
        const size_t batch = std::max<size_t>(1, options_.batch);
        for (size_t from = 0; from < valid.size(); from += batch) {
            if (out_of_time()) return std::nullopt;
            const size_t to = std::min(valid.size(), from + batch);
            const std::vector<Scenario> chunk(valid.begin() + static_cast<long>(from),
                                              valid.begin() + static_cast<long>(to));
            const std::vector<RunResult> results = run(chunk);
            for (size_t k = 0; k < results.size(); ++k) {
                if (!same_failure(results[k])) continue;
                best_ = chunk[k];
                best_result_ = results[k];
                return index[from + k];
            }
        }
        return std::nullopt;
    }

    bool out_of_time() {
        if (!budget_hit_ && options_.out_of_time && options_.out_of_time()) budget_hit_ = true;
        return budget_hit_;
    }

    void set_best(Scenario s, RunResult r) {
        best_ = std::move(s);
        best_result_ = std::move(r);
    }
    const Scenario& best() const { return best_; }
    const RunResult& best_result() const { return best_result_; }
    uint64_t runs() const { return runs_; }
    bool budget_hit() const { return budget_hit_; }

    static bool reparse(const Scenario& s, Scenario& out) {
        scenarios::ScenarioErrors errors;
        return scenarios::parse_scenario(scenarios::scenario_json(s), s.source, out, errors);
    }

  private:
    std::vector<RunResult> run(const std::vector<Scenario>& chunk) {
        runs_ += chunk.size();
        if (options_.run_batch) return options_.run_batch(chunk);
        std::vector<RunResult> out;
        for (const Scenario& s : chunk) out.push_back(run_candidate(s, options_));
        return out;
    }

    static bool same_text(const Scenario& a, const Scenario& b) {
        return scenarios::scenario_json(a) == scenarios::scenario_json(b);
    }

    const ShrinkOptions& options_;
    std::string property_;
    Scenario best_;
    RunResult best_result_;
    uint64_t runs_ = 0;
    bool budget_hit_ = false;
};

Scenario with_faults(const Scenario& s, const std::vector<faults::FaultSpec>& faults) {
    Scenario c = s;
    c.faults = faults;
    return c;
}

// Zeller and Hildebrandt's ddmin over the faults: the subsets, then the complements, of n parts;
// n doubles when none fails. Nothing at all is tried first: some bugs need no fault.
void ddmin(Search& search) {
    std::vector<faults::FaultSpec> faults = search.best().faults;
    if (faults.empty()) return;
    if (search.first_failing({with_faults(search.best(), {})})) return;
    size_t n = 2;
    while (faults.size() >= 2 && !search.budget_hit()) {
        const size_t size = faults.size();
        std::vector<std::vector<faults::FaultSpec>> parts;
        for (size_t i = 0; i < n; ++i) {
            const size_t from = i * size / n;
            const size_t to = (i + 1) * size / n;
            parts.emplace_back(faults.begin() + static_cast<long>(from),
                               faults.begin() + static_cast<long>(to));
        }
        std::vector<std::vector<faults::FaultSpec>> tries = parts;
        if (n > 2) {
            for (size_t i = 0; i < n; ++i) {
                std::vector<faults::FaultSpec> rest;
                for (size_t j = 0; j < n; ++j) {
                    if (j != i) rest.insert(rest.end(), parts[j].begin(), parts[j].end());
                }
                tries.push_back(std::move(rest));
            }
        }
        std::vector<Scenario> candidates;
        for (const auto& t : tries) candidates.push_back(with_faults(search.best(), t));
        const std::optional<size_t> hit = search.first_failing(candidates);
        if (hit) {
            faults = tries[*hit];
            n = *hit < n ? 2 : std::max<size_t>(n - 1, 2);
        } else if (n >= size) {
            break;
        } else {
            n = std::min(size, n * 2);
        }
    }
}

// Each surviving fault narrowed (fewer targets, clients out of its partition) and shortened.
void simplify_faults(Search& search) {
    for (size_t i = 0; i < search.best().faults.size() && !search.budget_hit(); ++i) {
        while (search.first_failing(narrowings(search.best(), i))) {
        }
        search.first_failing(shortenings(search.best(), i));
    }
}

// Cut the run to just past the failure: no shorter than the faults; the quiet period (budget
// `within`) shrinks to fit, and a liveness failure that needs it keeps the longer runs failing.
void cut_duration(Search& search) {
    search.first_failing(shorter_runs(search.best(), faults_end(search.best())));
}

void smaller_setup(Search& search) {
    for (size_t g = 0; !search.budget_hit(); ++g) {
        const auto groups = smaller_setups(search.best());
        if (g >= groups.size()) break;
        search.first_failing(groups[g]);
    }
}

std::string fmt_duration(sim::Duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", static_cast<double>(d.ns()) / 1e9);
    return std::string(buf) + "s";
}

std::string size_text(const Scenario& s) {
    return std::to_string(s.faults.size()) + " faults, " + fmt_duration(s.duration) + ", " +
           std::to_string(s.workload.clients) + " clients, " + std::to_string(s.cluster.nodes) +
           " nodes";
}

std::string describe(const ShrinkResult& r, uint64_t seed, const ShrinkOptions& o) {
    std::string d = "shrunk by stormlog shrink from " + r.original.name + " under seed " +
                    std::to_string(seed) + " (" + std::to_string(r.faults_before) + " faults, " +
                    fmt_duration(r.original.duration) + ", " +
                    std::to_string(r.original.workload.clients) + " clients): fails " + r.property +
                    " under seed " + std::to_string(seed);
    if (o.bug) d += std::string(" with --bug ") + o.bug->name;
    return d;
}

}  // namespace

RunResult run_candidate(const Scenario& s, const ShrinkOptions& options) {
    workloads::RunOptions run;
    run.seed = options.seed;
    return scenarios::run_scenario(s, run, options.bug);
}

ShrinkResult shrink(const Scenario& scenario, const ShrinkOptions& options) {
    ShrinkResult out;
    auto say = [&](const std::string& line) {
        if (options.progress) options.progress(line);
    };
    out.original = scenarios::as_run(scenario, options.seed);
    const RunResult first = run_candidate(scenario, options);
    if (first.pass) {
        out.error = "the run passes under seed " + std::to_string(options.seed) +
                    ": there is no failure to shrink";
        return out;
    }
    out.property = first.failures.empty() ? "-" : first.failures.front().property;
    Search search(options, out.property);
    Scenario start = scenarios::explicit_scenario(scenario, options.seed, first);
    start.expect_pass = false;
    out.faults_before = start.faults.size();
    say("failing run: " + out.property + " at " +
        fmt_duration(first.failures.empty() ? first.sim_time - sim::Time::zero()
                                            : first.failures.front().at - sim::Time::zero()) +
        "; the run applied " + std::to_string(out.faults_before) + " faults");
    Scenario parsed;
    if (!Search::reparse(start, parsed)) {
        out.error = "the run's explicit schedule is not a valid scenario";
        return out;
    }
    const RunResult replay = run_candidate(parsed, options);
    if (!search.same_failure(replay)) {
        out.error = "the run's faults made explicit do not fail " + out.property +
                    " (stormlog run --dump-scenario shows them): a draw the explicit form does "
                    "not capture; please report it";
        return out;
    }
    search.set_best(parsed, replay);
    say("explicit schedule fails the same way: " + size_text(parsed));
    for (int round = 1; round <= 3 && !search.budget_hit(); ++round) {
        const std::string before = scenarios::scenario_json(search.best());
        ddmin(search);
        say("round " + std::to_string(round) + " ddmin: " + size_text(search.best()) + " (runs " +
            std::to_string(search.runs() + 2) + ")");
        simplify_faults(search);
        search.first_failing(roundings(search.best()));
        cut_duration(search);
        smaller_setup(search);
        say("round " + std::to_string(round) + " simplified: " + size_text(search.best()) +
            " (runs " + std::to_string(search.runs() + 2) + ")");
        if (scenarios::scenario_json(search.best()) == before) break;
    }
    out.shrunk = search.best();
    const std::string suffix = "-shrunk";
    out.shrunk.name = out.original.name.substr(0, 64 - suffix.size()) + suffix;
    out.shrunk.expect_pass = false;
    out.shrunk.probes.clear();
    out.runs = search.runs() + 2;
    out.budget_hit = search.budget_hit();
    out.shrunk.description = describe(out, options.seed, options);
    if (!options.any_property) {
        // The property is named: the run checks it (and what it depends on) and reports it.
        SL_ASSERT(search.same_failure(search.best_result()));
    }
    return out;
}

std::string shrunk_line(const ShrinkResult& r, uint64_t seed, double wall_s) {
    char wall[32];
    std::snprintf(wall, sizeof wall, "%.1f", wall_s);
    return "SHRUNK scenario=" + r.original.name + " seed=" + std::to_string(seed) +
           " property=" + r.property + " faults=" + std::to_string(r.faults_before) + "->" +
           std::to_string(r.shrunk.faults.size()) +
           " duration=" + fmt_duration(r.original.duration) + "->" +
           fmt_duration(r.shrunk.duration) +
           " clients=" + std::to_string(r.original.workload.clients) + "->" +
           std::to_string(r.shrunk.workload.clients) +
           " nodes=" + std::to_string(r.original.cluster.nodes) + "->" +
           std::to_string(r.shrunk.cluster.nodes) + " runs=" + std::to_string(r.runs) +
           " wall=" + wall + (r.budget_hit ? " budget=hit" : "");
}

}  // namespace stormlog::shrink
