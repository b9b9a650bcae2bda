// The simulated disk: each fault shows its effect and its healing, a model-based property checks
// crash consistency (fsynced bytes survive exactly; unsynced writes vanish or tear at sector
// granularity), and the same seed replays the same outcome.

#include "sim/disk.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/env.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

constexpr uint64_t k_sector = Disk::k_sector_bytes;

std::vector<uint8_t> filled(size_t n, uint8_t value) {
    return std::vector<uint8_t>(n, value);
}

// A pattern whose every byte depends on its position and `salt`, so misplaced data is visible.
std::vector<uint8_t> pattern(size_t n, uint8_t salt) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = static_cast<uint8_t>((i * 7 + salt * 13 + (i >> 8)) & 0xff);
    return v;
}

// CRC-32 (IEEE), bitwise: what a system's record checksum would be.
uint32_t crc32(const std::vector<uint8_t>& data) {
    uint32_t crc = 0xffffffffu;
    for (uint8_t b : data) {
        crc ^= b;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

DiskOptions instant(double torn = 0.0) {
    DiskOptions o = DiskOptions::instant();
    o.torn_write_probability = torn;
    return o;
}

// A disk outside any fiber (instant latencies), for tests of the data model.
struct Bench {
    explicit Bench(DiskOptions o = instant(), uint64_t seed = 1)
        : sim(testing::options(seed)), disk(sim, 0, sim.fork_rng("disk"), o) {}

    void put(const std::string& file, uint64_t offset, const std::vector<uint8_t>& data) {
        ASSERT_TRUE(disk.write(file, offset, data).ok());
    }
    void put_durable(const std::string& file, uint64_t offset, const std::vector<uint8_t>& data) {
        put(file, offset, data);
        ASSERT_TRUE(disk.fsync(file).ok());
    }
    std::vector<uint8_t> get(const std::string& file, uint64_t offset, size_t n) {
        std::vector<uint8_t> out(n, 0xee);
        const IoResult r = disk.read(file, offset, out);
        EXPECT_TRUE(r.ok()) << to_string(r.error);
        return out;
    }
    std::vector<uint8_t> get_all(const std::string& file) { return get(file, 0, disk.size(file)); }

    Simulation sim;
    Disk disk;
};

// ---- Cache and crash ---------------------------------------------------------------------------

TEST(DiskCache, AWriteIsVisibleAtOnceButNotDurable) {
    Bench b;
    b.put("log", 0, pattern(1000, 1));
    EXPECT_EQ(b.get_all("log"), pattern(1000, 1));
    EXPECT_EQ(b.disk.pending_ops(), 1u);
    b.disk.crash();
    EXPECT_FALSE(b.disk.exists("log"));  // created in the cache only: gone with it
    EXPECT_EQ(b.disk.stats().lost_writes, 1u);
}

TEST(DiskCache, AnUnsyncedOverwriteIsGoneAfterACrash) {
    Bench b;
    b.put_durable("log", 0, filled(2048, 0xaa));
    b.put("log", 512, filled(512, 0xbb));
    b.disk.crash();
    EXPECT_EQ(b.get_all("log"), filled(2048, 0xaa));
    EXPECT_EQ(b.disk.pending_ops(), 0u);
}

TEST(DiskCache, AnFsyncedWriteSurvivesACrash) {
    Bench b(instant(1.0));  // even when every crash tears: nothing pending, nothing to tear
    b.put_durable("log", 100, pattern(3000, 2));
    b.disk.crash();
    EXPECT_EQ(b.disk.size("log"), 3100u);
    EXPECT_EQ(b.get("log", 100, 3000), pattern(3000, 2));
    EXPECT_EQ(b.get("log", 0, 100), filled(100, 0));
}

TEST(DiskCache, FsyncOfOneFileLeavesAnotherPending) {
    Bench b;
    b.put("a", 0, filled(10, 1));
    b.put("b", 0, filled(10, 2));
    ASSERT_TRUE(b.disk.fsync("a").ok());
    b.disk.crash();
    EXPECT_TRUE(b.disk.exists("a"));
    EXPECT_FALSE(b.disk.exists("b"));
}

TEST(DiskCache, ReadingPastTheEndZeroFillsAndCountsOnlyPresentBytes) {
    Bench b;
    b.put("f", 0, filled(100, 9));
    std::vector<uint8_t> out(64, 0xee);
    IoResult r = b.disk.read("f", 80, out);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.bytes, 20u);
    EXPECT_TRUE(std::all_of(out.begin(), out.begin() + 20, [](uint8_t x) { return x == 9; }));
    EXPECT_TRUE(std::all_of(out.begin() + 20, out.end(), [](uint8_t x) { return x == 0; }));
    r = b.disk.read("f", 500, out);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.bytes, 0u);
    EXPECT_EQ(b.disk.read("missing", 0, out).error, IoError::not_found);
}

TEST(DiskCache, AWritePastTheEndLeavesAZeroHole) {
    Bench b;
    b.put_durable("f", 0, filled(10, 5));
    b.put("f", 20, filled(10, 6));
    std::vector<uint8_t> want = filled(30, 0);
    std::fill(want.begin(), want.begin() + 10, 5);
    std::fill(want.begin() + 20, want.end(), 6);
    EXPECT_EQ(b.get_all("f"), want);
}

// ---- Metadata ----------------------------------------------------------------------------------

TEST(DiskMetadata, TruncateAndRemoveArePendingUntilFsync) {
    Bench b;
    b.put_durable("f", 0, filled(1000, 1));
    ASSERT_TRUE(b.disk.truncate("f", 100).ok());
    EXPECT_EQ(b.disk.size("f"), 100u);
    b.disk.crash();
    EXPECT_EQ(b.disk.size("f"), 1000u);  // the truncate was lost

    ASSERT_TRUE(b.disk.remove("f").ok());
    EXPECT_FALSE(b.disk.exists("f"));
    b.disk.crash();
    EXPECT_TRUE(b.disk.exists("f"));  // the remove was lost

    ASSERT_TRUE(b.disk.remove("f").ok());
    ASSERT_TRUE(b.disk.fsync("f").ok());  // fsync of the removed name makes the removal durable
    b.disk.crash();
    EXPECT_FALSE(b.disk.exists("f"));
    EXPECT_EQ(b.disk.fsync("f").error, IoError::not_found);
    EXPECT_EQ(b.disk.remove("f").error, IoError::not_found);
    EXPECT_EQ(b.disk.stats().lost_metadata_ops, 2u);
}

TEST(DiskMetadata, TruncateThenRewriteReadsZerosInBetween) {
    Bench b;
    b.put_durable("f", 0, filled(1000, 1));
    ASSERT_TRUE(b.disk.truncate("f", 100).ok());
    b.put("f", 500, filled(10, 2));
    std::vector<uint8_t> want = filled(510, 0);
    std::fill(want.begin(), want.begin() + 100, 1);
    std::fill(want.begin() + 500, want.end(), 2);
    EXPECT_EQ(b.get_all("f"), want);
    ASSERT_TRUE(b.disk.fsync("f").ok());
    b.disk.crash();
    EXPECT_EQ(b.get_all("f"), want);
}

TEST(DiskMetadata, ListIsSortedAndShowsTheLogicalView) {
    Bench b;
    b.put("zeta", 0, filled(1, 1));
    b.put("alpha", 0, filled(1, 1));
    ASSERT_TRUE(b.disk.truncate("mid", 0).ok());  // creates an empty file
    EXPECT_EQ(b.disk.list(), (std::vector<std::string>{"alpha", "mid", "zeta"}));
    ASSERT_TRUE(b.disk.remove("mid").ok());
    EXPECT_EQ(b.disk.list(), (std::vector<std::string>{"alpha", "zeta"}));
    EXPECT_EQ(b.disk.used_bytes(), 2u);
}

// ---- Torn writes -------------------------------------------------------------------------------

// Returns how many leading sectors of `actual` hold `fresh`, if the rest holds `old` exactly.
std::optional<uint64_t> torn_prefix_sectors(const std::vector<uint8_t>& actual,
                                            const std::vector<uint8_t>& old,
                                            const std::vector<uint8_t>& fresh) {
    const uint64_t sectors = actual.size() / k_sector;
    for (uint64_t k = 0; k <= sectors; ++k) {
        std::vector<uint8_t> candidate = old;
        std::copy(fresh.begin(), fresh.begin() + static_cast<std::ptrdiff_t>(k * k_sector),
                  candidate.begin());
        if (candidate == actual) return k;
    }
    return std::nullopt;
}

TEST(DiskTorn, WithProbabilityOneTheLastWriteLeavesAStrictSectorPrefix) {
    const uint64_t sectors = 8;
    const auto old = filled(sectors * k_sector, 0x11);
    const auto fresh = filled(sectors * k_sector, 0x22);
    uint64_t torn_runs = 0;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        Bench b(instant(1.0), seed);
        b.put_durable("log", 0, old);
        b.put("log", 0, fresh);
        b.disk.crash();
        const auto k = torn_prefix_sectors(b.get_all("log"), old, fresh);
        ASSERT_TRUE(k.has_value()) << "seed " << seed << ": not a sector prefix of the write";
        EXPECT_LT(*k, sectors) << "a torn write never lands whole";
        EXPECT_EQ(b.disk.stats().torn_writes, *k > 0 ? 1u : 0u);
        EXPECT_EQ(b.disk.stats().lost_writes, *k > 0 ? 0u : 1u);
        torn_runs += *k > 0 ? 1 : 0;
    }
    EXPECT_GT(torn_runs, 20u);  // k is uniform in [0, 8): most runs keep a visible prefix
}

TEST(DiskTorn, AnUnalignedTornWriteStopsAtASectorBoundary) {
    Bench b(instant(1.0), 3);
    const auto old = filled(4 * k_sector, 0x11);
    b.put_durable("log", 0, old);
    b.put("log", 100, filled(3 * k_sector, 0x22));  // touches sectors 0..3
    b.disk.crash();
    const auto got = b.get_all("log");
    size_t fresh_end = 100;
    while (fresh_end < got.size() && got[fresh_end] == 0x22) ++fresh_end;
    EXPECT_TRUE(fresh_end == 100 || fresh_end % k_sector == 0) << fresh_end;
    EXPECT_TRUE(std::all_of(got.begin(), got.begin() + 100, [](uint8_t x) { return x == 0x11; }));
    EXPECT_TRUE(std::all_of(got.begin() + static_cast<std::ptrdiff_t>(fresh_end), got.end(),
                            [](uint8_t x) { return x == 0x11; }));
}

TEST(DiskTorn, WithProbabilityZeroTheWholeWriteIsLost) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        Bench b(instant(0.0), seed);
        b.put_durable("log", 0, filled(8 * k_sector, 0x11));
        b.put("log", 0, filled(8 * k_sector, 0x22));
        b.disk.crash();
        EXPECT_EQ(b.get_all("log"), filled(8 * k_sector, 0x11));
        EXPECT_EQ(b.disk.stats().torn_writes, 0u);
    }
}

TEST(DiskTorn, OnlyTheLastPendingWriteOfAFileCanTear) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        Bench b(instant(1.0), seed);
        b.put_durable("log", 0, filled(4 * k_sector, 0x11));
        b.put("log", 0, filled(2 * k_sector, 0x22));             // earlier: always lost
        b.put("log", 2 * k_sector, filled(2 * k_sector, 0x33));  // last: may tear
        b.disk.crash();
        const auto got = b.get_all("log");
        EXPECT_TRUE(std::none_of(got.begin(), got.end(), [](uint8_t x) { return x == 0x22; }));
        EXPECT_EQ(b.disk.stats().lost_writes + b.disk.stats().torn_writes, 2u);
    }
}

TEST(DiskTorn, SettingTheProbabilityAtRunTimeHeals) {
    Bench b(instant(1.0), 5);
    b.disk.set_torn_write_probability(0.0);
    b.put_durable("log", 0, filled(8 * k_sector, 0x11));
    b.put("log", 0, filled(8 * k_sector, 0x22));
    b.disk.crash();
    EXPECT_EQ(b.get_all("log"), filled(8 * k_sector, 0x11));
}

// ---- Bit rot -----------------------------------------------------------------------------------

TEST(DiskRot, AFlippedBitComesBackCorruptedAndACrcCatchesIt) {
    Bench b;
    const auto record = pattern(1000, 4);
    const uint32_t crc = crc32(record);
    b.put_durable("log", 0, record);
    ASSERT_TRUE(b.disk.rot("log", 321, 0x10));
    const auto got = b.get_all("log");
    EXPECT_NE(got, record);
    EXPECT_EQ(got[321], record[321] ^ 0x10);
    EXPECT_NE(crc32(got), crc) << "the disk returns rot silently; the checksum must catch it";
    EXPECT_EQ(b.disk.stats().rotted_bits, 1u);
    // Healing: the system rewrites the record (e.g. repaired from a peer).
    b.put_durable("log", 0, record);
    EXPECT_EQ(crc32(b.get_all("log")), crc);
}

TEST(DiskRot, OnlyBytesOnTheMediumRot) {
    Bench b;
    b.put("log", 0, filled(10, 1));  // pending only
    EXPECT_FALSE(b.disk.rot("log", 0, 1));
    ASSERT_TRUE(b.disk.fsync("log").ok());
    EXPECT_FALSE(b.disk.rot("log", 10, 1));  // past the end
    EXPECT_TRUE(b.disk.rot("log", 9, 1));
}

TEST(DiskRot, RandomRotIsSeededAndFlipsExactlyCountBits) {
    auto run = [](uint64_t seed) {
        Bench b(instant(), seed);
        b.put_durable("a", 0, filled(4096, 0));
        b.put_durable("b", 0, filled(1024, 0));
        EXPECT_EQ(b.disk.rot_random(5), 5u);
        auto all = b.get_all("a");
        const auto more = b.get_all("b");
        all.insert(all.end(), more.begin(), more.end());
        return all;
    };
    const auto first = run(7);
    uint64_t bits = 0;
    for (uint8_t x : first) bits += static_cast<uint64_t>(std::popcount(x));
    EXPECT_LE(bits, 5u);  // a bit flipped twice flips back
    EXPECT_GE(bits, 1u);
    EXPECT_EQ(run(7), first);
    EXPECT_NE(run(8), first);
    Bench empty;
    EXPECT_EQ(empty.disk.rot_random(3), 0u);
}

// ---- Misdirected writes ------------------------------------------------------------------------

TEST(DiskMisdirect, AWriteLandsElsewhereAndTheIntendedSectorKeepsOldData) {
    Bench b;
    const auto old = pattern(8 * k_sector, 1);
    b.put_durable("log", 0, old);
    b.disk.set_misdirect_probability(1.0);
    const auto fresh = filled(k_sector, 0xcd);
    b.put("log", 3 * k_sector, fresh);
    EXPECT_EQ(b.get("log", 3 * k_sector, k_sector), fresh);  // the cache still serves it
    ASSERT_TRUE(b.disk.fsync("log").ok());
    EXPECT_EQ(b.disk.stats().misdirected_writes, 1u);

    const auto got = b.get_all("log");
    EXPECT_EQ(std::vector<uint8_t>(got.begin() + 3 * k_sector, got.begin() + 4 * k_sector),
              std::vector<uint8_t>(old.begin() + 3 * k_sector, old.begin() + 4 * k_sector));
    uint64_t landed = 0;
    for (uint64_t s = 0; s < 8; ++s) {
        const std::vector<uint8_t> sector(
            got.begin() + static_cast<std::ptrdiff_t>(s * k_sector),
            got.begin() + static_cast<std::ptrdiff_t>((s + 1) * k_sector));
        if (sector == fresh) ++landed;
    }
    EXPECT_EQ(landed, 1u);
    EXPECT_EQ(got.size(), old.size());

    // Healing: with the probability back at zero, writes land where aimed.
    b.disk.set_misdirect_probability(0.0);
    b.put_durable("log", 3 * k_sector, fresh);
    EXPECT_EQ(b.get("log", 3 * k_sector, k_sector), fresh);
}

TEST(DiskMisdirect, AOneSectorFileHasNowhereElseToGo) {
    Bench b;
    b.disk.set_misdirect_probability(1.0);
    b.put_durable("log", 0, filled(k_sector, 1));
    EXPECT_EQ(b.disk.stats().misdirected_writes, 0u);
    EXPECT_EQ(b.get_all("log"), filled(k_sector, 1));
}

// ---- Latent sector errors ----------------------------------------------------------------------

TEST(DiskLatent, ReadsOfABadSectorFailUntilItIsRewritten) {
    Bench b;
    b.put_durable("log", 0, filled(4 * k_sector, 1));
    ASSERT_TRUE(b.disk.add_latent_error("log", 2));
    std::vector<uint8_t> out(k_sector);
    EXPECT_EQ(b.disk.read("log", 2 * k_sector + 10, std::span(out).first(5)).error,
              IoError::io_error);
    EXPECT_EQ(b.disk.read("log", k_sector, out).error, IoError::none);  // neighbours read fine
    std::vector<uint8_t> whole(4 * k_sector);
    EXPECT_EQ(b.disk.read("log", 0, whole).error, IoError::io_error);
    EXPECT_EQ(b.disk.stats().io_errors, 2u);

    b.put("log", 2 * k_sector + 1, filled(10, 2));  // a partial write does not remap
    EXPECT_EQ(b.disk.read("log", 2 * k_sector, out).error, IoError::io_error);
    b.put("log", 2 * k_sector, filled(k_sector, 3));  // a full-sector write does
    EXPECT_EQ(b.disk.read("log", 2 * k_sector, out).error, IoError::none);
    EXPECT_EQ(out, filled(k_sector, 3));
}

TEST(DiskLatent, ClearingHealsEveryBadSector) {
    Bench b;
    b.put_durable("a", 0, filled(k_sector, 1));
    b.put_durable("b", 0, filled(k_sector, 1));
    ASSERT_TRUE(b.disk.add_latent_error("a", 0));
    ASSERT_TRUE(b.disk.add_latent_error("b", 0));
    EXPECT_FALSE(b.disk.add_latent_error("b", 1));  // past the end
    EXPECT_FALSE(b.disk.add_latent_error("c", 0));  // no such file
    std::vector<uint8_t> out(8);
    EXPECT_EQ(b.disk.read("a", 0, out).error, IoError::io_error);
    b.disk.clear_latent_errors();
    EXPECT_TRUE(b.disk.read("a", 0, out).ok());
    EXPECT_TRUE(b.disk.read("b", 0, out).ok());
}

TEST(DiskLatent, PeekObservesWithoutFailingCountingOrTracing) {
    Bench b;
    b.put_durable("log", 0, filled(2 * k_sector, 1));
    ASSERT_TRUE(b.disk.add_latent_error("log", 1));
    const uint64_t hash = b.sim.trace().hash();
    std::vector<uint8_t> out(3 * k_sector, 0xee);
    EXPECT_EQ(b.disk.peek("log", 0, out), 2 * k_sector);
    EXPECT_EQ(out, [] {
        auto v = filled(3 * k_sector, 0);
        std::fill_n(v.begin(), 2 * k_sector, 1);
        return v;
    }());
    EXPECT_EQ(b.disk.peek("missing", 0, out), 0u);
    EXPECT_EQ(b.disk.stats().io_errors, 0u);
    EXPECT_EQ(b.sim.trace().hash(), hash);
}

// ---- Disk full ---------------------------------------------------------------------------------

TEST(DiskFull, TheFaultRefusesWritesAndLiftingItAllowsThemAgain) {
    Bench b;
    b.put_durable("log", 0, filled(100, 1));
    b.disk.set_full(true);
    EXPECT_EQ(b.disk.write("log", 0, filled(10, 2)).error, IoError::disk_full);
    EXPECT_EQ(b.disk.truncate("log", 1000).error, IoError::disk_full);
    EXPECT_TRUE(b.disk.truncate("log", 50).ok());  // shrinking frees space: always allowed
    EXPECT_EQ(b.get_all("log"), filled(50, 1));    // the refused write changed nothing
    EXPECT_EQ(b.disk.stats().full_errors, 2u);
    b.disk.set_full(false);
    EXPECT_TRUE(b.disk.write("log", 0, filled(10, 2)).ok());
}

TEST(DiskFull, CapacityCountsEveryFilesLogicalSize) {
    DiskOptions o = instant();
    o.capacity_bytes = 1000;
    Bench b(o);
    b.put("a", 0, filled(600, 1));
    EXPECT_EQ(b.disk.write("b", 0, filled(500, 2)).error, IoError::disk_full);
    EXPECT_FALSE(b.disk.exists("b"));
    b.put("b", 0, filled(400, 2));  // exactly full
    EXPECT_EQ(b.disk.used_bytes(), 1000u);
    b.put("a", 0, filled(600, 3));  // an overwrite in place needs no space
    ASSERT_TRUE(b.disk.remove("a").ok());
    b.put("b", 400, filled(600, 4));
    EXPECT_EQ(b.disk.used_bytes(), 1000u);
}

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
    const std::vector<std::string> names{"a", "b"};
    std::vector<ModelFile> model(names.size());
    const int steps = *rc::gen::inRange(1, 60);
    uint8_t salt = 0;
    bool tore_any = false;
    for (int step = 0; step < steps; ++step) {
        const int what = full_range(0, 10);
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
