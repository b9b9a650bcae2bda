// The decode cache shared by a cluster's nodes answers exactly what decode_command answers, for
// any mix of indexes and bytes: a node whose entry at an index differs from another node's (a bug,
// a corruption) gets its own bytes' decoding, never the other's.

#include "system/store/decode_cache.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace stormlog::system::store {
namespace {

std::vector<uint8_t> append_bytes(const std::string& stream, const std::string& id, uint8_t data) {
    AppendCommand c;
    c.stream = stream;
    c.events.push_back(EventData{id, {data, data, data}});
    return encode_command(c);
}

// A pool of encodings: appends that differ in one field, a no-op, and undecodable bytes.
std::vector<std::vector<uint8_t>> pool() {
    std::vector<std::vector<uint8_t>> p{append_bytes("s", "a", 1), append_bytes("s", "a", 2),
                                        append_bytes("s", "b", 1), append_bytes("t", "a", 1),
                                        encode_command(NoopCommand{})};
    std::vector<uint8_t> broken = p[0];
    broken.back() ^= 0x5a;  // a payload byte: still decodes, to another command
    p.push_back(broken);
    p.push_back({0xff, 0x01});  // not a command
    return p;
}

RC_GTEST_PROP(DecodeCache, AnswersWhatDecodeAnswersForAnyIndexAndBytes, ()) {
    const std::vector<std::vector<uint8_t>> bytes = pool();
    DecodeCache cache;
    const int lookups = *rc::gen::inRange(1, 300);
    for (int i = 0; i < lookups; ++i) {
        // Few indexes, many collisions: the same index with other bytes, and indexes 64 apart
        // sharing a slot.
        const uint64_t index = *rc::gen::element<uint64_t>(1, 2, 3, 65, 129);
        const std::vector<uint8_t>& b = bytes[*rc::gen::inRange<size_t>(0, bytes.size())];
        const DecodeCache::Decoded got = cache.decode(index, b);
        RC_ASSERT(got != nullptr);
        RC_ASSERT(*got == decode_command(b));
    }
    RC_ASSERT(cache.hits() + cache.misses() == static_cast<uint64_t>(lookups));
}

TEST(DecodeCache, TheSameEntryOnAnotherNodeSharesTheDecodingAndADifferentOneDoesNot) {
    const std::vector<std::vector<uint8_t>> bytes = pool();
    DecodeCache cache;
    const DecodeCache::Decoded first = cache.decode(7, bytes[0]);
    const DecodeCache::Decoded again = cache.decode(7, bytes[0]);
    EXPECT_EQ(first.get(), again.get());
    EXPECT_EQ(cache.hits(), 1u);
    const DecodeCache::Decoded other = cache.decode(7, bytes[5]);  // one byte differs
    EXPECT_NE(other.get(), first.get());
    ASSERT_TRUE(other->has_value());
    EXPECT_EQ(*other, decode_command(bytes[5]));
    EXPECT_NE(*other, *first);
    // A decoding held by a node outlives its slot's reuse.
    EXPECT_EQ(*first, decode_command(bytes[0]));
}

}  // namespace
}  // namespace stormlog::system::store
