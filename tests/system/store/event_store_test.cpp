// EventStore and its command encoding: each expected-version kind (match and mismatch),
// idempotent retries that report the original positions whatever `expected` says, idempotency
// conflicts, read/read_all bounds, noops, the encoding's exactness, and the deliberate bugs.

#include "system/store/event_store.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "system/store/command.hpp"

namespace stormlog::system::store {
namespace {

std::vector<EventData> events(std::initializer_list<const char*> ids) {
    std::vector<EventData> out;
    for (const char* id : ids) {
        const std::string s(id);
        out.push_back(EventData{s, std::vector<uint8_t>(s.begin(), s.end())});
    }
    return out;
}

AppendCommand cmd(const std::string& stream, Expected expected,
                  std::initializer_list<const char*> ids) {
    return AppendCommand{stream, expected, events(ids)};
}

std::vector<std::string> ids_of(const std::vector<RecordedEvent>& es) {
    std::vector<std::string> out;
    for (const RecordedEvent& e : es) out.push_back(e.id);
    return out;
}

using Ids = std::vector<std::string>;

// ---- Expected versions ---------------------------------------------------------------------

TEST(EventStoreExpected, AnyAppendsToAbsentAndExistingStreams) {
    EventStore s;
    const AppendResult a = s.append(cmd("s", Expected::any(), {"a", "b"}));
    EXPECT_EQ(a.status, AppendStatus::ok);
    EXPECT_EQ(a.first, 0);
    EXPECT_EQ(a.last, 1);
    EXPECT_EQ(a.actual_version, -1);
    EXPECT_FALSE(a.replay);
    const AppendResult b = s.append(cmd("s", Expected::any(), {"c"}));
    EXPECT_EQ(b.status, AppendStatus::ok);
    EXPECT_EQ(b.first, 2);
    EXPECT_EQ(b.actual_version, 1);
    EXPECT_EQ(s.version("s"), 2);
}

TEST(EventStoreExpected, NoStreamSucceedsOnlyWhileTheStreamIsAbsent) {
    EventStore s;
    EXPECT_EQ(s.append(cmd("s", Expected::no_stream(), {"a"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("s", Expected::no_stream(), {"b"}));
    EXPECT_EQ(r.status, AppendStatus::wrong_expected_version);
    EXPECT_EQ(r.actual_version, 0);
    EXPECT_EQ(r.first, -1);
    EXPECT_EQ(s.version("s"), 0);
    EXPECT_EQ(s.head(), 1u);
}

TEST(EventStoreExpected, StreamExistsFailsOnAnAbsentStreamAndCreatesNothing) {
    EventStore s;
    const AppendResult r = s.append(cmd("s", Expected::stream_exists(), {"a"}));
    EXPECT_EQ(r.status, AppendStatus::wrong_expected_version);
    EXPECT_EQ(r.actual_version, -1);
    EXPECT_EQ(s.streams(), 0u);
    EXPECT_EQ(s.head(), 0u);
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a"})).status, AppendStatus::ok);
    EXPECT_EQ(s.append(cmd("s", Expected::stream_exists(), {"b"})).status, AppendStatus::ok);
    EXPECT_EQ(s.version("s"), 1);
}

TEST(EventStoreExpected, ExactMatchesOnlyTheCurrentVersion) {
    EventStore s;
    EXPECT_EQ(s.append(cmd("s", Expected::exact(0), {"a"})).status,
              AppendStatus::wrong_expected_version);
    EXPECT_EQ(s.append(cmd("s", Expected::exact(-1), {"a"})).status, AppendStatus::ok);
    const AppendResult stale = s.append(cmd("s", Expected::exact(-1), {"b"}));
    EXPECT_EQ(stale.status, AppendStatus::wrong_expected_version);
    EXPECT_EQ(stale.actual_version, 0);
    const AppendResult ahead = s.append(cmd("s", Expected::exact(5), {"b"}));
    EXPECT_EQ(ahead.status, AppendStatus::wrong_expected_version);
    EXPECT_EQ(s.append(cmd("s", Expected::exact(0), {"b"})).status, AppendStatus::ok);
    EXPECT_EQ(s.version("s"), 1);
}

TEST(EventStoreExpected, ToStringNamesEachKind) {
    EXPECT_EQ(to_string(Expected::any()), "any");
    EXPECT_EQ(to_string(Expected::no_stream()), "no_stream");
    EXPECT_EQ(to_string(Expected::stream_exists()), "stream_exists");
    EXPECT_EQ(to_string(Expected::exact(3)), "3");
    EXPECT_STREQ(to_string(AppendStatus::wrong_expected_version), "wrong_expected_version");
}

// ---- Idempotence ---------------------------------------------------------------------------

TEST(EventStoreIdempotence, ARetryReportsTheOriginalPositionsWhateverExpectedSays) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("x", Expected::any(), {"x0"})).status, AppendStatus::ok);
    const AppendResult original = s.append(cmd("s", Expected::no_stream(), {"a", "b"}));
    ASSERT_EQ(original.status, AppendStatus::ok);
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"c"})).status, AppendStatus::ok);
    for (Expected e : {Expected::no_stream(), Expected::any(), Expected::stream_exists(),
                       Expected::exact(-1), Expected::exact(7)}) {
        const AppendResult r = s.append(cmd("s", e, {"a", "b"}));
        EXPECT_EQ(r.status, AppendStatus::ok) << to_string(e);
        EXPECT_TRUE(r.replay);
        EXPECT_EQ(r.first, 0);
        EXPECT_EQ(r.last, 1);
        EXPECT_EQ(r.first_global, 1u);
        EXPECT_EQ(r.last_global, 2u);
        EXPECT_EQ(r.first_global, original.first_global);
        EXPECT_EQ(r.actual_version, 2);
    }
    EXPECT_EQ(s.head(), 4u);
    EXPECT_EQ(ids_of(s.read("s", 0, 10)), (Ids{"a", "b", "c"}));
}

TEST(EventStoreIdempotence, ARetryOfASuffixOfABatchIsAReplayToo) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b", "c"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("s", Expected::no_stream(), {"b", "c"}));
    EXPECT_EQ(r.status, AppendStatus::ok);
    EXPECT_TRUE(r.replay);
    EXPECT_EQ(r.first, 1);
    EXPECT_EQ(r.last, 2);
}

TEST(EventStoreIdempotence, SomeButNotAllEventsPresentIsAConflict) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("s", Expected::any(), {"a", "b", "c"}));
    EXPECT_EQ(r.status, AppendStatus::idempotency_conflict);
    EXPECT_EQ(r.actual_version, 1);
    EXPECT_FALSE(r.replay);
    EXPECT_EQ(s.head(), 2u);
}

TEST(EventStoreIdempotence, PresentButNotConsecutiveOrNotInOrderIsAConflict) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b", "c"})).status, AppendStatus::ok);
    EXPECT_EQ(s.append(cmd("s", Expected::any(), {"a", "c"})).status,
              AppendStatus::idempotency_conflict);
    EXPECT_EQ(s.append(cmd("s", Expected::any(), {"b", "a"})).status,
              AppendStatus::idempotency_conflict);
    EXPECT_EQ(s.head(), 3u);
}

TEST(EventStoreIdempotence, ANewFirstEventWithALaterKnownEventIsAConflict) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("s", Expected::any(), {"z", "a"}));
    EXPECT_EQ(r.status, AppendStatus::idempotency_conflict);
    EXPECT_EQ(s.head(), 1u);
}

TEST(EventStoreIdempotence, IdsAreScopedToTheirStream) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("t", Expected::no_stream(), {"a"}));
    EXPECT_EQ(r.status, AppendStatus::ok);
    EXPECT_FALSE(r.replay);
    EXPECT_EQ(r.first_global, 1u);
    EXPECT_EQ(s.streams(), 2u);
}

TEST(EventStoreIdempotence, IdempotenceIsCheckedBeforeTheExpectedVersion) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b"})).status, AppendStatus::ok);
    // Both a stale expectation and a conflict: the conflict is what is reported.
    EXPECT_EQ(s.append(cmd("s", Expected::no_stream(), {"a", "x"})).status,
              AppendStatus::idempotency_conflict);
}

// ---- Reads ---------------------------------------------------------------------------------

TEST(EventStoreRead, ReadReturnsTheRangeThatExists) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b", "c"})).status, AppendStatus::ok);
    EXPECT_EQ(ids_of(s.read("s", 0, 2)), (Ids{"a", "b"}));
    EXPECT_EQ(ids_of(s.read("s", 1, 10)), (Ids{"b", "c"}));
    EXPECT_EQ(ids_of(s.read("s", 2, 1)), (Ids{"c"}));
    EXPECT_TRUE(s.read("s", 3, 10).empty());
    EXPECT_TRUE(s.read("s", 0, 0).empty());
    EXPECT_TRUE(s.read("nope", 0, 10).empty());
}

TEST(EventStoreRead, RecordedEventsCarryPositionsAndThePayloadAsGiven) {
    EventStore s;
    AppendCommand c = cmd("s", Expected::any(), {"a"});
    c.events[0].data = {0, 255, 0, 7};
    ASSERT_EQ(s.append(cmd("t", Expected::any(), {"t0"})).status, AppendStatus::ok);
    ASSERT_EQ(s.append(c).status, AppendStatus::ok);
    const std::vector<RecordedEvent> got = s.read("s", 0, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (RecordedEvent{"s", 0, 1, "a", {0, 255, 0, 7}}));
}

TEST(EventStoreRead, ReadAllIsGapFreeAcrossStreamsInApplyOrder) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b"})).status, AppendStatus::ok);
    ASSERT_EQ(s.append(cmd("t", Expected::any(), {"c"})).status, AppendStatus::ok);
    ASSERT_EQ(s.append(cmd("s", Expected::exact(9), {"d"})).status,
              AppendStatus::wrong_expected_version);
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"e"})).status, AppendStatus::ok);
    const std::vector<RecordedEvent> all = s.read_all(0, 100);
    ASSERT_EQ(ids_of(all), (Ids{"a", "b", "c", "e"}));
    for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].global_position, i);
    EXPECT_EQ(all[3].stream, "s");
    EXPECT_EQ(all[3].stream_position, 2);
    EXPECT_EQ(ids_of(s.read_all(1, 2)), (Ids{"b", "c"}));
    EXPECT_EQ(ids_of(s.read_all(3, 100)), (Ids{"e"}));
    EXPECT_TRUE(s.read_all(4, 100).empty());
    EXPECT_TRUE(s.read_all(1, 0).empty());
    EXPECT_EQ(s.head(), 4u);
}

// ---- apply and noops -----------------------------------------------------------------------

TEST(EventStoreApply, ANoopOnlyAdvancesTheAppliedIndex) {
    EventStore s;
    EXPECT_EQ(s.apply(1, NoopCommand{}), AppendResult{});
    EXPECT_EQ(s.applied_index(), 1u);
    EXPECT_EQ(s.head(), 0u);
    EXPECT_EQ(s.streams(), 0u);
}

TEST(EventStoreApply, AnAppendAppliesAsAppendDoesAndRecordsTheIndex) {
    EventStore s;
    EXPECT_EQ(s.apply(3, NoopCommand{}).status, AppendStatus::ok);
    const AppendResult r = s.apply(7, cmd("s", Expected::no_stream(), {"a"}));
    EXPECT_EQ(r.status, AppendStatus::ok);
    EXPECT_EQ(r.first, 0);
    EXPECT_EQ(s.applied_index(), 7u);
    // A refused append was still applied at its index.
    EXPECT_EQ(s.apply(8, cmd("s", Expected::no_stream(), {"b"})).status,
              AppendStatus::wrong_expected_version);
    EXPECT_EQ(s.applied_index(), 8u);
}

// ---- Deliberate bugs -----------------------------------------------------------------------

TEST(EventStoreBugs, SkipIdempotencyDuplicatesARetry) {
    EventStoreOptions o;
    o.bug_skip_idempotency = true;
    EventStore s(o);
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("s", Expected::any(), {"a", "b"}));
    EXPECT_EQ(r.status, AppendStatus::ok);
    EXPECT_FALSE(r.replay);
    EXPECT_EQ(r.first, 2);
    EXPECT_EQ(ids_of(s.read("s", 0, 10)), (Ids{"a", "b", "a", "b"}));
}

TEST(EventStoreBugs, IgnoreExpectedVersionAppendsOnAMismatch) {
    EventStoreOptions o;
    o.bug_ignore_expected_version = true;
    EventStore s(o);
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a"})).status, AppendStatus::ok);
    const AppendResult r = s.append(cmd("s", Expected::no_stream(), {"b"}));
    EXPECT_EQ(r.status, AppendStatus::ok);
    EXPECT_EQ(r.first, 1);
    EXPECT_EQ(s.version("s"), 1);
}

TEST(EventStoreBugs, WithoutTheFlagsTheSameCommandsBehave) {
    EventStore s;
    ASSERT_EQ(s.append(cmd("s", Expected::any(), {"a", "b"})).status, AppendStatus::ok);
    EXPECT_TRUE(s.append(cmd("s", Expected::any(), {"a", "b"})).replay);
    EXPECT_EQ(s.append(cmd("s", Expected::no_stream(), {"c"})).status,
              AppendStatus::wrong_expected_version);
    EXPECT_EQ(s.version("s"), 1);
}

// ---- Command encoding ----------------------------------------------------------------------

TEST(CommandEncoding, RoundTripsNoopAndAppends) {
    const Command noop = NoopCommand{};
    EXPECT_EQ(decode_command(encode_command(noop)), noop);
    AppendCommand c = cmd("acct-7", Expected::exact(41), {"e1", "e2"});
    c.events[1].data.clear();
    for (Expected e : {Expected::any(), Expected::no_stream(), Expected::stream_exists(),
                       Expected::exact(-1), Expected::exact(41)}) {
        c.expected = e;
        const Command command = c;
        EXPECT_EQ(decode_command(encode_command(command)), command) << to_string(e);
    }
}

TEST(CommandEncoding, TheFormatStartsWithItsVersionAndTypeBytes) {
    EXPECT_EQ(encode_command(NoopCommand{}), (std::vector<uint8_t>{k_command_format, 0}));
    const std::vector<uint8_t> b = encode_command(cmd("s", Expected::no_stream(), {"a"}));
    // format, type, client 0, request 0, stream "s", kind, count 1, id "a", data "a".
    EXPECT_EQ(b, (std::vector<uint8_t>{1, 1, 0, 0, 0,   0, 0, 0, 0, 0, 0,   0, 0, 0, 0, 0,
                                       0, 0, 1, 0, 's', 1, 1, 0, 1, 0, 'a', 1, 0, 0, 0, 'a'}));
}

TEST(CommandEncoding, DecodeRejectsEveryTruncationAndAnyTrailingByte) {
    const std::vector<uint8_t> b = encode_command(cmd("s", Expected::exact(3), {"a", "bb"}));
    for (size_t n = 0; n < b.size(); ++n) {
        EXPECT_FALSE(decode_command(std::span(b).first(n)).has_value()) << n;
    }
    std::vector<uint8_t> extended = b;
    extended.push_back(0);
    EXPECT_FALSE(decode_command(extended).has_value());
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{k_command_format, 0, 0}).has_value());
}

TEST(CommandEncoding, DecodeRejectsUnknownFormatTypeAndKind) {
    std::vector<uint8_t> b = encode_command(cmd("s", Expected::no_stream(), {"a"}));
    std::vector<uint8_t> bad = b;
    bad[0] = 2;
    EXPECT_FALSE(decode_command(bad).has_value());
    bad = b;
    bad[1] = 2;
    EXPECT_FALSE(decode_command(bad).has_value());
    bad = b;
    bad[21] = 4;  // the expected kind
    EXPECT_FALSE(decode_command(bad).has_value());
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}).has_value());
}

TEST(CommandEncoding, DecodeRejectsWhatEncodeCouldNotHaveWritten) {
    // Zero events.
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{1, 1, 1, 0, 's', 0, 0, 0}).has_value());
    // Two events with the same id.
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{1, 1, 1, 0, 's', 0, 2,   0, 1, 0, 'a',
                                                     0, 0, 0, 0, 1,   0, 'a', 0, 0, 0, 0})
                     .has_value());
    // An empty stream name.
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{1, 1, 0, 0, 0, 1, 0, 1, 0, 'a', 0, 0, 0, 0})
                     .has_value());
    // An exact version below -1.
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{1,    1,    1,    0,    's',  3,    0xfe, 0xff,
                                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1,    0,
                                                     1,    0,    'a',  0,    0,    0,    0})
                     .has_value());
}

TEST(CommandEncoding, DecodeRejectsLengthsBeyondTheBoundsWithoutAllocatingThem) {
    // A data length of 4 GiB - 1 with four bytes behind it.
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{1, 1, 1, 0, 's', 0, 1, 0, 1, 0, 'a', 0xff,
                                                     0xff, 0xff, 0xff, 0, 0, 0, 0})
                     .has_value());
    // 65535 events claimed.
    EXPECT_FALSE(decode_command(std::vector<uint8_t>{1, 1, 1, 0, 's', 0, 0xff, 0xff}).has_value());
    // A stream name one byte over the bound, all bytes present.
    std::vector<uint8_t> b{1, 1};
    b.push_back(static_cast<uint8_t>((k_stream_bytes_max + 1) & 0xff));
    b.push_back(static_cast<uint8_t>((k_stream_bytes_max + 1) >> 8));
    b.insert(b.end(), k_stream_bytes_max + 1, 's');
    b.insert(b.end(), {0, 1, 0, 1, 0, 'a', 0, 0, 0, 0});
    EXPECT_FALSE(decode_command(b).has_value());
}

TEST(CommandEncoding, ValidateNamesTheOffendingField) {
    EXPECT_FALSE(validate(cmd("s", Expected::any(), {"a"})).has_value());
    EXPECT_NE(validate(cmd("", Expected::any(), {"a"}))->find("stream"), std::string::npos);
    EXPECT_NE(validate(cmd("s", Expected::any(), {}))->find("events"), std::string::npos);
    EXPECT_NE(validate(cmd("s", Expected::any(), {"a", "a"}))->find("twice"), std::string::npos);
    EXPECT_NE(validate(cmd("s", Expected::exact(-2), {"a"}))->find("expected"), std::string::npos);
    AppendCommand big = cmd("s", Expected::any(), {"a"});
    big.events[0].data.assign(k_event_data_bytes_max + 1, 0);
    EXPECT_TRUE(validate(big).has_value());
    big.events[0].data.pop_back();
    EXPECT_FALSE(validate(big).has_value());
    EXPECT_EQ(decode_command(encode_command(big)), Command{big});
}

}  // namespace
}  // namespace stormlog::system::store

namespace stormlog::system::store {
namespace {

TEST(EventStoreSnapshot, AnEmptyStoreRoundTrips) {
    const EventStore empty;
    const std::optional<EventStore> back = EventStore::restore(empty.snapshot());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->head(), 0u);
    EXPECT_EQ(back->applied_index(), 0u);
    EXPECT_EQ(back->snapshot(), empty.snapshot());
}

TEST(EventStoreSnapshot, SessionsSurviveSoARetryIsAnsweredFromTheFirstResult) {
    EventStore store;
    AppendCommand c{"s", Expected::no_stream(), {EventData{"e1", {1}}}};
    c.client = 7;
    c.request = 3;
    const AppendResult first = store.apply(1, c);
    std::optional<EventStore> back = EventStore::restore(store.snapshot());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->applied_index(), 1u);
    // The same request again: the session answers it (not a wrong_expected_version re-evaluation).
    EXPECT_EQ(back->apply(2, c), first);
    c.request = 2;
    EXPECT_EQ(back->apply(3, c).status, AppendStatus::stale_request);
}

}  // namespace
}  // namespace stormlog::system::store
