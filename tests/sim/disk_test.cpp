// The simulated disk's data model: the write-back cache, metadata, and each fault (torn writes,
// bit rot, misdirected writes, latent sector errors, a full disk) with its effect and its healing.

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
#include "tests/sim/disk_support.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using namespace disk_testing;
using testing::at_ms;
using testing::ms;

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

// The disk remembers the file it looked up last; a file dropped from its table (a durable
// removal, a wipe) must not be found through that memory, and its name must work again.
TEST(DiskMetadata, AForgottenFileIsGoneForEveryLookupAndItsNameCanBeUsedAgain) {
    Bench b;
    b.put_durable("f", 0, filled(100, 1));
    ASSERT_TRUE(b.disk.remove("f").ok());
    EXPECT_EQ(b.disk.size("f"), 0u);      // looked up last, right before it is dropped
    ASSERT_TRUE(b.disk.fsync("f").ok());  // durable removal: the file leaves the table
    EXPECT_FALSE(b.disk.exists("f"));
    EXPECT_EQ(b.disk.size("f"), 0u);
    EXPECT_EQ(b.disk.fsync("f").error, IoError::not_found);
    b.put_durable("f", 0, filled(10, 2));
    EXPECT_EQ(b.disk.list(), std::vector<std::string>{"f"});
    EXPECT_EQ(b.get_all("f"), filled(10, 2));

    b.put_durable("g", 0, filled(50, 3));
    EXPECT_TRUE(b.disk.exists("g"));
    b.disk.wipe();
    EXPECT_FALSE(b.disk.exists("g"));
    EXPECT_FALSE(b.disk.exists("f"));
    b.put_durable("g", 0, filled(5, 4));
    EXPECT_EQ(b.disk.list(), std::vector<std::string>{"g"});
    EXPECT_EQ(b.get_all("g"), filled(5, 4));
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

// ---- Failed fsyncs (fsyncgate) and failed truncates ---------------------------------------------

TEST(DiskFsyncError, AFailedFsyncDropsWhatItCoveredAndAReadSeesTheOldMedium) {
    Bench b;
    b.put_durable("log", 0, filled(1024, 0xaa));
    b.put("log", 512, filled(1024, 0xbb));  // overwrites a sector and grows the file
    b.disk.set_fsync_error_probability(1.0);
    EXPECT_EQ(b.disk.fsync("log").error, IoError::io_error);
    // Marked clean without reaching the medium: the cache shows the medium's old bytes.
    EXPECT_EQ(b.disk.pending_ops(), 0u);
    EXPECT_EQ(b.get_all("log"), filled(1024, 0xaa));
    EXPECT_EQ(b.disk.stats().fsync_errors, 1u);
    EXPECT_EQ(b.disk.stats().dropped_ops, 1u);
    EXPECT_EQ(b.disk.stats().fsyncs, 1u);  // put_durable's: a failed one does not count
    // The classic bug's view: fsync again and it "succeeds" - with nothing left to persist.
    b.disk.set_fsync_error_probability(0.0);
    EXPECT_TRUE(b.disk.fsync("log").ok());
    b.disk.crash();
    EXPECT_EQ(b.get_all("log"), filled(1024, 0xaa));
}

TEST(DiskFsyncError, DroppedMetadataRevertsAndAFileOnlyInTheCacheVanishes) {
    Bench b;
    b.put_durable("log", 0, filled(2048, 1));
    ASSERT_TRUE(b.disk.truncate("log", 512).ok());
    b.put("new", 0, filled(10, 2));
    b.disk.set_fsync_error_probability(1.0);
    EXPECT_EQ(b.disk.fsync("log").error, IoError::io_error);
    EXPECT_EQ(b.disk.size("log"), 2048u);  // the truncate never happened
    EXPECT_EQ(b.disk.fsync("new").error, IoError::io_error);
    EXPECT_FALSE(b.disk.exists("new"));
    EXPECT_EQ(b.disk.used_bytes(), 2048u);
    EXPECT_EQ(b.disk.list(), std::vector<std::string>{"log"});
}

TEST(DiskFsyncError, AnFsyncWithNothingDirtyNeverFailsAndOtherFilesKeepTheirCache) {
    Bench b;
    b.put_durable("a", 0, filled(10, 1));
    b.put("b", 0, filled(10, 2));
    b.disk.set_fsync_error_probability(1.0);
    EXPECT_TRUE(b.disk.fsync("a").ok());  // no dirty data: nothing to fail writing back
    EXPECT_EQ(b.disk.stats().fsync_errors, 0u);
    EXPECT_EQ(b.get_all("b"), filled(10, 2));  // a failed fsync of one file drops only its own
}

TEST(DiskFsyncError, OnlyWhatTheFailedFsyncCoveredIsDropped) {
    Simulation sim(testing::options());
    DiskOptions o = instant(0.0);
    o.fsync_latency_min = o.fsync_latency_max = ms(5);
    Disk disk(sim, 0, sim.fork_rng("disk"), o);
    disk.set_fsync_error_probability(1.0);
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        EXPECT_TRUE(disk.write("log", 0, filled(10, 1)).ok());
        env.spawn([&] {
            env.sleep(ms(1));
            EXPECT_TRUE(disk.write("log", 10, filled(10, 2)).ok());  // during the fsync
        });
        EXPECT_EQ(disk.fsync("log").error, IoError::io_error);
    });
    sim.run_until(at_ms(20));
    // The later write stays pending, over a hole where the dropped one was.
    EXPECT_EQ(disk.size("log"), 20u);
    std::vector<uint8_t> out(20);
    EXPECT_EQ(disk.peek("log", 0, out), 20u);
    std::vector<uint8_t> expect = filled(10, 0);
    const std::vector<uint8_t> later = filled(10, 2);
    expect.insert(expect.end(), later.begin(), later.end());
    EXPECT_EQ(out, expect);
    EXPECT_EQ(disk.pending_ops(), 1u);
}

TEST(DiskFsyncError, TheRateIsSeededAndZeroHeals) {
    const auto failures = [](uint64_t seed) {
        Bench b(instant(), seed);
        b.disk.set_fsync_error_probability(0.5);
        std::vector<bool> failed;
        for (int i = 0; i < 64; ++i) {
            b.put("log", 0, filled(10, static_cast<uint8_t>(i)));
            failed.push_back(!b.disk.fsync("log").ok());
        }
        return failed;
    };
    const std::vector<bool> f = failures(7);
    EXPECT_EQ(failures(7), f);
    const auto n = std::count(f.begin(), f.end(), true);
    EXPECT_GT(n, 10);
    EXPECT_LT(n, 54);
    Bench b;
    b.disk.set_fsync_error_probability(0.0);
    for (int i = 0; i < 64; ++i) b.put_durable("log", 0, filled(10, 1));
    EXPECT_EQ(b.disk.stats().fsync_errors, 0u);
}

TEST(DiskTruncateError, AFailedTruncateChangesNothingAndZeroHeals) {
    Bench b;
    b.put_durable("log", 0, filled(2048, 1));
    b.disk.set_truncate_error_probability(1.0);
    EXPECT_EQ(b.disk.truncate("log", 512).error, IoError::io_error);
    EXPECT_EQ(b.disk.truncate("missing", 0).error, IoError::io_error);
    EXPECT_EQ(b.disk.size("log"), 2048u);
    EXPECT_FALSE(b.disk.exists("missing"));
    EXPECT_EQ(b.disk.pending_ops(), 0u);
    EXPECT_EQ(b.disk.stats().truncate_errors, 2u);
    b.disk.set_truncate_error_probability(0.0);
    EXPECT_TRUE(b.disk.truncate("log", 512).ok());
    EXPECT_EQ(b.disk.size("log"), 512u);
}

}  // namespace
}  // namespace stormlog::sim
