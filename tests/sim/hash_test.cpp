// hash_words, the payload digest checkers compare across nodes: any change to one byte, or to the
// length, changes it (a corrupted or different payload must never digest like the original), and
// the same bytes digest the same wherever they sit in memory.

#include "sim/hash.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

namespace stormlog::sim {
namespace {

uint64_t digest(const std::vector<uint8_t>& v) {
    return hash_words(v.data(), v.size());
}

RC_GTEST_PROP(HashWords, AnyOneByteChangeChangesTheDigest, (std::vector<uint8_t> bytes)) {
    RC_PRE(!bytes.empty());
    std::vector<uint8_t> changed = bytes;
    const size_t at = *rc::gen::inRange<size_t>(0, bytes.size());
    changed[at] ^= *rc::gen::inRange<uint8_t>(1, 255);
    RC_ASSERT(digest(changed) != digest(bytes));
}

RC_GTEST_PROP(HashWords, LengthCountsEvenForZeroBytes, (std::vector<uint8_t> bytes)) {
    std::vector<uint8_t> longer = bytes;
    longer.push_back(0);
    RC_ASSERT(digest(longer) != digest(bytes));
}

TEST(HashWords, AlignmentDoesNotMatter) {
    std::vector<uint8_t> buf(64);
    for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<uint8_t>(i * 7);
    std::vector<uint8_t> shifted(buf.size() + 3);
    std::copy(buf.begin(), buf.end(), shifted.begin() + 3);
    EXPECT_EQ(hash_words(buf.data(), buf.size()), hash_words(shifted.data() + 3, buf.size()));
}

}  // namespace
}  // namespace stormlog::sim
