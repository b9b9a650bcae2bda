#pragma once
// Histories that are linearizable by construction, for property tests: clients run operations
// against a sequential model, and each operation takes effect at one moment between its
// invoke and its completion, with the moments interleaved as a list of choices dictates.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "properties/linearizability/model.hpp"

namespace stormlog::properties::linearizability::testing {

// Draws bounded numbers from a list RapidCheck generated (and can shrink).
class Choices {
  public:
    explicit Choices(const std::vector<std::uint32_t>& values) : values_(values) {}
    std::uint32_t next(std::uint32_t bound) {
        if (values_.empty() || bound == 0) return 0;
        return values_[index_++ % values_.size()] % bound;
    }

  private:
    const std::vector<std::uint32_t>& values_;
    std::size_t index_ = 0;
};

// An operation a client is about to run.
struct PlannedOp {
    std::string f;
    nlohmann::json key;  // null: no key
    nlohmann::json value;
    bool read = false;
};

// A sequential model that plans and applies operations.
class SequentialModel {
  public:
    virtual ~SequentialModel() = default;
    virtual PlannedOp plan(Choices& choices) = 0;
    // The ok result, or nullopt if the operation fails (and so has no effect).
    virtual std::optional<nlohmann::json> apply(const PlannedOp& op) = 0;
    // A result no read of this op could ever return.
    virtual nlohmann::json impossible_result(const PlannedOp& op) const = 0;
};

std::unique_ptr<SequentialModel> make_sequential_model(ModelKind kind);

struct GeneratedHistory {
    std::vector<nlohmann::json> events;  // JSON-lines objects, in order
    std::vector<std::size_t> ok_reads;   // indices of ok read completions

    std::string to_jsonl() const;
};

// `operations` operations by `processes` clients. With `info`, some complete as info (their
// effect applied or not) and some never complete.
GeneratedHistory generate_history(SequentialModel& model, Choices& choices, std::size_t operations,
                                  std::size_t processes, bool info);

}  // namespace stormlog::properties::linearizability::testing
