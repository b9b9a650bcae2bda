#pragma once
// register and cas-register: one value (any JSON), initially a checker option (null unless
// given). read -> output is the value read; write -> input is the value written;
// cas -> input is [expected, new] (register: no cas). Values are interned, and a state is the
// id of the current value.
//
// A read that returns null means "never written" when the initial value is null (stormlog's
// histories). When the initial value is not null, the register can never read as null, and
// a null result is taken as "value unknown", as Knossos does: such a read constrains nothing.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "properties/linearizability/history.hpp"
#include "properties/linearizability/op.hpp"

namespace stormlog::properties::linearizability {

class RegisterModel {
  public:
    RegisterModel(bool allow_cas, const nlohmann::json& initial);

    std::optional<OpError> compile(const Operation& operation, Op& out);
    bool read_only(const Op& op) const { return op.kind == k_read; }
    StateId initial() const { return initial_; }

    StateId step(StateId state, const Op& op) const {
        switch (op.kind) {
            case k_read:
                return !op.known || state == static_cast<StateId>(op.a) ? state : k_no_state;
            case k_write:
                return static_cast<StateId>(op.a);
            default:  // k_cas
                return state == static_cast<StateId>(op.a) ? static_cast<StateId>(op.b)
                                                           : k_no_state;
        }
    }

    std::string describe_state(StateId state) const {
        return values_.text(static_cast<std::int32_t>(state));
    }
    std::size_t memory_bytes() const { return values_.memory_bytes(); }

  private:
    static constexpr std::uint32_t k_read = 0;
    static constexpr std::uint32_t k_write = 1;
    static constexpr std::uint32_t k_cas = 2;

    bool allow_cas_;
    bool initial_is_null_;
    ValueInterner values_;
    StateId initial_;
};

}  // namespace stormlog::properties::linearizability
