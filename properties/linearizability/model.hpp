#pragma once
// The models the checker knows, and what a model is.
//
// A model is a small class; one instance serves one partition (one key), so it may keep
// per-partition tables. It provides:
//
//   std::optional<OpError> compile(const Operation&, Op& out);
//       the operation's f, input and output as integers (values interned), or what is wrong
//       with them. Only ok and info operations get here; failed ones did not happen.
//   bool read_only(const Op&) const;
//       true if the operation never changes the state: an info one constrains nothing and is
//       dropped before the search.
//   StateId initial();
//   StateId step(StateId state, const Op& op);
//       the state after `op` takes effect in `state`, or k_no_state if it cannot (a read
//       whose result differs, a cas whose expected value differs). For an info op (known ==
//       false) the output is not checked. Equal states must get equal ids: states are interned,
//       so that equality and hashing are integer operations.
//   std::string describe_state(StateId) const;   for the failure report
//   std::size_t memory_bytes() const;            counted against the memory cap
//
// and, optionally, two exact shortcuts for the search (see wgl_search.hpp):
//
//   bool hopeless(StateId state, const Op& op) const;
//       true if the ok `op` can take effect in no state reachable from `state` (for models
//       whose states only grow, like streams).
//   std::array<std::int64_t, 5> info_class_key(const Op& op) const;
//       equal keys for info ops with the same effect on every state (default: the same
//       compiled op).
//
// To add a model: write such a class next to these, add a ModelKind, and one line in
// checker.cpp's dispatch.

#include <optional>
#include <string>
#include <string_view>

namespace stormlog::properties::linearizability {

enum class ModelKind { register_, cas_register, kv, stream };

std::optional<ModelKind> parse_model_kind(std::string_view name);
const char* model_kind_name(ModelKind kind);

}  // namespace stormlog::properties::linearizability
