#pragma once
// kv: a map of strings, split per key before the search, so one instance models one key's
// string. get -> output is the string read ("" if the key was never written); put -> input is
// the string stored; append -> input is the string appended.
//
// The search creates a new string at nearly every append it tries (on c50-ok.txt, 150,000
// distinct strings of ~135 bytes), so states are not strings but nodes of a rope: "parent's
// string + one piece", carrying the length and a polynomial hash that an append extends in
// O(1). States are still interned exactly: two nodes with the same hash and length are
// compared character by character before one is taken for the other, so equal ids <=> equal
// strings, and a get compares ids.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "properties/linearizability/flat_map.hpp"
#include "properties/linearizability/history.hpp"
#include "properties/linearizability/op.hpp"

namespace stormlog::properties::linearizability {

class KvModel {
  public:
    explicit KvModel(std::string initial);

    std::optional<OpError> compile(const Operation& operation, Op& out);
    bool read_only(const Op& op) const { return op.kind == k_get; }
    StateId initial() const { return initial_; }

    StateId step(StateId state, const Op& op) {
        switch (op.kind) {
            case k_get:
                return !op.known || state == static_cast<StateId>(op.a) ? state : k_no_state;
            case k_put:
                return static_cast<StateId>(op.a);
            default:
                return append(state, static_cast<std::uint32_t>(op.a));
        }
    }

    std::string describe_state(StateId state) const;
    std::size_t memory_bytes() const;

  private:
    static constexpr std::uint32_t k_get = 0;
    static constexpr std::uint32_t k_put = 1;
    static constexpr std::uint32_t k_append = 2;
    static constexpr StateId k_no_parent = k_no_state;

    struct Piece {
        std::string text;
        std::uint64_t hash;   // polynomial hash of text
        std::uint64_t power;  // base^length: what appending text multiplies a hash by
    };
    struct Node {
        StateId parent;  // k_no_parent: the string is just the piece
        std::uint32_t piece;
        std::uint64_t length;
        std::uint64_t hash;
        StateId next_same_key;  // the previous node with the same (hash, length) key
    };

    std::uint32_t add_piece(std::string text);
    StateId intern_piece(std::uint32_t piece);  // the state whose string is the piece
    StateId append(StateId state, std::uint32_t piece);
    StateId intern(StateId parent, std::uint32_t piece);
    bool same_string(StateId existing, StateId parent, std::uint32_t piece);
    void materialize(StateId state, std::string& out) const;
    static std::uint64_t content_key(std::uint64_t hash, std::uint64_t length);

    std::vector<Piece> pieces_;
    std::vector<Node> nodes_;
    FlatMap64 by_content_;   // content key -> newest node with it (then next_same_key)
    FlatMap64 transitions_;  // (state, piece) -> state: the search retries the same appends
    std::string scratch_a_;  // buffers for comparing strings, kept to avoid reallocating
    std::string scratch_b_;
    StateId initial_;
};

}  // namespace stormlog::properties::linearizability
