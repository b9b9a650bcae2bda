#pragma once
// What the search works on: operations compiled by a model into a few integers, and model
// states interned as small integers, so that stepping, comparing and hashing are cheap.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace stormlog::properties::linearizability {

// A model state, as an id the model hands out: equal ids are equal states and vice versa.
using StateId = std::uint32_t;
inline constexpr StateId k_no_state = 0xFFFFFFFFu;  // step(): the operation cannot happen here

// One operation compiled by a model. `kind` and `a`..`d` mean what the model says they mean
// (interned values, versions, spans of a side table).
struct Op {
    std::uint32_t kind = 0;
    bool known = true;  // false for info: the output is unknown and must not be checked
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::int64_t c = 0;
    std::int64_t d = 0;
};

// Why a model could not compile an operation.
struct OpError {
    bool in_output = false;  // about the completion's value (else the invoke's)
    std::string what;
};

// A value's canonical text: exactly value.dump(). Event ids and keys are short strings or
// integers, and the checker needs their text once per occurrence: those are written directly,
// because dump() sets up a serializer (and asks the locale) for each value.
inline std::string canonical_text(const nlohmann::json& value) {
    if (value.is_number_integer()) {  // signed and unsigned: dump() writes the plain digits
        return value.is_number_unsigned() ? std::to_string(value.get<std::uint64_t>())
                                          : std::to_string(value.get<std::int64_t>());
    }
    if (!value.is_string()) return value.dump();
    const std::string& text = value.get_ref<const std::string&>();
    // dump() writes printable ASCII as it is, but for the quote and the backslash.
    for (const char c : text) {
        if (c < ' ' || c >= 0x7F || c == '"' || c == '\\') return value.dump();
    }
    std::string quoted(text.size() + 2, '"');
    text.copy(quoted.data() + 1, text.size());
    return quoted;
}

// Interns JSON values by their canonical text: equal values get equal ids, in order of first
// appearance (so ids, and everything printed from them, are deterministic).
class ValueInterner {
  public:
    std::int32_t intern(const nlohmann::json& value) { return intern_text(canonical_text(value)); }

    std::int32_t intern_text(const std::string& text) {
        auto [it, added] = ids_.try_emplace(text, static_cast<std::int32_t>(texts_.size()));
        if (added) texts_.push_back(text);
        return it->second;
    }

    const std::string& text(std::int32_t id) const { return texts_[static_cast<std::size_t>(id)]; }
    std::size_t size() const { return texts_.size(); }

    std::size_t memory_bytes() const {
        std::size_t bytes = 0;
        for (const auto& t : texts_) bytes += 2 * (t.capacity() + 64);  // vector + map copy
        return bytes;
    }

  private:
    std::vector<std::string> texts_;
    std::unordered_map<std::string, std::int32_t> ids_;
};

// Shortens a value's text for people: long kv strings and event lists stay readable.
inline std::string abbreviate(const std::string& text, std::size_t chars_max = 80) {
    if (text.size() <= chars_max) return text;
    return text.substr(0, chars_max / 2) + " ... " + text.substr(text.size() - chars_max / 2);
}

}  // namespace stormlog::properties::linearizability
