// The kernel figures under Google Benchmark (items_per_second = simulated events per second).
#include <benchmark/benchmark.h>

#include "bench/kernel_bench.hpp"

namespace {

constexpr uint64_t k_events = 200'000;

template <double (*Fn)(uint64_t)>
void events(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(Fn(k_events));
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * k_events));
}

BENCHMARK(events<stormlog::bench::timer_events_per_s>)->Name("kernel/timer")->Unit(benchmark::kMillisecond);
BENCHMARK(events<stormlog::bench::sleep_wake_events_per_s>)->Name("kernel/sleep_wake")->Unit(benchmark::kMillisecond);
BENCHMARK(events<stormlog::bench::channel_events_per_s>)->Name("kernel/channel")->Unit(benchmark::kMillisecond);
BENCHMARK(events<stormlog::bench::handoff_limit_events_per_s>)->Name("kernel/handoff_limit")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
