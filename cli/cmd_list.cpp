// stormlog list scenarios|faults: the built-in scenarios, or the fault catalogue.

#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "faults/catalogue.hpp"
#include "scenarios/runner.hpp"
#include "sim/time.hpp"

namespace stormlog::cli {
namespace {

void list_scenarios() {
    for (const scenarios::Scenario& s : scenarios::builtin_scenarios_list()) {
        std::printf("%-28s %s\n", s.name.c_str(), s.description.c_str());
    }
}

std::string param_text(const faults::ParamInfo& p) {
    auto dur = [](double ns) { return sim::format_duration(sim::Duration::nanos(static_cast<int64_t>(ns))); };
    char buf[256];
    if (p.type == faults::ParamType::duration) {
        std::snprintf(buf, sizeof buf, "%s=<duration %s..%s, default %s>", p.name.c_str(), dur(p.min).c_str(),
                      dur(p.max).c_str(), dur(p.default_value).c_str());
    } else {
        std::snprintf(buf, sizeof buf, "%s=<%s %g..%g, default %g>", p.name.c_str(),
                      p.type == faults::ParamType::integer ? "integer" : "number", p.min, p.max, p.default_value);
    }
    return buf;
}

void list_faults() {
    for (const faults::FaultKindInfo& k : faults::catalogue()) {
        std::string usage;
        if (k.takes_target) usage += " target";
        if (k.takes_duration) usage += " for";
        for (const faults::ParamInfo& p : k.params) usage += " " + param_text(p);
        std::printf("%-20s %-8s %s\n", k.name.c_str(), std::string(faults::category_name(k.category)).c_str(),
                    k.description.c_str());
        if (!usage.empty()) std::printf("%-29s takes:%s\n", "", usage.c_str());
    }
}

}  // namespace

void add_list_command(CLI::App& app, int& exit_code) {
    CLI::App* cmd = app.add_subcommand("list", "List built-in scenarios or the fault catalogue");
    cmd->require_subcommand(1);
    cmd->add_subcommand("scenarios", "The built-in scenarios and what each does")->callback([&exit_code] {
        list_scenarios();
        exit_code = 0;
    });
    cmd->add_subcommand("faults", "Every fault kind, its parameters and what it does")->callback([&exit_code] {
        list_faults();
        exit_code = 0;
    });
}

}  // namespace stormlog::cli
