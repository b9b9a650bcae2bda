#include "sim/time.hpp"

#include <gtest/gtest.h>

namespace stormlog::sim {
namespace {

TEST(ParseDuration, AcceptsEveryUnitAndFractions) {
    EXPECT_EQ(parse_duration("300us").value(), Duration::micros(300));
    EXPECT_EQ(parse_duration("150ms").value(), Duration::millis(150));
    EXPECT_EQ(parse_duration("1.5s").value(), Duration::millis(1500));
    EXPECT_EQ(parse_duration("2m").value(), Duration::minutes(2));
    EXPECT_EQ(parse_duration("1h").value(), Duration::minutes(60));
    EXPECT_EQ(parse_duration("250ns").value(), Duration::nanos(250));
    EXPECT_EQ(parse_duration("0s").value(), Duration::nanos(0));
    EXPECT_EQ(parse_duration("0.000000001s").value(), Duration::nanos(1));
    EXPECT_EQ(parse_duration(".5s").value(), Duration::millis(500));
}

TEST(ParseDuration, RejectsAnythingElseQuotingTheText) {
    for (const char* bad : {"", "soon", "10", "1.5", "s", "5 ms", "-3s", "1.5.2s", "3sec", "1e3s",
                            "0.0000000001s", "99999999999999999999s", "10MS"}) {
        auto r = parse_duration(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_NE(r.error().find(std::string("\"") + bad + "\""), std::string::npos) << r.error();
    }
}

TEST(FormatDuration, IsShortAndRoundTrips) {
    EXPECT_EQ(format_duration(Duration::millis(1500)), "1.5s");
    EXPECT_EQ(format_duration(Duration::seconds(2)), "2s");
    EXPECT_EQ(format_duration(Duration::millis(150)), "150ms");
    EXPECT_EQ(format_duration(Duration::micros(300)), "300us");
    EXPECT_EQ(format_duration(Duration::nanos(7)), "7ns");
    for (int64_t ns : {1LL, 999LL, 1'000LL, 1'500'000LL, 2'000'000'000LL, 61'000'000'000LL}) {
        EXPECT_EQ(parse_duration(format_duration(Duration::nanos(ns))).value(),
                  Duration::nanos(ns));
    }
}

TEST(Time, DeadlinesSaturateInsteadOfWrapping) {
    EXPECT_EQ(Time::zero() + Duration::seconds(5) + Duration::max(), Time::max());
    EXPECT_EQ(Time::from_ns(10) - Time::from_ns(4), Duration::nanos(6));
}

}  // namespace
}  // namespace stormlog::sim
