// stormlog list scenarios|workloads|properties|faults|probes: the built-in scenarios, the workload
// registry, the property catalogue, or the fault catalogue.

#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "cli/commands.hpp"
#include "faults/catalogue.hpp"
#include "properties/catalogue.hpp"
#include "scenarios/runner.hpp"
#include "sim/probe.hpp"
#include "sim/time.hpp"
#include "workloads/registry.hpp"

namespace stormlog::cli {
namespace {

void list_scenarios() {
    for (const scenarios::Scenario& s : scenarios::builtin_scenarios_list()) {
        std::printf("%-28s %s\n", s.name.c_str(), s.description.c_str());
    }
}

void list_workloads() {
    for (const workloads::Workload* w : workloads::registry()) {
        std::printf("%-14s %s\n", std::string(w->name).c_str(), std::string(w->summary).c_str());
        std::string traits = w->has_leader ? "elects a leader" : "no leader";
        if (w->records_history) traits += "; records a client history (run --history)";
        std::printf("%-14s %s\n", "", traits.c_str());
        std::string props;
        for (std::string_view p : w->properties) props += " " + std::string(p);
        std::printf("%-14s properties:%s\n", "", props.c_str());
        if (w->application_faults.empty()) continue;
        std::string kinds;
        for (std::string_view k : w->application_faults) kinds += " " + std::string(k);
        std::printf("%-14s application faults:%s\n", "", kinds.c_str());
    }
}

void list_properties() {
    for (const properties::Property* p : properties::catalogue()) {
        std::printf("%-34s %-14s %s\n", p->name, properties::to_string(p->moment), p->promise);
    }
}

std::string param_text(const faults::ParamInfo& p) {
    auto dur = [](double ns) {
        return sim::format_duration(sim::Duration::nanos(static_cast<int64_t>(ns)));
    };
    char buf[256];
    if (p.type == faults::ParamType::duration) {
        std::snprintf(buf, sizeof buf, "%s=<duration %s..%s, default %s>", p.name.c_str(),
                      dur(p.min).c_str(), dur(p.max).c_str(), dur(p.default_value).c_str());
    } else {
        std::snprintf(buf, sizeof buf, "%s=<%s %g..%g, default %g>", p.name.c_str(),
                      p.type == faults::ParamType::integer ? "integer" : "number", p.min, p.max,
                      p.default_value);
    }
    return buf;
}

void list_faults() {
    for (const faults::FaultKindInfo& k : faults::catalogue()) {
        std::string usage;
        if (k.takes_target) usage += " target";
        if (k.takes_duration) usage += " for";
        for (const faults::ParamInfo& p : k.params) usage += " " + param_text(p);
        std::printf("%-20s %-8s %s\n", k.name.c_str(),
                    std::string(faults::category_name(k.category)).c_str(), k.description.c_str());
        if (!usage.empty()) std::printf("%-29s takes:%s\n", "", usage.c_str());
    }
}

// Every sometimes-probe of every workload, once, with the workloads that can reach it.
void list_probes() {
    std::map<std::string_view, std::pair<const sim::Probe*, std::string>> probes;  // by name
    for (const workloads::Workload* w : workloads::registry()) {
        for (const sim::Probe* p : w->probes) {
            auto& [probe, who] = probes[p->name];
            probe = p;
            who += (who.empty() ? "" : ",") + std::string(w->name);
        }
    }
    for (const auto& [name, entry] : probes) {
        std::printf("%-44s %-14s %s\n", std::string(name).c_str(), entry.second.c_str(),
                    std::string(entry.first->description).c_str());
    }
}

}  // namespace

void add_list_command(CLI::App& app, int& exit_code) {
    CLI::App* cmd = app.add_subcommand(
        "list", "List built-in scenarios, workloads, properties or the fault catalogue");
    cmd->require_subcommand(1);
    cmd->add_subcommand("scenarios", "The built-in scenarios and what each does")
        ->callback([&exit_code] {
            list_scenarios();
            exit_code = 0;
        });
    cmd->add_subcommand("workloads",
                        "What runs in a scenario: each workload's properties and faults")
        ->callback([&exit_code] {
            list_workloads();
            exit_code = 0;
        });
    cmd->add_subcommand("properties", "Every property, when it is checked and what it promises")
        ->callback([&exit_code] {
            list_properties();
            exit_code = 0;
        });
    cmd->add_subcommand("faults", "Every fault kind, its parameters and what it does")
        ->callback([&exit_code] {
            list_faults();
            exit_code = 0;
        });
    cmd->add_subcommand("probes", "Every sometimes-probe, the workloads that reach it, its moment")
        ->callback([&exit_code] {
            list_probes();
            exit_code = 0;
        });
}

}  // namespace stormlog::cli
