// The checker with the register and cas-register models: Jepsen's semantics for ok, fail,
// info and unfinished operations, the failure report, and the limits.

#include <gtest/gtest.h>

#include "checker_test_util.hpp"

namespace lin = stormlog::properties::linearizability;
using lin::ModelKind;
using lin::Verdict;
using lin::testing::check;
using lin::testing::ev;
using lin::testing::verdict;

namespace {

TEST(RegisterChecker, AcceptsAReadOfTheLastCompletedWrite) {
    const std::string h = ev(0, "invoke", "write", "1") + ev(0, "ok", "write", "1") +
                          ev(1, "invoke", "read", "null") + ev(1, "ok", "read", "1");
    EXPECT_EQ(verdict(h, ModelKind::register_), Verdict::linearizable);
}

TEST(RegisterChecker, RejectsAStaleReadAfterAWriteCompleted) {
    const std::string h = ev(0, "invoke", "write", "1") + ev(0, "ok", "write", "1") +
                          ev(0, "invoke", "write", "2") + ev(0, "ok", "write", "2") +
                          ev(1, "invoke", "read", "null") + ev(1, "ok", "read", "1");
    EXPECT_EQ(verdict(h, ModelKind::register_), Verdict::not_linearizable);
}

TEST(RegisterChecker, AcceptsEitherValueForAReadConcurrentWithAWrite) {
    for (const char* seen : {"0", "5"}) {
        const std::string h = ev(0, "invoke", "write", "5") + ev(1, "invoke", "read", "null") +
                              ev(1, "ok", "read", seen) + ev(0, "ok", "write", "5");
        EXPECT_EQ(verdict(h, ModelKind::register_, 0), Verdict::linearizable) << seen;
    }
}

TEST(RegisterChecker, ReadsNullAsNeverWrittenWhenTheInitialValueIsNull) {
    const std::string h = ev(0, "invoke", "write", "1") + ev(0, "ok", "write", "1") +
                          ev(1, "invoke", "read", "null") + ev(1, "ok", "read", "null");
    EXPECT_EQ(verdict(h, ModelKind::register_), Verdict::not_linearizable);
    // With a non-null initial value a null read carries no information, as in Knossos.
    EXPECT_EQ(verdict(h, ModelKind::register_, 0), Verdict::linearizable);
}

TEST(RegisterChecker, InfoWriteMayHaveHappenedOrNot) {
    const std::string start = ev(0, "invoke", "write", "1") + ev(0, "info", "write", "null");
    const std::string read_1 = ev(1, "invoke", "read", "null") + ev(1, "ok", "read", "1");
    const std::string read_0 = ev(2, "invoke", "read", "null") + ev(2, "ok", "read", "0");
    EXPECT_EQ(verdict(start + read_1, ModelKind::register_, 0), Verdict::linearizable);
    EXPECT_EQ(verdict(start + read_0, ModelKind::register_, 0), Verdict::linearizable);
    // ... but only once, and not before it was invoked.
    EXPECT_EQ(verdict(start + read_1 + read_0, ModelKind::register_, 0), Verdict::not_linearizable);
    EXPECT_EQ(verdict(read_1 + start, ModelKind::register_, 0), Verdict::not_linearizable);
}

TEST(RegisterChecker, TreatsAnUnfinishedInvokeAsInfo) {
    const std::string h =
        ev(0, "invoke", "write", "7") + ev(1, "invoke", "read", "null") + ev(1, "ok", "read", "7");
    EXPECT_EQ(verdict(h, ModelKind::register_, 0), Verdict::linearizable);
}

TEST(RegisterChecker, DropsInfoReadsWhateverTheyClaim) {
    const std::string h = ev(0, "invoke", "read", "null") + ev(0, "info", "read", "42");
    EXPECT_EQ(verdict(h, ModelKind::register_, 0), Verdict::linearizable);
}

TEST(CasRegisterChecker, FailedCasDidNotHappen) {
    const std::string h = ev(0, "invoke", "cas", "[0,3]") + ev(0, "fail", "cas", "[0,3]") +
                          ev(1, "invoke", "read", "null") + ev(1, "ok", "read", "0");
    EXPECT_EQ(verdict(h, ModelKind::cas_register, 0), Verdict::linearizable);
}

TEST(CasRegisterChecker, OkCasNeedsItsExpectedValue) {
    const std::string h = ev(0, "invoke", "cas", "[1,3]") + ev(0, "ok", "cas", "[1,3]");
    EXPECT_EQ(verdict(h, ModelKind::cas_register, 0), Verdict::not_linearizable);
    EXPECT_EQ(verdict(h, ModelKind::cas_register, 1), Verdict::linearizable);
}

TEST(CasRegisterChecker, ExplainsTheFailureWithTheStuckOperationAndStates) {
    const std::string h = ev(0, "invoke", "write", "1") + ev(0, "ok", "write", "1") +      // 1-2
                          ev(1, "invoke", "cas", "[1,2]") + ev(1, "ok", "cas", "[1,2]") +  // 3-4
                          ev(2, "invoke", "read", "null") + ev(2, "ok", "read", "1");      // 5-6
    const auto report = check(h, ModelKind::cas_register, 0);
    ASSERT_EQ(report.verdict, Verdict::not_linearizable);
    const std::string text = lin::testing::joined(report.details);
    EXPECT_NE(text.find("up to line 6"), std::string::npos) << text;
    EXPECT_NE(text.find("process 2 read -> 1 [invoked line 5, completed line 6]"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("(2 operations)"), std::string::npos) << text;
    EXPECT_NE(text.find("\n  2\n"), std::string::npos) << "the state it could not get past\n"
                                                       << text;
}

TEST(CasRegisterChecker, ReportsTheOffendingLineOfAMalformedOperation) {
    const std::string h = ev(0, "invoke", "write", "1") + ev(0, "ok", "write", "1") +
                          ev(1, "invoke", "cas", "3") + ev(1, "ok", "cas", "3");
    const auto report = lin::testing::try_check(h, ModelKind::cas_register);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().line, 3u);
    EXPECT_NE(report.error().what.find("[expected, new]"), std::string::npos);
    const auto plain =
        lin::testing::try_check(ev(0, "invoke", "cas", "[1,2]"), ModelKind::register_);
    ASSERT_FALSE(plain.ok());
    EXPECT_NE(plain.error().what.find("no operation 'cas'"), std::string::npos);
}

// 13 overlapping writes, then a read of a value none of them wrote: proving that no order
// works visits every subset of the writes (~100,000 configurations), enough to reach the polls.
std::string crowded_history() {
    constexpr int k_writers = 13;
    std::string h;
    for (int p = 0; p < k_writers; ++p) h += ev(p, "invoke", "write", std::to_string(p));
    for (int p = 0; p < k_writers; ++p) h += ev(p, "ok", "write", std::to_string(p));
    return h + ev(99, "invoke", "read", "null") + ev(99, "ok", "read", "-1");
}

TEST(CheckerLimits, ACallerStopGivesUnknownWithAReason) {
    auto operations = lin::parse_history(crowded_history(), lin::HistoryFormat::jsonl);
    ASSERT_TRUE(operations.ok());
    lin::CheckOptions options;
    options.model = ModelKind::register_;
    options.should_stop = [] { return true; };
    const auto report = lin::check_operations(operations.value(), options);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report.value().verdict, Verdict::unknown);
    EXPECT_NE(lin::testing::joined(report.value().details).find("time limit"), std::string::npos);
}

TEST(CheckerLimits, AMemoryCapGivesUnknownNotACrash) {
    auto operations = lin::parse_history(crowded_history(), lin::HistoryFormat::jsonl);
    ASSERT_TRUE(operations.ok());
    lin::CheckOptions options;
    options.model = ModelKind::register_;
    options.memory_bytes_max = 64 << 10;
    const auto report = lin::check_operations(operations.value(), options);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report.value().verdict, Verdict::unknown);
    EXPECT_NE(lin::testing::joined(report.value().details).find("memory limit"), std::string::npos);
}

TEST(CheckerLimits, WithoutLimitsTheCrowdedHistoryIsDecided) {
    // The read returns -1, never written: not linearizable, found without running out.
    EXPECT_EQ(verdict(crowded_history(), ModelKind::register_), Verdict::not_linearizable);
}

}  // namespace
