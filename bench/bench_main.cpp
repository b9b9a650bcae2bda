// The kernel figures under Google Benchmark (items_per_second = simulated events per second).
// Rates are per wall-clock second (UseRealTime): the hand-off limit runs in a thread of its own,
// whose work the benchmark thread's CPU time would not see. Google Benchmark's "Library was built
// as DEBUG" warning is about Debian's build of libbenchmark itself, not about this code (Release).
#include <benchmark/benchmark.h>

#include "bench/kernel_bench.hpp"
#include "bench/store_bench.hpp"

namespace {

constexpr uint64_t k_events = 200'000;

template <double (*Fn)(uint64_t)>
void events(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(Fn(k_events));
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * k_events));
}

BENCHMARK(events<stormlog::bench::timer_events_per_s>)
    ->Name("kernel/timer")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(events<stormlog::bench::sleep_wake_events_per_s>)
    ->Name("kernel/sleep_wake")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(events<stormlog::bench::channel_events_per_s>)
    ->Name("kernel/channel")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(events<stormlog::bench::handoff_limit_events_per_s>)
    ->Name("kernel/handoff_limit")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One 30-second run of store-steady; the counter is the time compression.
void store_steady(benchmark::State& state) {
    double ratio = 0;
    for (auto _ : state) ratio = stormlog::bench::store_time_compression(1);
    state.counters["sim_s_per_wall_s"] = ratio;
}
BENCHMARK(store_steady)
    ->Name("store/time_compression")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
