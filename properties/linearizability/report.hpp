#pragma once
// Turning a failed (or abandoned) search into lines a person can read.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "properties/linearizability/history.hpp"
#include "properties/linearizability/search_types.hpp"

namespace stormlog::properties::linearizability {

// "process 3 cas [1,4] ok (invoked line 12, completed line 15)"
std::string describe_operation(const Operation& operation);

// "key \"7\"" or "the history" when there is no key.
std::string describe_key(const nlohmann::json& key);

// The explanation of a not-linearizable partition. `origin[i]` is the index in `operations` of
// the partition's op i; `describe_state` renders a model state.
template <class DescribeState>
std::vector<std::string> explain_failure(const SearchOutcome& outcome,
                                         const std::vector<Operation>& operations,
                                         const std::vector<std::size_t>& origin,
                                         const nlohmann::json& key, DescribeState describe_state);

}  // namespace stormlog::properties::linearizability

#include "properties/linearizability/report_impl.hpp"
