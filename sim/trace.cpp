#include "sim/trace.hpp"

#include <map>
#include <mutex>

#include "sim/assert.hpp"

namespace stormlog::sim {
namespace {

// The names of trace kinds: the one table here that belongs to no run. It is the same for every
// run of this build and only event logs read it - never the simulated world - so no run can
// change another through it. Kinds register during static initialisation; the mutex keeps a late
// registration (a test's own kind) safe while a parallel suite's threads look names up.
struct KindNames {
    std::mutex mutex;
    std::map<uint64_t, std::string> names;
};

KindNames& kind_names() {
    static KindNames table;  // built on first use: safe from any static initialiser
    return table;
}

}  // namespace

uint64_t trace_kind_named(std::string_view name) {
    const uint64_t id = trace_kind(name);
    KindNames& table = kind_names();
    const std::lock_guard lock(table.mutex);
    const auto [it, inserted] = table.names.emplace(id, name);
    // Fatal: this runs before main, where no simulation could carry the failure.
    SL_ASSERT_FATAL(inserted || it->second == name);
    return id;
}

std::string_view trace_kind_name(uint64_t kind_id) {
    KindNames& table = kind_names();
    const std::lock_guard lock(table.mutex);
    const auto it = table.names.find(kind_id);
    return it == table.names.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace stormlog::sim
