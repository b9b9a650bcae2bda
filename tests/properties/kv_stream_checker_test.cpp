// The checker with the kv and stream models, and per-key splitting.

#include <gtest/gtest.h>

#include "checker_test_util.hpp"

namespace lin = stormlog::properties::linearizability;
using lin::ModelKind;
using lin::Verdict;
using lin::testing::ev;
using lin::testing::verdict;

namespace {

std::string append(int p, const char* key, const std::string& value, const std::string& result) {
    return ev(p, "invoke", "append", value, key) + ev(p, "ok", "append", result, key);
}

std::string read(int p, const char* key, const std::string& value, const std::string& result) {
    return ev(p, "invoke", "read", value, key) + ev(p, "ok", "read", result, key);
}

TEST(KvChecker, AppendsConcatenateAndMissingKeysReadEmpty) {
    const std::string h = ev(0, "invoke", "get", "null", "a") + ev(0, "ok", "get", "\"\"", "a") +
                          append(0, "a", "\"x\"", "\"x\"") + append(1, "a", "\"y\"", "\"y\"") +
                          ev(2, "invoke", "get", "null", "a") + ev(2, "ok", "get", "\"xy\"", "a");
    EXPECT_EQ(verdict(h, ModelKind::kv), Verdict::linearizable);
}

TEST(KvChecker, KeysAreIndependentAndTheFailingKeyIsNamed) {
    const std::string h = ev(0, "invoke", "put", "\"1\"", "a") + ev(0, "ok", "put", "\"1\"", "a") +
                          ev(1, "invoke", "put", "\"2\"", "b") + ev(1, "ok", "put", "\"2\"", "b") +
                          ev(2, "invoke", "get", "null", "b") + ev(2, "ok", "get", "\"1\"", "b");
    const auto report = lin::testing::check(h, ModelKind::kv);
    ASSERT_EQ(report.verdict, Verdict::not_linearizable);
    EXPECT_EQ(report.partitions, 2u);
    EXPECT_NE(lin::testing::joined(report.details).find("key \"b\""), std::string::npos);
}

TEST(KvChecker, EqualStringsBuiltDifferentlyAreTheSameState) {
    // "ab" + "c" and "a" + "bc": a get of "abc" matches either way.
    const std::string h = ev(0, "invoke", "put", "\"ab\"") + ev(0, "ok", "put", "\"ab\"") +
                          append(0, nullptr, "\"c\"", "\"c\"") + ev(1, "invoke", "get", "null") +
                          ev(1, "ok", "get", "\"abc\"") + ev(0, "invoke", "put", "\"a\"") +
                          ev(0, "ok", "put", "\"a\"") + append(0, nullptr, "\"bc\"", "\"bc\"") +
                          ev(1, "invoke", "get", "null") + ev(1, "ok", "get", "\"abc\"");
    EXPECT_EQ(verdict(h, ModelKind::kv), Verdict::linearizable);
}

TEST(KvChecker, RejectsNonStringValuesWithTheirLine) {
    const auto report = lin::testing::try_check(append(0, "a", "3", "3"), ModelKind::kv);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().line, 1u);
    EXPECT_NE(report.error().what.find("must be a string"), std::string::npos);
}

const std::string k_no_stream = R"({"expected":"no_stream","events":["a","b"]})";

TEST(StreamChecker, AppendsThenReadsInOrder) {
    const std::string h =
        append(0, "s", k_no_stream, R"({"first":0,"last":1})") +
        append(1, "s", R"({"expected":1,"events":["c"]})", R"({"first":2,"last":2})") +
        read(2, "s", R"({"from":1,"max":5})", R"(["b","c"])") +
        read(2, "s", R"({"from":3,"max":5})", "[]");
    EXPECT_EQ(verdict(h, ModelKind::stream), Verdict::linearizable);
}

TEST(StreamChecker, RejectsAnAppendWhoseExpectedVersionCannotHold) {
    const std::string h = append(0, "s", k_no_stream, R"({"first":0,"last":1})") +
                          append(1, "s", R"({"expected":0,"events":["c"]})", "null");
    EXPECT_EQ(verdict(h, ModelKind::stream), Verdict::not_linearizable);
}

TEST(StreamChecker, RejectsWrongPositionsAndReads) {
    const std::string first = append(0, "s", k_no_stream, R"({"first":0,"last":1})");
    EXPECT_EQ(verdict(first + append(1, "s", R"({"events":["c"]})", R"({"first":3,"last":3})"),
                      ModelKind::stream),
              Verdict::not_linearizable);
    EXPECT_EQ(verdict(first + read(1, "s", R"({"from":0,"max":1})", R"(["b"])"), ModelKind::stream),
              Verdict::not_linearizable);
    EXPECT_EQ(verdict(first + read(1, "s", R"({"from":0,"max":5})", R"(["a"])"), ModelKind::stream),
              Verdict::not_linearizable);
}

TEST(StreamChecker, ARetriedAppendIsIdempotentAndKeepsItsPositions) {
    const std::string first = append(0, "s", k_no_stream, R"({"first":0,"last":1})");
    const std::string retry = R"({"expected":"no_stream","events":["a","b"]})";
    EXPECT_EQ(verdict(first + append(1, "s", retry, R"({"first":0,"last":1})"), ModelKind::stream),
              Verdict::linearizable);
    EXPECT_EQ(verdict(first + append(1, "s", retry, R"({"first":2,"last":3})"), ModelKind::stream),
              Verdict::not_linearizable);
    // Part of it already there, part not: the store refuses such an append.
    EXPECT_EQ(verdict(first + append(1, "s", R"({"events":["b","z"]})", "null"), ModelKind::stream),
              Verdict::not_linearizable);
}

TEST(StreamChecker, AWrongExpectedVersionRefusalMustBeJustified) {
    const std::string first = append(0, "s", k_no_stream, R"({"first":0,"last":1})");
    const std::string refused = R"({"refused":"wrong_expected_version"})";
    // The stream is at version 1: expecting 5 is refused rightly, expecting 1 wrongly.
    EXPECT_EQ(verdict(first + append(1, "s", R"({"expected":5,"events":["c"]})", refused),
                      ModelKind::stream),
              Verdict::linearizable);
    EXPECT_EQ(verdict(first + append(1, "s", R"({"expected":1,"events":["c"]})", refused),
                      ModelKind::stream),
              Verdict::not_linearizable);
    EXPECT_EQ(verdict(first + append(1, "s", R"({"events":["c"]})", refused), ModelKind::stream),
              Verdict::not_linearizable);  // "any" always holds
    // Concurrent with the first append, expecting no_stream can be refused: linearize it after.
    const std::string overlapping =
        ev(0, "invoke", "append", k_no_stream, "s") +
        ev(1, "invoke", "append", R"({"expected":"no_stream","events":["c"]})", "s") +
        ev(0, "ok", "append", R"({"first":0,"last":1})", "s") + ev(1, "ok", "append", refused, "s");
    EXPECT_EQ(verdict(overlapping, ModelKind::stream), Verdict::linearizable);
    // A resend of events already there is a replay (or a conflict), never a version refusal.
    EXPECT_EQ(verdict(first + append(1, "s", R"({"expected":7,"events":["a","b"]})", refused),
                      ModelKind::stream),
              Verdict::not_linearizable);
}

TEST(StreamChecker, AnIdempotencyConflictMustBeJustified) {
    const std::string first = append(0, "s", k_no_stream, R"({"first":0,"last":1})");
    const std::string conflict = R"({"refused":"idempotency_conflict"})";
    // Part of it there: a conflict. All of it there in order: a replay, so not a conflict.
    EXPECT_EQ(
        verdict(first + append(1, "s", R"({"events":["b","z"]})", conflict), ModelKind::stream),
        Verdict::linearizable);
    EXPECT_EQ(
        verdict(first + append(1, "s", R"({"events":["a","z"]})", conflict), ModelKind::stream),
        Verdict::linearizable);
    EXPECT_EQ(
        verdict(first + append(1, "s", R"({"events":["a","b"]})", conflict), ModelKind::stream),
        Verdict::not_linearizable);
    EXPECT_EQ(
        verdict(first + append(1, "s", R"({"events":["y","z"]})", conflict), ModelKind::stream),
        Verdict::not_linearizable);  // nothing of it there
    const auto bad = lin::testing::try_check(append(0, "s", k_no_stream, R"({"refused":"busy"})"),
                                             ModelKind::stream);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().line, 2u);
}

TEST(StreamChecker, AnInfoAppendMayHaveHappened) {
    const std::string h = ev(0, "invoke", "append", R"({"events":["a"]})", "s") +
                          ev(0, "info", "append", "null", "s");
    EXPECT_EQ(verdict(h + read(1, "s", R"({"from":0,"max":5})", R"(["a"])"), ModelKind::stream),
              Verdict::linearizable);
    EXPECT_EQ(verdict(h + read(1, "s", R"({"from":0,"max":5})", "[]"), ModelKind::stream),
              Verdict::linearizable);
}

TEST(StreamChecker, StreamsAreIndependent) {
    const std::string h = append(0, "s1", k_no_stream, R"({"first":0,"last":1})") +
                          append(1, "s2", k_no_stream, R"({"first":0,"last":1})");
    EXPECT_EQ(verdict(h, ModelKind::stream), Verdict::linearizable);
}

TEST(StreamChecker, ReportsMalformedValuesWithTheirLine) {
    const auto bad_read = lin::testing::try_check(
        append(0, "s", k_no_stream, "null") + read(1, "s", R"({"from":-1,"max":5})", "[]"),
        ModelKind::stream);
    ASSERT_FALSE(bad_read.ok());
    EXPECT_EQ(bad_read.error().line, 3u);
    const auto bad_result = lin::testing::try_check(
        append(0, "s", k_no_stream, R"({"first":0,"last":0})"), ModelKind::stream);
    ASSERT_FALSE(bad_result.ok());
    EXPECT_EQ(bad_result.error().line, 2u);  // the completion's value is wrong
    EXPECT_NE(bad_result.error().what.find("span the 2 events"), std::string::npos);
    EXPECT_FALSE(lin::testing::try_check(append(0, "s", R"({"events":["a","a"]})", "null"),
                                         ModelKind::stream)
                     .ok());
    EXPECT_FALSE(
        lin::testing::try_check(append(0, "s", R"({"events":[]})", "null"), ModelKind::stream)
            .ok());
    EXPECT_FALSE(lin::testing::try_check(append(0, "s", k_no_stream, "null"), ModelKind::stream, 0)
                     .ok());  // --initial makes no sense for streams
}

TEST(StreamChecker, DescribesTheStreamStateInFailures) {
    const std::string h = append(0, "s", k_no_stream, R"({"first":0,"last":1})") +
                          read(1, "s", R"({"from":0,"max":5})", R"(["a"])");
    const auto report = lin::testing::check(h, ModelKind::stream);
    ASSERT_EQ(report.verdict, Verdict::not_linearizable);
    EXPECT_NE(lin::testing::joined(report.details).find("version 1, events [\"a\", _]"),
              std::string::npos)
        << lin::testing::joined(report.details);
}

}  // namespace
