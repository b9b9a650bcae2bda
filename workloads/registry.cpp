#include "workloads/registry.hpp"

#include <algorithm>

#include "properties/catalogue.hpp"
#include "sim/assert.hpp"
#include "workloads/kernel_smoke.hpp"
#include "workloads/ledger/workload.hpp"
#include "workloads/messaging.hpp"
#include "workloads/store/workload.hpp"

namespace stormlog::workloads {

bool Workload::checks(std::string_view property) const {
    return std::find(properties.begin(), properties.end(), property) != properties.end();
}

bool Workload::reaches(std::string_view probe) const {
    return std::any_of(probes.begin(), probes.end(),
                       [&](const sim::Probe* p) { return p->name == probe; });
}

std::vector<std::string_view> Workload::probe_names() const {
    std::vector<std::string_view> names;
    names.reserve(probes.size());
    for (const sim::Probe* p : probes) names.push_back(p->name);
    return names;
}

bool Workload::carries_out(std::string_view fault_kind) const {
    return std::find(application_faults.begin(), application_faults.end(), fault_kind) !=
           application_faults.end();
}

bool Workload::reads(std::string_view setting) const {
    return std::find(settings.begin(), settings.end(), setting) != settings.end();
}

std::string_view catalogued(std::string_view property) {
    const properties::Property* p = properties::find_property(property);
    SL_ASSERT(p != nullptr && "every property a checker reports is in properties/catalogue.hpp");
    return p->name;
}

std::span<const Workload* const> registry() {
    // The order scenario-file messages list them in: the default first.
    static const Workload* const all[] = {&messaging_workload(), &kernel_smoke_workload(),
                                          &store_workload(), &ledger_workload()};
    return all;
}

const Workload* find_workload(std::string_view name) {
    for (const Workload* w : registry()) {
        if (w->name == name) return w;
    }
    return nullptr;
}

std::vector<std::string_view> workload_names() {
    std::vector<std::string_view> names;
    for (const Workload* w : registry()) names.push_back(w->name);
    return names;
}

}  // namespace stormlog::workloads
