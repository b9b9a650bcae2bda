#include "reports/scorecard.hpp"

#include <algorithm>
#include <set>

#include "reports/json_fields.hpp"

namespace stormlog::reports {
namespace {

Json optional_json(std::optional<double> v) {
    return v ? Json(*v) : Json(nullptr);
}

// The kind of a recovery entry: its own "kind", else that of the fault it names.
std::string recovery_kind(const Json& entry, const Json& faults) {
    std::string kind = text_field(entry, "kind");
    if (!kind.empty()) return kind;
    const Json& id = field(entry, "fault");
    for (const Json& f : faults)
        if (!id.is_null() && field(f, "id") == id) return text_field(f, "kind");
    return "";
}

}  // namespace

std::optional<double> nearest_rank(std::vector<double>& values, int p) {
    if (values.empty()) return std::nullopt;
    // Rank ceil(p/100 * n), in integers so that p=50, n=2 gives rank 1 exactly.
    const size_t n = values.size();
    const size_t rank = std::max<size_t>(1, (static_cast<size_t>(p) * n + 99) / 100);
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}

void Scorecard::add_run(const Json& run_report, bool ok) {
    std::set<std::string> applied;  // kinds applied in this run, counted once per run
    for (const Json& f : array_field(run_report, "faults")) {
        const std::string kind = text_field(f, "kind");
        if (kind.empty()) continue;
        Kind& k = kinds_[kind];
        if (k.applied == 0) k.category = text_field(f, "category");
        ++k.applied;
        applied.insert(kind);
    }
    for (const std::string& kind : applied) {
        ++kinds_[kind].runs;
        if (!ok) ++kinds_[kind].violations;
    }
    add_recovery(run_report);
}

void Scorecard::add_recovery(const Json& report) {
    const Json& faults = array_field(report, "faults");
    for (const Json& r : array_field(report, "recovery")) {
        const std::string kind = recovery_kind(r, faults);
        if (kind.empty()) continue;
        Kind& k = kinds_[kind];
        k.ops += count_field(r, "ops");
        k.ops_ok += count_field(r, "ops_ok");
        // A system without a commit index (the messaging workload) measures no recovery: its
        // faults must not read as never recovered.
        if (const auto v = number_field(r, "first_commit_s")) {
            k.first_commit_s.push_back(*v);
        } else if (bool_field(r, "measured", true)) {
            ++k.not_recovered;
        }
        if (const auto v = number_field(r, "stable_leader_s")) k.stable_leader_s.push_back(*v);
    }
}

Json Scorecard::kind_json(const std::string& name, const Kind& k) {
    std::vector<double> first = k.first_commit_s;  // nearest_rank reorders: work on copies
    std::vector<double> stable = k.stable_leader_s;
    Json j;
    j["kind"] = name;
    j["category"] = k.category;
    j["applied"] = k.applied;
    j["runs"] = k.runs;
    j["availability"] = k.ops == 0
                            ? Json(nullptr)
                            : Json(static_cast<double>(k.ops_ok) / static_cast<double>(k.ops));
    j["first_commit_p50_s"] = optional_json(nearest_rank(first, 50));
    j["first_commit_p99_s"] = optional_json(nearest_rank(first, 99));
    j["stable_leader_p50_s"] = optional_json(nearest_rank(stable, 50));
    j["stable_leader_p99_s"] = optional_json(nearest_rank(stable, 99));
    j["not_recovered"] = k.not_recovered;
    j["violations"] = k.violations;
    return j;
}

Json Scorecard::to_json() const {
    Json out = Json::array();
    for (const auto& [name, k] : kinds_) out.push_back(kind_json(name, k));
    return out;
}

Json Scorecard::to_data() const {
    Json out = Json::object();
    for (const auto& [name, k] : kinds_) {
        // Sorted: the data does not depend on the order runs finished in (suite --jobs).
        std::vector<double> first = k.first_commit_s, stable = k.stable_leader_s;
        std::sort(first.begin(), first.end());
        std::sort(stable.begin(), stable.end());
        out[name] = {{"category", k.category},
                     {"applied", k.applied},
                     {"runs", k.runs},
                     {"ops", k.ops},
                     {"ops_ok", k.ops_ok},
                     {"first_commit_s", first},
                     {"stable_leader_s", stable},
                     {"not_recovered", k.not_recovered},
                     {"violations", k.violations}};
    }
    return out;
}

namespace {

bool read_kind(const Json& j, std::string& category, uint64_t (&counts)[6],
               std::vector<double> (&times)[2]) {
    static const char* const count_keys[6] = {"applied", "ops",           "ops_ok",
                                              "runs",    "not_recovered", "violations"};
    static const char* const time_keys[2] = {"first_commit_s", "stable_leader_s"};
    if (!j.is_object() || !j.contains("category") || !j["category"].is_string()) return false;
    category = j["category"].get<std::string>();
    for (int i = 0; i < 6; ++i) {
        if (!j.contains(count_keys[i]) || !j[count_keys[i]].is_number_unsigned()) return false;
        counts[i] = j[count_keys[i]].get<uint64_t>();
    }
    for (int i = 0; i < 2; ++i) {
        if (!j.contains(time_keys[i]) || !j[time_keys[i]].is_array()) return false;
        for (const Json& v : j[time_keys[i]]) {
            if (!v.is_number()) return false;
            times[i].push_back(v.get<double>());
        }
    }
    return true;
}

}  // namespace

bool Scorecard::add_data(const Json& data, std::string& error) {
    if (!data.is_object()) {
        error = "scorecard data is not an object";
        return false;
    }
    std::map<std::string, Kind> read;
    for (const auto& [name, j] : data.items()) {
        Kind k;
        uint64_t counts[6] = {};
        std::vector<double> times[2];
        if (!read_kind(j, k.category, counts, times)) {
            error = "scorecard data: fault kind \"" + name + "\" is malformed";
            return false;
        }
        k.applied = counts[0];
        k.ops = counts[1];
        k.ops_ok = counts[2];
        k.runs = counts[3];
        k.not_recovered = counts[4];
        k.violations = counts[5];
        k.first_commit_s = std::move(times[0]);
        k.stable_leader_s = std::move(times[1]);
        read[name] = std::move(k);
    }
    for (auto& [name, k] : read) {
        Kind& into = kinds_[name];
        if (into.applied == 0) into.category = k.category;
        into.applied += k.applied;
        into.runs += k.runs;
        into.ops += k.ops;
        into.ops_ok += k.ops_ok;
        into.not_recovered += k.not_recovered;
        into.violations += k.violations;
        into.first_commit_s.insert(into.first_commit_s.end(), k.first_commit_s.begin(),
                                   k.first_commit_s.end());
        into.stable_leader_s.insert(into.stable_leader_s.end(), k.stable_leader_s.begin(),
                                    k.stable_leader_s.end());
    }
    return true;
}

}  // namespace stormlog::reports
