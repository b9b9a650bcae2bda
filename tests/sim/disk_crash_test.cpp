// The simulated disk on virtual time and under crashes: latencies and stalls, crashes that meet
// fibers in the middle of I/O, the same seed replaying the same outcome, and a model-based property
// of crash consistency (fsynced bytes survive exactly; unsynced writes vanish or tear at sector
// granularity; a wiped disk holds nothing).

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/disk.hpp"
#include "sim/env.hpp"
#include "tests/sim/disk_support.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using namespace disk_testing;
using testing::at_ms;
using testing::ms;

// ---- Latency and stalls (in fibers, on virtual time) -------------------------------------------

TEST(DiskLatency, CallsTakeTheirConfiguredTime) {
    Simulation sim(testing::options());
    DiskOptions o;
    o.write_latency_min = o.write_latency_max = Duration::micros(100);
    o.read_latency_min = o.read_latency_max = Duration::micros(30);
    o.fsync_latency_min = o.fsync_latency_max = ms(2);
    Disk disk(sim, 0, sim.fork_rng("disk"), o);
    std::vector<int64_t> done_us;
    testing::start_process(sim, "n1", "p", [&](Env&) {
        std::vector<uint8_t> buf(10, 1);
        EXPECT_TRUE(disk.write("f", 0, buf).ok());
        done_us.push_back(sim.now().ns() / 1000);
        EXPECT_TRUE(disk.read("f", 0, buf).ok());
        done_us.push_back(sim.now().ns() / 1000);
        EXPECT_TRUE(disk.fsync("f").ok());
        done_us.push_back(sim.now().ns() / 1000);
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(done_us, (std::vector<int64_t>{100, 130, 2130}));
}

TEST(DiskLatency, DefaultLatenciesStayInTheirRanges) {
    Simulation sim(testing::options(9));
    Disk disk(sim, 0, sim.fork_rng("disk"), DiskOptions{});
    std::vector<Duration> writes, fsyncs;
    testing::start_process(sim, "n1", "p", [&](Env&) {
        std::vector<uint8_t> buf(10, 1);
        for (int i = 0; i < 50; ++i) {
            Time t = sim.now();
            EXPECT_TRUE(disk.write("f", 0, buf).ok());
            writes.push_back(sim.now() - t);
            t = sim.now();
            EXPECT_TRUE(disk.fsync("f").ok());
            fsyncs.push_back(sim.now() - t);
        }
    });
    sim.run_until(at_ms(10'000));
    ASSERT_EQ(writes.size(), 50u);
    const auto [wmin, wmax] = std::minmax_element(writes.begin(), writes.end());
    const auto [fmin, fmax] = std::minmax_element(fsyncs.begin(), fsyncs.end());
    EXPECT_GE(*wmin, Duration::micros(50));
    EXPECT_LE(*wmax, Duration::micros(200));
    EXPECT_LT(*wmin, *wmax);  // drawn, not fixed
    EXPECT_GE(*fmin, ms(1));
    EXPECT_LE(*fmax, ms(5));
}

TEST(DiskStall, IoWaitsUntilTheStallEndsThenRunsAtNormalSpeed) {
    Simulation sim(testing::options());
    DiskOptions o = DiskOptions::instant();
    o.write_latency_min = o.write_latency_max = Duration::micros(100);
    Disk disk(sim, 0, sim.fork_rng("disk"), o);
    disk.stall_until(at_ms(50));
    std::vector<int64_t> done_us;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.sleep(ms(10));
        std::vector<uint8_t> buf(10, 1);
        EXPECT_TRUE(disk.write("f", 0, buf).ok());
        done_us.push_back(sim.now().ns() / 1000);
        EXPECT_TRUE(disk.write("f", 0, buf).ok());  // the stall is over
        done_us.push_back(sim.now().ns() / 1000);
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(done_us, (std::vector<int64_t>{50'100, 50'200}));
}

TEST(DiskStall, ExtendingAStallKeepsWaitersWaiting) {
    Simulation sim(testing::options());
    Disk disk(sim, 0, sim.fork_rng("disk"), DiskOptions::instant());
    disk.stall_until(at_ms(20));
    sim.schedule_at(at_ms(10), [&] { disk.stall_until(at_ms(70)); });
    int64_t done_ms = -1;
    testing::start_process(sim, "n1", "p", [&](Env&) {
        std::vector<uint8_t> buf(4);
        EXPECT_EQ(disk.read("missing", 0, buf).error, IoError::not_found);
        done_ms = sim.now().ns() / 1'000'000;
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(done_ms, 70);
}

// ---- Crashes meet fibers -----------------------------------------------------------------------

TEST(DiskFsync, ACrashDuringTheFsyncMeansItDidNotHappen) {
    Simulation sim(testing::options());
    DiskOptions o = instant(0.0);
    o.fsync_latency_min = o.fsync_latency_max = ms(5);
    Disk disk(sim, 0, sim.fork_rng("disk"), o);
    bool fsync_returned = false;
    Node& node = sim.add_node("n1");
    Process& p = sim.add_process(node, "p", [&](Env&) {
        EXPECT_TRUE(disk.write("log", 0, filled(10, 1)).ok());
        EXPECT_TRUE(disk.fsync("log").ok());  // takes 5ms: the crash comes at 3ms
        fsync_returned = true;
    });
    sim.start(p);
    sim.run_until(at_ms(3));
    sim.crash(node);
    disk.crash();  // what Simulation::crash(Node&) does once the node owns its disk
    sim.run_until(at_ms(20));
    EXPECT_FALSE(fsync_returned);
    EXPECT_FALSE(disk.exists("log"));
    EXPECT_EQ(disk.stats().fsyncs, 0u);
}

TEST(DiskFsync, AnFsyncPromisesOnlyWhatWasIssuedBeforeIt) {
    Simulation sim(testing::options());
    DiskOptions o = instant(0.0);
    o.fsync_latency_min = o.fsync_latency_max = ms(5);
    Disk disk(sim, 0, sim.fork_rng("disk"), o);
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        EXPECT_TRUE(disk.write("log", 0, filled(10, 1)).ok());
        env.spawn([&] {
            env.sleep(ms(1));
            EXPECT_TRUE(disk.write("log", 10, filled(10, 2)).ok());  // during the fsync
        });
        EXPECT_TRUE(disk.fsync("log").ok());
    });
    sim.run_until(at_ms(20));
    EXPECT_EQ(disk.size("log"), 20u);
    disk.crash();
    EXPECT_EQ(disk.size("log"), 10u);
}

TEST(DiskFsync, AFiberOfACrashedNodeCannotSlipAWriteIn) {
    Simulation sim(testing::options());
    Disk disk(sim, 0, sim.fork_rng("disk"), instant(0.0));
    Node& node = sim.add_node("n1");
    bool wrote = false;
    Process& p = sim.add_process(node, "p", [&](Env&) {
        sim.crash(node);  // e.g. an assertion that crashes its own node
        disk.crash();
        (void)disk.write("log", 0, filled(10, 1));
        wrote = true;
    });
    sim.start(p);
    sim.run_until(at_ms(10));
    EXPECT_FALSE(wrote);
    EXPECT_FALSE(disk.exists("log"));
}

// ---- Determinism -------------------------------------------------------------------------------

struct Outcome {
    uint64_t trace_hash = 0;
    std::vector<uint8_t> bytes;
    uint64_t torn = 0;
    uint64_t misdirected = 0;
    bool operator==(const Outcome&) const = default;
};

// A workload of writes, fsyncs, rot and crashes with every random fault on.
Outcome run_faulty_workload(uint64_t seed) {
    Simulation sim(testing::options(seed));
    Node& node = sim.add_node("n1");
    Disk disk(sim, node.id(), node.rng().fork("disk"), DiskOptions{});
    disk.set_misdirect_probability(0.3);
    Process& p = sim.add_process(node, "p", [&](Env& env) {
        for (uint32_t i = 0;; ++i) {
            const uint64_t offset = env.rng().below(16) * 300;
            (void)disk.write("log", offset, pattern(700, static_cast<uint8_t>(i)));
            if (env.rng().chance(0.3)) (void)disk.fsync("log");
        }
    });
    sim.start(p);
    for (int round = 1; round <= 5; ++round) {
        sim.run_until(at_ms(round * 20));
        disk.rot_random(2);
        sim.crash(node);
        disk.crash();
        sim.restart(node);
    }
    sim.run_until(at_ms(120));
    sim.crash(node);
    disk.crash();
    Outcome out;
    out.trace_hash = sim.trace().hash();
    out.bytes.resize(disk.size("log"));
    EXPECT_EQ(disk.peek("log", 0, out.bytes), out.bytes.size());
    out.torn = disk.stats().torn_writes;
    out.misdirected = disk.stats().misdirected_writes;
    return out;
}

TEST(DiskDeterminism, TheSameSeedGivesTheSameOutcome) {
    const Outcome a = run_faulty_workload(42);
    EXPECT_EQ(run_faulty_workload(42), a);
    EXPECT_GT(a.misdirected, 0u);
    EXPECT_FALSE(a.bytes.empty());
    const Outcome b = run_faulty_workload(43);
    EXPECT_NE(a.trace_hash, b.trace_hash);
}

// ---- Crash consistency against a model ---------------------------------------------------------

// The model: durable bytes per file, plus the pending writes since the last fsync.
struct ModelWrite {
    uint64_t offset;
    std::vector<uint8_t> data;
};
struct ModelFile {
    std::optional<std::vector<uint8_t>> durable;  // nullopt: not on the medium
    std::vector<ModelWrite> pending;
};

void apply(std::vector<uint8_t>& bytes, uint64_t offset, std::span<const uint8_t> data) {
    if (bytes.size() < offset + data.size()) bytes.resize(offset + data.size(), 0);
    std::copy(data.begin(), data.end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset));
}

std::optional<std::vector<uint8_t>> logical(const ModelFile& m) {
    if (!m.durable && m.pending.empty()) return std::nullopt;
    std::vector<uint8_t> bytes = m.durable.value_or(std::vector<uint8_t>{});
    for (const ModelWrite& w : m.pending) apply(bytes, w.offset, w.data);
    return bytes;
}

// After a crash the file must be its durable bytes, or those with a strict sector prefix of the
// last pending write on top. Returns the matching state, or nullopt if none matches.
std::optional<std::optional<std::vector<uint8_t>>> crash_outcome(
    const ModelFile& m, const std::optional<std::vector<uint8_t>>& actual) {
    if (actual == m.durable) return m.durable;
    if (m.pending.empty()) return std::nullopt;
    const ModelWrite& w = m.pending.back();
    const uint64_t first = w.offset / k_sector;
    const uint64_t last = (w.offset + w.data.size() - 1) / k_sector;
    for (uint64_t k = 1; k < last - first + 1; ++k) {
        std::vector<uint8_t> candidate = m.durable.value_or(std::vector<uint8_t>{});
        const uint64_t kept = (first + k) * k_sector - w.offset;
        apply(candidate, w.offset, std::span<const uint8_t>(w.data).first(kept));
        if (actual == candidate) return std::optional<std::vector<uint8_t>>(candidate);
    }
    return std::nullopt;
}

std::optional<std::vector<uint8_t>> read_file(Disk& disk, const std::string& name) {
    if (!disk.exists(name)) return std::nullopt;
    std::vector<uint8_t> bytes(disk.size(name));
    const IoResult r = disk.read(name, 0, bytes);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.bytes == bytes.size());
    return bytes;
}

// rc::gen::inRange scales with RapidCheck's size, which starts near 0: without this, early cases
// would only ever write (never fsync or crash) at offset 0.
template <class T>
T full_range(T lo, T hi) {
    return *rc::gen::resize(100, rc::gen::inRange<T>(lo, hi));
}

RC_GTEST_PROP(DiskModel, CrashesKeepExactlyTheFsyncedBytesAndTearOnlyTheLastWrite, ()) {
    const uint64_t seed = full_range<uint64_t>(1, 1'000'000);
    const double torn = *rc::gen::element(0.0, 0.5, 1.0);
    Bench b(instant(torn), seed);
    // Up to seven files: more than the disk's cache of recently used files holds, so lookups also
    // miss it, evict from it, and meet files a crash or a wipe has dropped.
    const std::vector<std::string> all_names{"a", "b", "c", "d", "e", "f", "g"};
    const std::vector<std::string> names(all_names.begin(),
                                         all_names.begin() + full_range<std::ptrdiff_t>(1, 8));
    std::vector<ModelFile> model(names.size());
    const int steps = *rc::gen::inRange(1, 60);
    uint8_t salt = 0;
    bool tore_any = false;
    for (int step = 0; step < steps; ++step) {
        const int what = full_range(0, 11);
        const size_t f = full_range<size_t>(0, names.size());
        if (what < 6) {
            const uint64_t offset = full_range<uint64_t>(0, 4096);
            const size_t length = full_range<size_t>(1, 2048);
            ModelWrite w{offset, pattern(length, ++salt)};
            RC_ASSERT(b.disk.write(names[f], offset, w.data).ok());
            model[f].pending.push_back(std::move(w));
        } else if (what < 8) {
            const IoResult r = b.disk.fsync(names[f]);
            if (!logical(model[f])) {
                RC_ASSERT(r.error == IoError::not_found);
                continue;
            }
            RC_ASSERT(r.ok());
            model[f].durable = logical(model[f]);
            model[f].pending.clear();
        } else if (what == 10) {
            b.disk.wipe();
            for (ModelFile& m : model) m = ModelFile{};
        } else {
            const uint64_t torn_before = b.disk.stats().torn_writes;
            b.disk.crash();
            tore_any = tore_any || b.disk.stats().torn_writes > torn_before;
            for (size_t i = 0; i < names.size(); ++i) {
                const auto actual = read_file(b.disk, names[i]);
                const auto outcome = crash_outcome(model[i], actual);
                RC_ASSERT(outcome.has_value());
                model[i].durable = *outcome;
                model[i].pending.clear();
            }
        }
        for (size_t i = 0; i < names.size(); ++i)
            RC_ASSERT(read_file(b.disk, names[i]) == logical(model[i]));
    }
    RC_CLASSIFY(tore_any, "a crash tore a write");
}

}  // namespace
}  // namespace stormlog::sim
