#include "properties/linearizability/checker.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "properties/linearizability/model_kv.hpp"
#include "properties/linearizability/model_register.hpp"
#include "properties/linearizability/model_stream.hpp"
#include "properties/linearizability/report.hpp"
#include "properties/linearizability/wgl_search.hpp"

namespace stormlog::properties::linearizability {

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::linearizable:
            return "linearizable";
        case Verdict::not_linearizable:
            return "not linearizable";
        case Verdict::unknown:
            return "unknown";
    }
    return "?";
}

namespace {

constexpr std::size_t k_unknown_lines_max = 8;  // keys listed when a search is abandoned

template <class Model>
struct Partition {
    nlohmann::json key;
    std::vector<std::size_t> origin;  // the history index of each of the partition's ops
    Model model;
    SearchInput input;
};

// Operation indices per key, keys in order of first appearance.
std::vector<std::vector<std::size_t>> group_by_key(const std::vector<Operation>& operations) {
    std::vector<std::vector<std::size_t>> groups;
    std::unordered_map<std::string, std::size_t> group_of;  // looked up, never iterated
    for (std::size_t i = 0; i < operations.size(); ++i) {
        auto [it, added] = group_of.try_emplace(canonical_text(operations[i].key), groups.size());
        if (added) groups.emplace_back();
        groups[it->second].push_back(i);
    }
    return groups;
}

template <class Model, class MakeModel>
Parsed<std::vector<Partition<Model>>> compile_partitions(const std::vector<Operation>& operations,
                                                         MakeModel make_model) {
    std::vector<Partition<Model>> partitions;
    for (const auto& group : group_by_key(operations)) {
        const nlohmann::json& key = operations[group.front()].key;
        Partition<Model> part{key, {}, make_model(key), {}};
        for (std::size_t index : group) {
            const Operation& operation = operations[index];
            Op op;
            if (auto error = part.model.compile(operation, op)) {
                return InputError{
                    error->in_output ? operation.complete_line : operation.invoke_line,
                    error->what};
            }
            // An info op that changes nothing is indistinguishable from one that never happened.
            if (!op.known && part.model.read_only(op)) continue;
            part.origin.push_back(index);
            part.input.ops.push_back(op);
            part.input.call_seq.push_back(operation.invoke_seq);
            part.input.return_seq.push_back(operation.complete_seq);
        }
        partitions.push_back(std::move(part));
    }
    return partitions;
}

std::string describe_memory(std::size_t bytes) {
    return std::to_string(bytes >> 20) + " MiB";
}

std::string explain_unknown(const SearchOutcome& outcome, const nlohmann::json& key,
                            std::size_t operations, const CheckOptions& options) {
    std::string why =
        outcome.result == SearchResult::stopped_by_caller
            ? "the time limit was reached"
            : "the memory limit (" + describe_memory(options.memory_bytes_max) + ") was reached";
    return describe_key(key) + " (" + std::to_string(operations) +
           " operations): search abandoned: " + why + " after " + std::to_string(outcome.steps) +
           " steps and " + std::to_string(outcome.memo_entries) + " memoised configurations";
}

template <class Model>
CheckReport search_partitions(std::vector<Partition<Model>>& partitions,
                              const std::vector<Operation>& operations,
                              const CheckOptions& options) {
    CheckReport report;
    report.partitions = partitions.size();
    // Smallest first: a failure in a small partition is found sooner and reads more easily.
    std::vector<std::size_t> order(partitions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return partitions[a].input.ops.size() < partitions[b].input.ops.size();
    });
    const SearchLimits limits{options.should_stop, options.memory_bytes_max};
    std::size_t abandoned = 0;
    for (std::size_t checked = 0; checked < order.size(); ++checked) {
        Partition<Model>& part = partitions[order[checked]];
        report.operations += part.input.ops.size();
        const SearchOutcome outcome = wgl_search(part.model, part.input, limits);
        report.steps += outcome.steps;
        report.peak_memory_bytes = std::max(report.peak_memory_bytes, outcome.peak_memory_bytes);
        if (outcome.result == SearchResult::linearizable) continue;
        if (outcome.result != SearchResult::not_linearizable) {
            report.verdict = Verdict::unknown;
            if (++abandoned <= k_unknown_lines_max) {
                report.details.push_back(
                    explain_unknown(outcome, part.key, part.input.ops.size(), options));
            }
            continue;
        }
        report.verdict = Verdict::not_linearizable;
        report.details = explain_failure(outcome, operations, part.origin, part.key,
                                         [&](StateId s) { return part.model.describe_state(s); });
        const std::size_t unchecked = order.size() - checked - 1;
        if (unchecked > 0) {
            report.details.push_back(
                "(" + std::to_string(unchecked) +
                " other keys, none smaller, were not checked after this failure)");
        }
        return report;
    }
    if (abandoned > k_unknown_lines_max) {
        report.details.push_back("(and " + std::to_string(abandoned - k_unknown_lines_max) +
                                 " more keys abandoned)");
    }
    return report;
}

template <class Model, class MakeModel>
Parsed<CheckReport> check_with(const std::vector<Operation>& operations,
                               const CheckOptions& options, MakeModel make_model) {
    auto partitions = compile_partitions<Model>(operations, make_model);
    if (!partitions) return partitions.error();
    return search_partitions(partitions.value(), operations, options);
}

Parsed<CheckReport> check_kv(const std::vector<Operation>& operations,
                             const CheckOptions& options) {
    const nlohmann::json& initial = options.initial;
    const bool strings_only =
        initial.is_object() &&
        std::all_of(initial.begin(), initial.end(), [](const auto& v) { return v.is_string(); });
    if (!initial.is_null() && !strings_only) {
        return InputError{0, "--initial for kv must be an object of strings per key"};
    }
    return check_with<KvModel>(operations, options, [&](const nlohmann::json& key) {
        const std::string name = key.is_string() ? key.get<std::string>() : key.dump();
        const auto it = initial.is_object() ? initial.find(name) : initial.end();
        return KvModel(it != initial.end() ? it->get<std::string>() : std::string());
    });
}

}  // namespace

Parsed<CheckReport> check_operations(const std::vector<Operation>& operations,
                                     const CheckOptions& options) {
    switch (options.model) {
        case ModelKind::register_:
        case ModelKind::cas_register: {
            const bool allow_cas = options.model == ModelKind::cas_register;
            return check_with<RegisterModel>(operations, options, [&](const nlohmann::json&) {
                return RegisterModel(allow_cas, options.initial);
            });
        }
        case ModelKind::kv:
            return check_kv(operations, options);
        case ModelKind::stream:
            if (!options.initial.is_null()) {
                return InputError{0, "--initial does not apply to the stream model"};
            }
            return check_with<StreamModel>(operations, options,
                                           [](const nlohmann::json&) { return StreamModel(); });
    }
    return InputError{0, "unknown model"};
}

}  // namespace stormlog::properties::linearizability
