// Event logs: the lines `stormlog run --events` writes, reading them back, and finding where two
// logs part.

#include "reports/event_log.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "reports/event_diff.hpp"
#include "tests/support/files.hpp"

namespace stormlog::reports {
namespace {

using test_support::fresh_dir;
using test_support::write_text;
namespace fs = std::filesystem;

const uint64_t k_test_kind = sim::trace_kind_named("test.event_log");

sim::TraceRecord record(int64_t ns, uint32_t node, uint64_t kind, uint64_t digest) {
    return sim::TraceRecord{sim::Time::from_ns(ns), node, kind, digest};
}

// ---- writing ----

TEST(EventLogWriter, WritesOneLinePerRecordWithNamesAndHexDigests) {
    std::ostringstream out;
    EventLogWriter w(out);
    w.on_node(0, "n1");
    w.on_record(record(2'000'000'123, 0, k_test_kind, 0xab), "crash \"n2\"");
    w.on_record(record(5, sim::k_no_node, k_test_kind, 1), "");
    EXPECT_EQ(out.str(),
              "{\"t_ns\":2000000123,\"t\":\"2.000000123s\",\"node\":\"n1\",\"kind\":\"test.event_"
              "log\",\"digest\":\"00000000000000ab\",\"detail\":\"crash \\\"n2\\\"\"}\n"
              "{\"t_ns\":5,\"t\":\"0.000000005s\",\"node\":\"-\",\"kind\":\"test.event_log\","
              "\"digest\":\"0000000000000001\"}\n");
    EXPECT_EQ(w.events(), 2u);
}

TEST(EventLogWriter, AKindWithoutANameShowsItsHash) {
    const uint64_t unnamed = sim::trace_kind("test.unnamed");
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(unnamed));
    EXPECT_EQ(event_kind_name(unnamed), std::string("kind#") + hex);
    EXPECT_EQ(event_kind_name(k_test_kind), "test.event_log");
}

TEST(EventLogWriter, LinesReadBackAsTheEventsWritten) {
    std::ostringstream out;
    EventLogWriter w(out);
    w.on_node(0, "n1");
    w.on_record(record(7, 0, k_test_kind, 0xfeed), "why");
    Event e;
    std::string error;
    std::string line = out.str();
    line.pop_back();  // the newline
    ASSERT_TRUE(parse_event(line, e, error)) << error;
    EXPECT_EQ(e.t_ns, 7);
    EXPECT_EQ(e.node, "n1");
    EXPECT_EQ(e.kind, "test.event_log");
    EXPECT_EQ(e.digest, "000000000000feed");
    EXPECT_EQ(e.detail, "why");
}

// ---- reading ----

std::string parse_error(const std::string& line) {
    Event e;
    std::string error;
    EXPECT_FALSE(parse_event(line, e, error)) << line;
    return error;
}

const std::string k_good = R"({"t_ns":1,"node":"n1","kind":"k","digest":"0000000000000001"})";

TEST(EventLogReader, RefusesLinesThatAreNotEventsSayingWhy) {
    Event e;
    std::string error;
    ASSERT_TRUE(parse_event(k_good, e, error)) << error;
    EXPECT_EQ(parse_error(""), "an empty line (each line is one event)");
    EXPECT_TRUE(parse_error("{\"t_ns\":1,").starts_with("malformed JSON at column "));
    EXPECT_EQ(parse_error("not json"),
              "malformed JSON at column 2: invalid literal (expected a number, true, false, null "
              "or a \"string\")");
    EXPECT_EQ(parse_error("[1]"), "expected a JSON object, got [1]");
    EXPECT_EQ(parse_error(R"({"node":"n1","kind":"k","digest":"0000000000000001"})"),
              "t_ns: missing");
    EXPECT_EQ(parse_error(R"({"t_ns":-1,"node":"n1","kind":"k","digest":"0000000000000001"})"),
              "t_ns: expected a whole number of nanoseconds, got -1");
    EXPECT_EQ(parse_error(R"({"t_ns":"1","node":"n1","kind":"k","digest":"0000000000000001"})"),
              "t_ns: expected a whole number of nanoseconds, got \"1\"");
    EXPECT_EQ(parse_error(R"({"t_ns":1,"node":3,"kind":"k","digest":"0000000000000001"})"),
              "node: expected a string, got 3");
    EXPECT_EQ(parse_error(R"({"t_ns":1,"node":"n1","digest":"0000000000000001"})"),
              "kind: missing");
    EXPECT_EQ(parse_error(R"({"t_ns":1,"node":"n1","kind":"k","digest":"xyz"})"),
              "digest: expected 16 hex digits, got \"xyz\"");
    EXPECT_EQ(
        parse_error(R"({"t_ns":1,"t_ns":2,"node":"n1","kind":"k","digest":"0000000000000001"})"),
        "t_ns: given twice");
}

TEST(EventLogReader, NamesTheFileAndLineOfABadLine) {
    const fs::path dir = fresh_dir();
    write_text(dir / "a.jsonl", k_good + "\n" + k_good + "\n{oops\n");
    EventLogReader r;
    std::string error;
    ASSERT_TRUE(r.open((dir / "a.jsonl").string(), error)) << error;
    Event e;
    EXPECT_TRUE(r.next(e, error));
    EXPECT_TRUE(r.next(e, error));
    EXPECT_EQ(e.line, 2u);
    EXPECT_FALSE(r.next(e, error));
    EXPECT_TRUE(error.starts_with((dir / "a.jsonl").string() + ":3: malformed JSON")) << error;
    fs::remove_all(dir);
}

TEST(EventLogReader, AMissingFileCannotBeRead) {
    EventLogReader r;
    std::string error;
    EXPECT_FALSE(r.open("/nonexistent-stormlog-dir/a.jsonl", error));
    EXPECT_EQ(error, "/nonexistent-stormlog-dir/a.jsonl: cannot read");
}

// ---- diffing ----

// A log of events at t = 1..n ns, each with digest = its time, except as `change` says.
std::string log_of(int n, int changed_at = 0) {
    std::ostringstream out;
    EventLogWriter w(out);
    w.on_node(0, "n1");
    for (int t = 1; t <= n; ++t) {
        const uint64_t digest = t == changed_at ? 999 : static_cast<uint64_t>(t);
        w.on_record(record(t, 0, k_test_kind, digest), "event " + std::to_string(t));
    }
    return out.str();
}

struct Diffed {
    bool ok = false;
    EventDiff diff;
    std::string error;
    std::string text;
};

Diffed diff_texts(const std::string& a, const std::string& b, size_t context = 5) {
    const fs::path dir = fresh_dir();
    write_text(dir / "a.jsonl", a);
    write_text(dir / "b.jsonl", b);
    Diffed d;
    d.ok = diff_event_logs((dir / "a.jsonl").string(), (dir / "b.jsonl").string(), context, d.diff,
                           d.error);
    if (d.ok) d.text = format_event_diff(d.diff, "a.jsonl", "b.jsonl");
    fs::remove_all(dir);
    return d;
}

TEST(EventDiff, TheSameLogsAreIdentical) {
    const Diffed d = diff_texts(log_of(20), log_of(20));
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.diff.outcome, EventDiff::Outcome::identical);
    EXPECT_EQ(d.text, "identical (20 events)\n");
}

TEST(EventDiff, OnlyWhatTheHashFoldsCountsNotTheReadableDetail) {
    std::string b = log_of(3);
    b.replace(b.find("event 2"), 7, "EVENT 2");
    const Diffed d = diff_texts(log_of(3), b);
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.diff.outcome, EventDiff::Outcome::identical);
}

TEST(EventDiff, FindsTheFirstDifferingEventWithItsContext) {
    const Diffed d = diff_texts(log_of(20), log_of(20, 12), 3);
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.diff.outcome, EventDiff::Outcome::diverged);
    EXPECT_EQ(d.diff.common, 11u);
    ASSERT_TRUE(d.diff.at_a && d.diff.at_b);
    EXPECT_EQ(d.diff.at_a->line, 12u);
    EXPECT_EQ(d.diff.at_b->digest, "00000000000003e7");
    EXPECT_EQ(
        d.text,
        "a.jsonl and b.jsonl diverge at event 12 (digest differs), after 11 identical events\n"
        "--- a.jsonl\n"
        "  a.jsonl:9  0.000000009s  n1  test.event_log  0000000000000009  event 9\n"
        "  a.jsonl:10  0.000000010s  n1  test.event_log  000000000000000a  event 10\n"
        "  a.jsonl:11  0.000000011s  n1  test.event_log  000000000000000b  event 11\n"
        "> a.jsonl:12  0.000000012s  n1  test.event_log  000000000000000c  event 12\n"
        "--- b.jsonl\n"
        "  b.jsonl:9  0.000000009s  n1  test.event_log  0000000000000009  event 9\n"
        "  b.jsonl:10  0.000000010s  n1  test.event_log  000000000000000a  event 10\n"
        "  b.jsonl:11  0.000000011s  n1  test.event_log  000000000000000b  event 11\n"
        "> b.jsonl:12  0.000000012s  n1  test.event_log  00000000000003e7  event 12\n");
}

TEST(EventDiff, ADifferenceAtTheFirstEventHasNoContext) {
    const Diffed d = diff_texts(log_of(5), log_of(5, 1));
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.diff.common, 0u);
    EXPECT_TRUE(d.diff.before_a.empty());
    EXPECT_EQ(d.diff.at_a->line, 1u);
}

TEST(EventDiff, ContextZeroShowsOnlyTheDifferingEvents) {
    const Diffed d = diff_texts(log_of(20), log_of(20, 12), 0);
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_TRUE(d.diff.before_a.empty());
    EXPECT_TRUE(d.diff.before_b.empty());
    EXPECT_EQ(d.diff.at_a->line, 12u);
}

TEST(EventDiff, SaysWhichLogIsAPrefixOfTheOther) {
    const Diffed shorter_a = diff_texts(log_of(10), log_of(12));
    ASSERT_TRUE(shorter_a.ok) << shorter_a.error;
    EXPECT_EQ(shorter_a.diff.outcome, EventDiff::Outcome::a_ended);
    EXPECT_FALSE(shorter_a.diff.at_a);
    EXPECT_EQ(shorter_a.diff.at_b->line, 11u);
    EXPECT_TRUE(shorter_a.text.starts_with(
        "a.jsonl is a prefix of b.jsonl: its 10 events are the first of b.jsonl, which goes on "
        "at event 11\n"))
        << shorter_a.text;
    EXPECT_NE(shorter_a.text.find("> a.jsonl: ends after line 10\n"), std::string::npos);
    const Diffed shorter_b = diff_texts(log_of(12), log_of(10));
    ASSERT_TRUE(shorter_b.ok) << shorter_b.error;
    EXPECT_EQ(shorter_b.diff.outcome, EventDiff::Outcome::b_ended);
    EXPECT_TRUE(shorter_b.text.starts_with("b.jsonl is a prefix of a.jsonl: its 10 events"));
}

TEST(EventDiff, ABadLineInEitherLogIsAnErrorNamingItsLine) {
    const Diffed bad_b = diff_texts(log_of(3), log_of(2) + "{\"t_ns\":3}\n");
    EXPECT_FALSE(bad_b.ok);
    EXPECT_NE(bad_b.error.find("b.jsonl:3: node: missing"), std::string::npos) << bad_b.error;
    const Diffed bad_a = diff_texts("\n" + log_of(3), log_of(3));
    EXPECT_FALSE(bad_a.ok);
    EXPECT_NE(bad_a.error.find("a.jsonl:1: an empty line"), std::string::npos) << bad_a.error;
}

}  // namespace
}  // namespace stormlog::reports
