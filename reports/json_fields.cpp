#include "reports/json_fields.hpp"

namespace stormlog::reports {

const Json& field(const Json& j, const char* key) {
    static const Json null_value;  // never written: a shared constant, not mutable state
    if (!j.is_object()) return null_value;
    const auto it = j.find(key);
    return it == j.end() ? null_value : *it;
}

std::string text_field(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number() || v.is_boolean()) return v.dump();
    return "";
}

std::optional<double> number_field(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (!v.is_number()) return std::nullopt;
    return v.get<double>();
}

bool bool_field(const Json& j, const char* key, bool fallback) {
    const Json& v = field(j, key);
    return v.is_boolean() ? v.get<bool>() : fallback;
}

uint64_t count_field(const Json& j, const char* key, uint64_t fallback) {
    const Json& v = field(j, key);
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return v.get<uint64_t>();
    return fallback;
}

const Json& array_field(const Json& j, const char* key) {
    static const Json empty = Json::array();
    const Json& v = field(j, key);
    return v.is_array() ? v : empty;
}

bool run_entry_ok(const Json& run) {
    const Json& ok = field(run, "ok");
    if (ok.is_boolean()) return ok.get<bool>();
    const Json& verdict = field(run, "verdict");
    const Json& expected = field(run, "expected");
    return !verdict.is_string() || !expected.is_string() || verdict == expected;
}

}  // namespace stormlog::reports
