// Every kind a built-in scenario records has a name, so an event log never shows a bare hash
// where it could say "fault.apply"; and watching a run's events (stormlog run --events) leaves
// the run as it was: the same hash, the same verdict.

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "scenarios/runner.hpp"
#include "sim/trace.hpp"
#include "tests/workloads/run_support.hpp"

namespace stormlog::scenarios {
namespace {

class KindNamesSeen final : public sim::TraceSink {
  public:
    std::set<uint64_t> unnamed;
    uint64_t records = 0;
    void on_node(uint32_t, std::string_view) override {}
    void on_record(const sim::TraceRecord& r, std::string_view) override {
        ++records;
        if (sim::trace_kind_name(r.kind).empty()) unnamed.insert(r.kind);
    }
};

std::vector<std::string> builtin_names() {
    std::vector<std::string> names;
    for (const Scenario& s : builtin_scenarios_list()) names.push_back(s.name);
    return names;
}

std::string hex_list(const std::set<uint64_t>& kinds) {
    std::string out;
    for (uint64_t k : kinds) {
        char buf[24];
        std::snprintf(buf, sizeof buf, " kind#%016llx", static_cast<unsigned long long>(k));
        out += buf;
    }
    return out;
}

class BuiltinEvents : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinEvents, EveryKindRecordedHasANameAndWatchingDoesNotChangeTheRun) {
    const Scenario scenario = workloads::test_support::builtin(GetParam());
    RunOptions options;
    options.seed = 1;
    const RunResult plain = run_scenario(scenario, options);
    KindNamesSeen seen;
    options.trace_sink = &seen;
    const RunResult watched = run_scenario(scenario, options);
    EXPECT_EQ(watched.hash, plain.hash);
    EXPECT_EQ(watched.pass, plain.pass);
    EXPECT_EQ(watched.events, plain.events);
    EXPECT_GT(seen.records, 0u);
    EXPECT_TRUE(seen.unnamed.empty()) << "kinds without a name:" << hex_list(seen.unnamed);
}

// gtest names allow letters, digits and underscores: "leader-crash" runs as leader_crash.
std::string test_name(const ::testing::TestParamInfo<std::string>& param) {
    std::string name = param.param;
    for (char& c : name) {
        if (c == '-') c = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Builtin, BuiltinEvents, ::testing::ValuesIn(builtin_names()), test_name);

}  // namespace
}  // namespace stormlog::scenarios
