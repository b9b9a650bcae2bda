#include "properties/linearizability/model_kv.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace stormlog::properties::linearizability {

namespace {

constexpr std::uint64_t k_hash_base = 0x100000001b3ULL;  // odd, so powers never vanish mod 2^64

}  // namespace

KvModel::KvModel(std::string initial) : initial_(intern_piece(add_piece(std::move(initial)))) {}

std::size_t KvModel::memory_bytes() const {
    std::size_t bytes = nodes_.capacity() * sizeof(Node) + pieces_.capacity() * sizeof(Piece) +
                        by_content_.memory_bytes() + transitions_.memory_bytes() +
                        scratch_a_.capacity() + scratch_b_.capacity();
    for (const Piece& piece : pieces_) bytes += piece.text.capacity();
    return bytes;
}

std::uint64_t KvModel::content_key(std::uint64_t hash, std::uint64_t length) {
    return hash ^ (length * 0x9e3779b97f4a7c15ULL);
}

std::uint32_t KvModel::add_piece(std::string text) {
    Piece piece{std::move(text), 0, 1};
    for (char c : piece.text) {
        piece.hash = piece.hash * k_hash_base + static_cast<unsigned char>(c) + 1;
        piece.power *= k_hash_base;
    }
    pieces_.push_back(std::move(piece));
    return static_cast<std::uint32_t>(pieces_.size() - 1);
}

StateId KvModel::intern_piece(std::uint32_t piece) {
    return intern(k_no_parent, piece);
}

StateId KvModel::append(StateId state, std::uint32_t piece) {
    const std::uint64_t key = (std::uint64_t{state} << 32) | piece;
    const std::uint32_t known = transitions_.find(key);
    if (known != FlatMap64::k_absent) return known;
    const StateId next = intern(state, piece);
    transitions_.insert(key, next);
    return next;
}

// The node for "parent's string + piece", reusing an existing node with the same string.
StateId KvModel::intern(StateId parent, std::uint32_t piece) {
    const Piece& p = pieces_[piece];
    const std::uint64_t parent_hash = parent == k_no_parent ? 0 : nodes_[parent].hash;
    const std::uint64_t parent_length = parent == k_no_parent ? 0 : nodes_[parent].length;
    const std::uint64_t hash = parent_hash * p.power + p.hash;
    const std::uint64_t length = parent_length + p.text.size();
    const std::uint64_t key = content_key(hash, length);
    const StateId newest = by_content_.find(key);
    for (StateId n = newest; n != FlatMap64::k_absent; n = nodes_[n].next_same_key) {
        if (nodes_[n].hash == hash && nodes_[n].length == length && same_string(n, parent, piece)) {
            return n;
        }
    }
    const auto id = static_cast<StateId>(nodes_.size());
    nodes_.push_back(Node{parent, piece, length, hash, newest});
    by_content_.insert(key, id);
    return id;
}

bool KvModel::same_string(StateId existing, StateId parent, std::uint32_t piece) {
    materialize(existing, scratch_a_);
    scratch_b_.clear();
    if (parent != k_no_parent) materialize(parent, scratch_b_);
    scratch_b_ += pieces_[piece].text;
    return scratch_a_ == scratch_b_;
}

void KvModel::materialize(StateId state, std::string& out) const {
    out.assign(nodes_[state].length, '\0');
    std::size_t end = out.size();
    for (StateId n = state; n != k_no_parent; n = nodes_[n].parent) {
        const std::string& text = pieces_[nodes_[n].piece].text;
        end -= text.size();
        std::copy(text.begin(), text.end(), out.begin() + static_cast<std::ptrdiff_t>(end));
    }
}

std::string KvModel::describe_state(StateId state) const {
    std::string text;
    materialize(state, text);
    return abbreviate(nlohmann::json(text).dump());
}

std::optional<OpError> KvModel::compile(const Operation& operation, Op& out) {
    out.known = operation.status == OpStatus::ok;
    if (operation.f == "get") {
        out.kind = k_get;
        if (!out.known) return std::nullopt;
        if (!operation.output.is_string()) {
            return OpError{true, "get must return a string, not " + operation.output.dump()};
        }
        out.a = intern_piece(add_piece(operation.output.get<std::string>()));
        return std::nullopt;
    }
    if (operation.f != "put" && operation.f != "append") {
        return OpError{false, "the kv model has no operation '" + operation.f +
                                  "' (expected get, put or append)"};
    }
    if (!operation.input.is_string()) {
        return OpError{false,
                       operation.f + " value must be a string, not " + operation.input.dump()};
    }
    const std::uint32_t piece = add_piece(operation.input.get<std::string>());
    out.kind = operation.f == "put" ? k_put : k_append;
    out.a = operation.f == "put" ? std::int64_t{intern_piece(piece)} : std::int64_t{piece};
    return std::nullopt;
}

}  // namespace stormlog::properties::linearizability
