// A projection's durable record and the two-slot store that keeps it:
//   - encode_record/decode_record round-trip any sequence (> 0), checkpoint, parked set and
//     state; a record with sequence 0 means "nothing durable" and is refused;
//   - every single bit flip and every truncation of a record is refused (the CRC and the length
//     catch them), while bytes after a whole record are ignored (a shorter record written over
//     a longer one in the same slot);
//   - decode_record is total: arbitrary bytes never crash it;
//   - CheckpointStore on a simulated disk, inside simulated fibers: save alternates the slots
//     by sequence, load returns the newest intact record, survives a power loss once save
//     returned, falls back to the older slot when the newest one rots, is torn by a crash or
//     holds garbage, and returns nothing when both are bad; load(oldest = true), the test-only
//     bug, returns the older record; erase drops both slots durably; save reports I/O errors.

#include "system/projections/checkpoint.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "sim/disk.hpp"
#include "sim/env.hpp"
#include "sim/simulation.hpp"

namespace stormlog::system::projections {

// RapidCheck prints counterexamples with this.
void showValue(const Durable& d, std::ostream& os) {
    os << "Durable{sequence " << d.sequence << ", checkpoint " << d.checkpoint << ", "
       << d.parked.size() << " parked, " << d.state.size() << " state bytes}";
}

namespace {

using Bytes = std::vector<uint8_t>;

bool same(const Durable& a, const Durable& b) {
    return a.sequence == b.sequence && a.checkpoint == b.checkpoint && a.parked == b.parked &&
           a.state == b.state;
}

rc::Gen<Durable> gen_durable() {
    return rc::gen::exec([] {
        Durable d;
        const auto any_positive =
            rc::gen::suchThat(rc::gen::arbitrary<uint64_t>(), [](uint64_t s) { return s > 0; });
        d.sequence = *rc::gen::oneOf(rc::gen::inRange<uint64_t>(1, 10), any_positive);
        d.checkpoint = *rc::gen::arbitrary<uint64_t>();
        d.parked = *rc::gen::arbitrary<std::set<uint64_t>>();
        d.state = *rc::gen::arbitrary<Bytes>();
        return d;
    });
}

Durable durable(uint64_t sequence, size_t state_bytes = 40) {
    Durable d;
    d.sequence = sequence;
    d.checkpoint = 100 * sequence;
    d.parked = {sequence, 7 * sequence + 1};
    d.state.resize(state_bytes);
    for (size_t i = 0; i < state_bytes; ++i) d.state[i] = static_cast<uint8_t>(sequence * 13 + i);
    return d;
}

// ---- Records ---------------------------------------------------------------------------------

RC_GTEST_PROP(CheckpointRecordProperty, EncodeDecodeRoundTrips, ()) {
    const Durable d = *gen_durable();
    const std::optional<Durable> back = decode_record(encode_record(d));
    RC_ASSERT(back.has_value());
    RC_ASSERT(same(*back, d));
}

TEST(CheckpointRecordTest, TheLengthPrefixCoversTheRestOfTheRecord) {
    const Bytes b = encode_record(durable(3));
    ASSERT_GE(b.size(), 8u);
    const uint32_t length = b[0] | b[1] << 8 | b[2] << 16 | static_cast<uint32_t>(b[3]) << 24;
    EXPECT_EQ(length, b.size() - 4);
}

TEST(CheckpointRecordTest, AnEmptyRecordRoundTrips) {
    Durable d;
    d.sequence = 1;
    const std::optional<Durable> back = decode_record(encode_record(d));
    ASSERT_TRUE(back);
    EXPECT_TRUE(same(*back, d));
}

TEST(CheckpointRecordTest, SequenceZeroIsRefused) {
    Durable d = durable(1);
    d.sequence = 0;
    EXPECT_FALSE(decode_record(encode_record(d))) << "sequence 0 means nothing durable";
}

RC_GTEST_PROP(CheckpointRecordProperty, AnySingleBitFlipIsRefused, ()) {
    Bytes b = encode_record(*gen_durable());
    const size_t bit = *rc::gen::inRange<size_t>(0, b.size() * 8);
    b[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    RC_TAG(bit < 32 ? "length" : bit >= (b.size() - 4) * 8 ? "crc" : "body");
    RC_ASSERT(!decode_record(b));
}

RC_GTEST_PROP(CheckpointRecordProperty, AnyTruncationIsRefused, ()) {
    const Bytes b = encode_record(*gen_durable());
    const size_t n = *rc::gen::inRange<size_t>(0, b.size());
    RC_ASSERT(!decode_record(std::span<const uint8_t>(b).first(n)));
}

TEST(CheckpointRecordTest, EveryBitFlipAndTruncationOfOneRecordIsRefused) {
    const Bytes b = encode_record(durable(5));
    for (size_t bit = 0; bit < b.size() * 8; ++bit) {
        Bytes f = b;
        f[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(decode_record(f)) << "bit " << bit;
    }
    for (size_t n = 0; n < b.size(); ++n) {
        EXPECT_FALSE(decode_record(std::span<const uint8_t>(b).first(n))) << "length " << n;
    }
}

RC_GTEST_PROP(CheckpointRecordProperty, BytesAfterAWholeRecordAreIgnored, ()) {
    const Durable d = *gen_durable();
    Bytes b = encode_record(d);
    const Bytes tail = *rc::gen::nonEmpty(rc::gen::arbitrary<Bytes>());
    b.insert(b.end(), tail.begin(), tail.end());
    const std::optional<Durable> back = decode_record(b);
    RC_ASSERT(back.has_value());
    RC_ASSERT(same(*back, d));
}

// What a slot holds after a shorter record was written at offset 0 over a longer one.
TEST(CheckpointRecordTest, AShorterRecordOverALongerOneDecodesAsTheShorter) {
    const Bytes older = encode_record(durable(2, 500));
    const Bytes newer = encode_record(durable(4, 10));
    ASSERT_LT(newer.size(), older.size());
    Bytes slot = older;
    std::copy(newer.begin(), newer.end(), slot.begin());
    const std::optional<Durable> back = decode_record(slot);
    ASSERT_TRUE(back);
    EXPECT_TRUE(same(*back, durable(4, 10)));
}

RC_GTEST_PROP(CheckpointRecordProperty, DecodeOfArbitraryBytesIsTotal, ()) {
    const Bytes b = *rc::gen::arbitrary<Bytes>();
    const std::optional<Durable> d = decode_record(b);
    RC_TAG(d.has_value());
    // Whatever it accepts is a whole record at the front, so re-encoding gives that prefix.
    if (d) {
        const Bytes again = encode_record(*d);
        RC_ASSERT(again.size() <= b.size());
        RC_ASSERT(Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(again.size())) == again);
    }
}

TEST(CheckpointRecordTest, ForgedLengthsAndCountsAreRefused) {
    EXPECT_FALSE(decode_record(Bytes{}));
    EXPECT_FALSE(decode_record(Bytes{0xff, 0xff, 0xff, 0xff}));
    EXPECT_FALSE(decode_record(Bytes{4, 0, 0, 0, 0, 0, 0, 0}))
        << "a length below 8 holds no magic and crc";
    Bytes b = encode_record(durable(1));
    b[0] = static_cast<uint8_t>(b[0] + 1);  // one byte more than there is
    EXPECT_FALSE(decode_record(b));
}

// ---- CheckpointStore on a simulated disk -----------------------------------------------------

// One node with a disk (real latencies, so every call sleeps) and a process whose fiber runs
// each step.
struct DiskWorld {
    explicit DiskWorld(uint64_t seed = 1)
        : sim(options(seed)),
          node(sim.add_node("n1")),
          disk(sim, node.id(), node.rng().fork("disk")),
          store(disk, "balances") {
        process = &sim.add_process(node, "projection", [this](sim::Env&) {
            std::function<void()> fn = std::move(step);
            step = nullptr;
            fn();
            step_done = true;
        });
    }
    ~DiskWorld() { sim.shutdown(); }

    static sim::SimulationOptions options(uint64_t seed) {
        sim::SimulationOptions o;
        o.seed = seed;
        return o;
    }

    // Starts `fn` in a fresh incarnation of the process, without running the simulation.
    void start(std::function<void()> fn) {
        step = std::move(fn);
        step_done = false;
        sim.restart(*process);
    }
    // Runs `fn` to its end.
    void run(std::function<void()> fn) {
        start(std::move(fn));
        sim.run_for(sim::Duration::seconds(60));
        ASSERT_TRUE(step_done) << "the step did not finish";
    }
    // Power loss: the process dies, the disk keeps what its fault model says survived.
    void crash() {
        sim.crash(node);
        disk.crash();
    }

    bool save(const Durable& d) {
        bool ok = false;
        run([&] { ok = store.save(d); });
        return ok;
    }
    std::optional<Durable> load(bool oldest = false) {
        std::optional<Durable> d;
        run([&] { d = store.load(oldest); });
        return d;
    }
    // The record a slot file holds now, read around the store.
    std::optional<Durable> slot(int s) const {
        const std::string file = "balances.ckpt." + std::to_string(s);
        Bytes b(disk.size(file));
        (void)disk.peek(file, 0, b);
        return decode_record(b);
    }

    sim::Simulation sim;
    sim::Node& node;
    sim::Disk disk;
    CheckpointStore store;
    sim::Process* process = nullptr;
    std::function<void()> step;
    bool step_done = false;
};

const std::string k_slot0 = "balances.ckpt.0";
const std::string k_slot1 = "balances.ckpt.1";

TEST(CheckpointStoreTest, NothingSavedLoadsNothing) {
    DiskWorld w;
    EXPECT_FALSE(w.load());
    EXPECT_FALSE(w.load(true));
}

TEST(CheckpointStoreTest, SaveAlternatesSlotsAndLoadReturnsTheNewest) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    EXPECT_TRUE(w.disk.exists(k_slot1));
    EXPECT_FALSE(w.disk.exists(k_slot0));
    ASSERT_TRUE(w.load());
    EXPECT_TRUE(same(*w.load(), durable(1)));
    for (uint64_t s = 2; s <= 5; ++s) {
        ASSERT_TRUE(w.save(durable(s)));
        const std::optional<Durable> d = w.load();
        ASSERT_TRUE(d) << s;
        EXPECT_TRUE(same(*d, durable(s))) << "loaded " << d->sequence << " after saving " << s;
        ASSERT_TRUE(w.slot(static_cast<int>(s % 2))) << s;
        ASSERT_TRUE(w.slot(static_cast<int>(1 - s % 2))) << s;
        EXPECT_EQ(w.slot(static_cast<int>(s % 2))->sequence, s);
        EXPECT_EQ(w.slot(static_cast<int>(1 - s % 2))->sequence, s - 1)
            << "the other slot keeps the previous record";
    }
}

TEST(CheckpointStoreTest, ASavedRecordSurvivesAPowerLoss) {
    DiskWorld w;
    w.disk.set_torn_write_probability(1.0);
    ASSERT_TRUE(w.save(durable(1)));
    ASSERT_TRUE(w.save(durable(2)));
    w.crash();
    const std::optional<Durable> d = w.load();
    ASSERT_TRUE(d);
    EXPECT_TRUE(same(*d, durable(2)));
}

TEST(CheckpointStoreTest, AShorterRecordOverALongerOneInTheSameSlotLoads) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1, 3000)));
    ASSERT_TRUE(w.save(durable(2, 3000)));
    ASSERT_TRUE(w.save(durable(3, 20)));  // over record 1: the slot keeps its old tail
    EXPECT_GT(w.disk.size(k_slot1), encode_record(durable(3, 20)).size());
    const std::optional<Durable> d = w.load();
    ASSERT_TRUE(d);
    EXPECT_TRUE(same(*d, durable(3, 20)));
}

TEST(CheckpointStoreTest, ARottenNewestSlotFallsBackToTheOlder) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    ASSERT_TRUE(w.save(durable(2)));  // slot 0 is the newest
    const uint64_t size = w.disk.size(k_slot0);
    size_t checked = 0;
    w.run([&] {
        for (uint64_t offset = 0; offset < size; ++offset) {
            for (int bit = 0; bit < 8; ++bit) {
                const auto mask = static_cast<uint8_t>(1u << bit);
                ASSERT_TRUE(w.disk.rot(k_slot0, offset, mask));
                const std::optional<Durable> d = w.store.load();
                ASSERT_TRUE(d) << "offset " << offset << " bit " << bit;
                EXPECT_EQ(d->sequence, 1u) << "offset " << offset << " bit " << bit;
                ASSERT_TRUE(w.disk.rot(k_slot0, offset, mask));  // heal it for the next one
                ++checked;
            }
        }
    });
    EXPECT_EQ(checked, size * 8);
    EXPECT_EQ(w.load()->sequence, 2u) << "healed";
}

TEST(CheckpointStoreTest, GarbageInTheNewestSlotFallsBackToTheOlder) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    ASSERT_TRUE(w.save(durable(2)));
    w.run([&] {
        const Bytes garbage(37, 0xa5);
        ASSERT_TRUE(w.disk.write(k_slot0, 0, garbage).ok());
        ASSERT_TRUE(w.disk.fsync(k_slot0).ok());
    });
    const std::optional<Durable> d = w.load();
    ASSERT_TRUE(d);
    EXPECT_TRUE(same(*d, durable(1)));
}

// A power loss during save: the write is torn (a prefix of its sectors lands over the slot's
// previous record), so the slot is damaged and the other slot's record is the newest intact one.
TEST(CheckpointStoreTest, ATornSaveFallsBackToTheOlderSlot) {
    int damaged = 0;
    for (uint64_t seed = 1; seed <= 12; ++seed) {
        DiskWorld w(seed);
        w.disk.set_torn_write_probability(1.0);
        ASSERT_TRUE(w.save(durable(2, 3000)));
        ASSERT_TRUE(w.save(durable(3, 3000)));
        w.start([&] { (void)w.store.save(durable(4, 3000)); });  // slot 0, over record 2
        // The write (<= 200 us) is in the cache; the fsync (>= 1 ms) has not finished.
        w.sim.run_for(sim::Duration::micros(500));
        ASSERT_FALSE(w.step_done);
        w.crash();
        if (!w.slot(0)) ++damaged;
        const std::optional<Durable> d = w.load();
        ASSERT_TRUE(d) << "seed " << seed;
        EXPECT_TRUE(same(*d, durable(3, 3000))) << "seed " << seed << " loaded " << d->sequence;
    }
    EXPECT_GT(damaged, 0) << "some crash must have torn the newest slot";
}

TEST(CheckpointStoreTest, BothSlotsBadLoadsNothing) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    ASSERT_TRUE(w.save(durable(2)));
    ASSERT_TRUE(w.disk.rot(k_slot0, 20, 0x10));
    ASSERT_TRUE(w.disk.rot(k_slot1, 9, 0x01));
    EXPECT_FALSE(w.load());
    EXPECT_FALSE(w.load(true));
}

TEST(CheckpointStoreTest, TinySlotFilesLoadNothing) {
    DiskWorld w;
    w.run([&] {
        ASSERT_TRUE(w.disk.write(k_slot0, 0, Bytes{1, 2, 3}).ok());
        ASSERT_TRUE(w.disk.truncate(k_slot1, 0).ok());
    });
    EXPECT_FALSE(w.load());
}

// The test-only bug the runner can switch on: it takes the older record, so a projection
// restarts behind its newest checkpoint (and re-applies events its state already holds).
TEST(CheckpointStoreTest, LoadOldestReturnsTheOlderRecord) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    EXPECT_EQ(w.load(true)->sequence, 1u) << "with one record there is no choice";
    ASSERT_TRUE(w.save(durable(2)));
    EXPECT_EQ(w.load(true)->sequence, 1u);
    EXPECT_EQ(w.load()->sequence, 2u);
    ASSERT_TRUE(w.save(durable(3)));
    EXPECT_EQ(w.load(true)->sequence, 2u);
    EXPECT_EQ(w.load()->sequence, 3u);
}

TEST(CheckpointStoreTest, EraseDropsBothSlotsDurably) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    ASSERT_TRUE(w.save(durable(2)));
    w.run([&] { w.store.erase(); });
    EXPECT_FALSE(w.disk.exists(k_slot0));
    EXPECT_FALSE(w.disk.exists(k_slot1));
    EXPECT_FALSE(w.load());
    w.crash();
    EXPECT_FALSE(w.load()) << "the removals were synced";
    w.run([&] { w.store.erase(); });  // nothing to erase is fine
    ASSERT_TRUE(w.save(durable(3)));
    EXPECT_EQ(w.load()->sequence, 3u) << "a fresh start after erase";
}

TEST(CheckpointStoreTest, SaveReportsADiskError) {
    DiskWorld w;
    ASSERT_TRUE(w.save(durable(1)));
    w.disk.set_full(true);
    EXPECT_FALSE(w.save(durable(2)));
    w.disk.set_full(false);
    EXPECT_EQ(w.load()->sequence, 1u);
}

}  // namespace
}  // namespace stormlog::system::projections
