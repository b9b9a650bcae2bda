#include "properties/linearizability/model_register.hpp"

#include "properties/linearizability/model.hpp"

namespace stormlog::properties::linearizability {

std::optional<ModelKind> parse_model_kind(std::string_view name) {
    if (name == "register") return ModelKind::register_;
    if (name == "cas-register") return ModelKind::cas_register;
    if (name == "kv") return ModelKind::kv;
    if (name == "stream") return ModelKind::stream;
    return std::nullopt;
}

const char* model_kind_name(ModelKind kind) {
    switch (kind) {
        case ModelKind::register_:
            return "register";
        case ModelKind::cas_register:
            return "cas-register";
        case ModelKind::kv:
            return "kv";
        case ModelKind::stream:
            return "stream";
    }
    return "?";
}

RegisterModel::RegisterModel(bool allow_cas, const nlohmann::json& initial)
    : allow_cas_(allow_cas),
      initial_is_null_(initial.is_null()),
      initial_(static_cast<StateId>(values_.intern(initial))) {}

std::optional<OpError> RegisterModel::compile(const Operation& operation, Op& out) {
    out.known = operation.status == OpStatus::ok;
    if (operation.f == "read") {
        out.kind = k_read;
        // A null result means "never written" when null is the initial value. Otherwise the
        // register never held null, and, as in Knossos, a null read carries no information.
        if (operation.output.is_null() && !initial_is_null_) out.known = false;
        if (out.known) out.a = values_.intern(operation.output);
        return std::nullopt;
    }
    if (operation.f == "write") {
        out.kind = k_write;
        out.a = values_.intern(operation.input);
        return std::nullopt;
    }
    if (operation.f == "cas" && allow_cas_) {
        const auto& input = operation.input;
        if (!input.is_array() || input.size() != 2) {
            return OpError{false, "cas value must be [expected, new], not " + input.dump()};
        }
        out.kind = k_cas;
        out.a = values_.intern(input[0]);
        out.b = values_.intern(input[1]);
        return std::nullopt;
    }
    const char* known = allow_cas_ ? "read, write or cas" : "read or write";
    return OpError{false, "the " + std::string(allow_cas_ ? "cas-register" : "register") +
                              " model has no operation '" + operation.f + "' (expected " + known +
                              ")"};
}

}  // namespace stormlog::properties::linearizability
