// Text helpers for messages, and sizes as people write them.

#include "sim/text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

#include "sim/size.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {
namespace {

constexpr std::array<std::string_view, 4> k_keys = {"network", "nodes", "duration", "disk"};

TEST(Text, CutUtf8NeverSplitsASequence) {
    EXPECT_EQ(cut_utf8("abcdef", 3), "abc");
    EXPECT_EQ(cut_utf8("ab", 3), "ab");
    const std::string_view euro = "a\xE2\x82\xAC";  // 'a' then a three-byte sequence
    EXPECT_EQ(cut_utf8(euro, 2), "a");
    EXPECT_EQ(cut_utf8(euro, 3), "a");
    EXPECT_EQ(cut_utf8(euro, 4), euro);
}

TEST(Text, EditDistanceCountsEditsAndStopsAboveTheLimit) {
    EXPECT_EQ(edit_distance("netwrok", "network", 3), 2u);
    EXPECT_EQ(edit_distance("", "abc", 3), 3u);
    EXPECT_EQ(edit_distance("same", "same", 0), 0u);
    EXPECT_EQ(edit_distance("a", "abcdefgh", 2), 3u) << "a length gap above the limit is limit + 1";
}

TEST(Text, ClosestPicksTheNearestWithinReason) {
    EXPECT_EQ(closest("netwrok", k_keys), "network");
    EXPECT_EQ(closest("nodse", k_keys), "nodes");
    EXPECT_EQ(closest("xyz", k_keys), std::nullopt);
    EXPECT_EQ(closest("dsk", k_keys), "disk");
    EXPECT_EQ(did_you_mean("duraton", k_keys), " (did you mean \"duration\"?)");
    EXPECT_EQ(did_you_mean("qqqqqqq", k_keys), "");
}

TEST(Text, InvalidUtf8IsFoundAtItsFirstByte) {
    constexpr auto npos = std::string_view::npos;
    EXPECT_EQ(invalid_utf8_at("plain ascii"), npos);
    EXPECT_EQ(invalid_utf8_at("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), npos);
    EXPECT_EQ(invalid_utf8_at("ab\xC3"), 2u) << "a sequence cut short";
    EXPECT_EQ(invalid_utf8_at("a\x80"), 1u) << "a lone continuation byte";
    EXPECT_EQ(invalid_utf8_at("\xC0\xAF"), 0u) << "an overlong form";
    EXPECT_EQ(invalid_utf8_at("x\xED\xA0\x80"), 1u) << "a surrogate";
    EXPECT_EQ(invalid_utf8_at("\xF4\x90\x80\x80"), 0u) << "past U+10FFFF";
    EXPECT_EQ(invalid_utf8_at("\xE3x"), 0u) << "the byte of the issue, before an ASCII letter";
}

TEST(Text, QuotedListQuotesEachName) {
    EXPECT_EQ(quoted_list(k_keys), R"("network", "nodes", "duration", "disk")");
    EXPECT_EQ(quoted_list({}), "");
}

TEST(Size, BinaryAndDecimalUnitsAndPlainBytes) {
    EXPECT_EQ(parse_size("512MiB"), uint64_t{512} << 20);
    EXPECT_EQ(parse_size("1GiB"), uint64_t{1} << 30);
    EXPECT_EQ(parse_size("2GB"), uint64_t{2'000'000'000});
    EXPECT_EQ(parse_size("4096B"), 4096u);
    EXPECT_EQ(parse_size("4096"), 4096u);
    EXPECT_EQ(parse_size("16TiB"), uint64_t{16} << 40);
}

TEST(Size, MalformedOrOverflowingTextIsRefused) {
    for (const char* bad : {"", "MiB", "1.5GiB", "-1MiB", " 1MiB", "1 MiB", "1mib", "1Mib", "1XB",
                            "99999999999999999999", "20000000TiB"}) {
        EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
    }
}

TEST(Time, HoursAndMinutesReadAsWritten) {
    EXPECT_EQ(format_duration_hm(Duration::minutes(24 * 60)), "24h");
    EXPECT_EQ(format_duration_hm(Duration::minutes(2)), "2m");
    EXPECT_EQ(format_duration_hm(Duration::millis(1500)), "1.5s");
    EXPECT_EQ(format_duration_hm(Duration()), "0s");
}

}  // namespace
}  // namespace stormlog::sim
