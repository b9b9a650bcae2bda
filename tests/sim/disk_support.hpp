#pragma once
// Helpers the disk tests share: data patterns, a CRC, instant disk options, and a disk outside any
// fiber for tests of the data model.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/disk.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim::disk_testing {

using testing::at_ms;
using testing::ms;

inline constexpr uint64_t k_sector = Disk::k_sector_bytes;

inline std::vector<uint8_t> filled(size_t n, uint8_t value) {
    return std::vector<uint8_t>(n, value);
}

// A pattern whose every byte depends on its position and `salt`, so misplaced data is visible.
inline std::vector<uint8_t> pattern(size_t n, uint8_t salt) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = static_cast<uint8_t>((i * 7 + salt * 13 + (i >> 8)) & 0xff);
    return v;
}

// CRC-32 (IEEE), bitwise: what a system's record checksum would be.
inline uint32_t crc32(const std::vector<uint8_t>& data) {
    uint32_t crc = 0xffffffffu;
    for (uint8_t b : data) {
        crc ^= b;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline DiskOptions instant(double torn = 0.0) {
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

}  // namespace stormlog::sim::disk_testing
