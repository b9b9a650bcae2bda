#include "properties/linearizability/report.hpp"

#include "properties/linearizability/op.hpp"

namespace stormlog::properties::linearizability {

// Built with append() rather than chains of `+`: g++ 12 -O3 warns falsely (-Wrestrict) on
// some of those chains.

std::string describe_key(const nlohmann::json& key) {
    if (key.is_null()) return "the history";
    std::string text = "key ";
    text.append(abbreviate(key.dump()));
    return text;
}

std::string describe_operation(const Operation& operation) {
    std::string text = "process ";
    text.append(std::to_string(operation.process)).append(" ").append(operation.f);
    if (!operation.input.is_null()) text.append(" ").append(abbreviate(operation.input.dump()));
    if (operation.status == OpStatus::ok) {
        if (operation.output != operation.input) {
            text.append(" -> ").append(abbreviate(operation.output.dump()));
        }
    } else {
        text.append(" (info: may or may not have happened)");
    }
    text.append(" [invoked line ").append(std::to_string(operation.invoke_line));
    if (operation.invoke_time) text.append(" at ").append(std::to_string(*operation.invoke_time));
    if (operation.complete_line == 0) return text.append(", never completed]");
    text.append(", completed line ").append(std::to_string(operation.complete_line));
    if (operation.complete_time) {
        text.append(" at ").append(std::to_string(*operation.complete_time));
    }
    return text.append("]");
}

}  // namespace stormlog::properties::linearizability
