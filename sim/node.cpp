#include "sim/node.hpp"

#include "sim/env.hpp"

namespace stormlog::sim {

Process::Process(Node* node, std::string name, ProcessEntry entry, Rng rng_base)
    : node_(node),
      name_(std::move(name)),
      entry_(std::move(entry)),
      rng_base_(rng_base),
      rng_(rng_base) {}

Process::~Process() = default;

Process* Node::find_process(const std::string& name) const {
    for (const auto& p : processes_) {
        if (p->name() == name) return p.get();
    }
    return nullptr;
}

}  // namespace stormlog::sim
