#pragma once
// explain_failure's body: a template over the model's state printer.

#include <string>
#include <vector>

namespace stormlog::properties::linearizability {

template <class DescribeState>
std::vector<std::string> explain_failure(const SearchOutcome& outcome,
                                         const std::vector<Operation>& operations,
                                         const std::vector<std::size_t>& origin,
                                         const nlohmann::json& key, DescribeState describe_state) {
    std::vector<std::string> lines;
    const Operation& stuck = operations[origin[outcome.stuck_op]];
    lines.push_back(describe_key(key) + " (" + std::to_string(origin.size()) +
                    " operations) is not linearizable: the history up to line " +
                    std::to_string(stuck.complete_line) + " already is not.");
    lines.push_back("No order of the operations before it lets this one take effect:");
    lines.push_back("  " + describe_operation(stuck));
    lines.push_back("in the state(s) reached by the longest linearizations (" +
                    std::to_string(outcome.longest_prefix) + " operations):");
    for (StateId state : outcome.stuck_states) lines.push_back("  " + describe_state(state));
    if (!outcome.prefix_tail.empty()) {
        lines.push_back("one such linearization ends with:");
        for (std::uint32_t op : outcome.prefix_tail) {
            lines.push_back("  " + describe_operation(operations[origin[op]]));
        }
    }
    if (!outcome.unplaced.empty()) {
        lines.push_back("operations invoked before that line and not linearized there:");
        for (std::uint32_t op : outcome.unplaced) {
            lines.push_back("  " + describe_operation(operations[origin[op]]));
        }
    }
    return lines;
}

}  // namespace stormlog::properties::linearizability
