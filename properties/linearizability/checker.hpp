#pragma once
// The linearizability checker's entry point: a history's operations, a model, limits ->
// a verdict, and for "not linearizable" or "unknown" lines that explain it to a person.
//
// The history is split per key first (P-compositionality: a history is linearizable iff each
// key's sub-history is), partitions are searched smallest first, and the search stops at the
// first partition that is not linearizable: the smallest failing part is what gets reported.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "properties/linearizability/history.hpp"
#include "properties/linearizability/input_error.hpp"
#include "properties/linearizability/model.hpp"

namespace stormlog::properties::linearizability {

struct CheckOptions {
    ModelKind model = ModelKind::cas_register;
    // register/cas-register: the initial value; kv: an object of initial strings per key (a
    // missing key is ""); stream: must be null (streams start empty).
    nlohmann::json initial;
    // Polled during the search; returning true gives up with an "unknown" verdict. The caller
    // owns the clock (properties/ reads none).
    std::function<bool()> should_stop;
    // The search's memo table, stacks and model tables, per partition.
    std::size_t memory_bytes_max = std::size_t{2} << 30;
};

enum class Verdict { linearizable, not_linearizable, unknown };

struct CheckReport {
    Verdict verdict = Verdict::linearizable;
    std::vector<std::string> details;  // human-readable, without indentation
    std::size_t partitions = 0;
    std::size_t operations = 0;  // searched (after dropping fails and info reads)
    std::uint64_t steps = 0;
    std::size_t peak_memory_bytes = 0;
};

// Errors (with the line of the offending operation) when an operation does not fit the model
// or `initial` does not fit it: a malformed history never yields a verdict.
Parsed<CheckReport> check_operations(const std::vector<Operation>& operations,
                                     const CheckOptions& options);

const char* verdict_name(Verdict verdict);

}  // namespace stormlog::properties::linearizability
