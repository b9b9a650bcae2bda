// The event store's client sessions (Raft thesis 6.3): a duplicated or delayed attempt is answered
// from the first evaluation, an older request of a client is stale, client 0 has no session -
// checked by hand and against a model for random duplicated and delayed deliveries.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "system/store/command.hpp"
#include "system/store/event_store.hpp"

namespace stormlog::system::store {
namespace {

// ---- 4. Client sessions ------------------------------------------------------------------------

AppendCommand session_append(uint64_t client, uint64_t request, const std::string& stream,
                             Expected expected, const std::vector<std::string>& ids) {
    AppendCommand c{stream, expected, {}, client, request};
    for (const std::string& id : ids) c.events.push_back(EventData{id, {}});
    return c;
}

class ClientSession : public ::testing::Test {
  protected:
    AppendResult apply(const AppendCommand& c) { return store.apply(++index, c); }
    std::vector<RecordedEvent> all() const { return store.read_all(0, 1000); }

    EventStore store;
    uint64_t index = 0;
};

TEST_F(ClientSession, SameRequestTwiceReturnsTheFirstResult) {
    const AppendCommand c = session_append(7, 1, "s", Expected::any(), {"a", "b"});
    const AppendResult first = apply(c);
    ASSERT_EQ(first.status, AppendStatus::ok);
    EXPECT_FALSE(first.replay);
    const std::vector<RecordedEvent> after_first = all();
    const AppendResult second = apply(c);
    EXPECT_EQ(second, first);  // not an idempotent replay (replay=false): not evaluated again
    EXPECT_EQ(all(), after_first);
    EXPECT_EQ(store.head(), 2u);
}

TEST_F(ClientSession, RememberedWrongExpectedVersionOutlivesTheStreamCatchingUp) {
    const AppendCommand c = session_append(7, 1, "s", Expected::exact(0), {"a"});
    const AppendResult first = apply(c);
    ASSERT_EQ(first.status, AppendStatus::wrong_expected_version);
    EXPECT_EQ(first.actual_version, -1);
    // Another client creates the stream: it is now at the version c expected.
    ASSERT_EQ(apply(session_append(8, 1, "s", Expected::no_stream(), {"x"})).status,
              AppendStatus::ok);
    ASSERT_EQ(store.version("s"), 0);
    const std::vector<RecordedEvent> before = all();
    EXPECT_EQ(apply(c), first);
    EXPECT_EQ(all(), before);
    EXPECT_EQ(store.version("s"), 0);
}

TEST_F(ClientSession, OlderRequestIsStaleAndChangesNothing) {
    const AppendCommand newer = session_append(7, 5, "s", Expected::any(), {"a"});
    const AppendResult first = apply(newer);
    ASSERT_EQ(first.status, AppendStatus::ok);
    const std::vector<RecordedEvent> before = all();
    for (const uint64_t older : {4u, 1u}) {
        const AppendResult r = apply(session_append(7, older, "t", Expected::any(), {"b"}));
        EXPECT_EQ(r.status, AppendStatus::stale_request);
        EXPECT_EQ(all(), before);
        EXPECT_EQ(store.version("t"), -1);
        EXPECT_EQ(store.streams(), 1u);
    }
    EXPECT_EQ(apply(newer), first);  // a stale copy does not displace the session's result
    EXPECT_EQ(all(), before);
    const AppendResult next = apply(session_append(7, 6, "s", Expected::exact(0), {"c"}));
    EXPECT_EQ(next.status, AppendStatus::ok);
    EXPECT_EQ(next.first, 1);
    // A stale request of one client leaves other clients alone.
    EXPECT_EQ(apply(session_append(9, 1, "t", Expected::any(), {"b"})).status, AppendStatus::ok);
}

TEST_F(ClientSession, ClientZeroHasNoSession) {
    // Same request id twice, no session: the second attempt is evaluated (an idempotent replay).
    const AppendCommand c = session_append(0, 1, "s", Expected::any(), {"a"});
    const AppendResult first = apply(c);
    ASSERT_EQ(first.status, AppendStatus::ok);
    const AppendResult second = apply(c);
    EXPECT_EQ(second.status, AppendStatus::ok);
    EXPECT_TRUE(second.replay);
    EXPECT_EQ(store.head(), 1u);
    // Different events under the same and an older request id are both written.
    EXPECT_EQ(apply(session_append(0, 1, "s", Expected::any(), {"b"})).status, AppendStatus::ok);
    EXPECT_EQ(apply(session_append(0, 0, "s", Expected::any(), {"c"})).status, AppendStatus::ok);
    EXPECT_EQ(store.head(), 3u);
    // A refused append without a session is evaluated again once the stream has caught up.
    const AppendCommand waits = session_append(0, 2, "u", Expected::exact(0), {"w"});
    EXPECT_EQ(apply(waits).status, AppendStatus::wrong_expected_version);
    ASSERT_EQ(apply(session_append(0, 3, "u", Expected::any(), {"v"})).status, AppendStatus::ok);
    EXPECT_EQ(apply(waits).status, AppendStatus::ok);
    EXPECT_EQ(store.version("u"), 1);
}

TEST_F(ClientSession, NoopsDoNotDisturbSessions) {
    const AppendCommand c = session_append(3, 1, "s", Expected::no_stream(), {"a"});
    const AppendResult first = apply(c);
    EXPECT_EQ(store.apply(++index, NoopCommand{}), AppendResult{});
    EXPECT_EQ(apply(c), first);
    EXPECT_EQ(store.head(), 1u);
}

// ---- 4b. Duplicated and delayed deliveries against a model --------------------------------------

// The append rules of the stream model, plainly: a stream is its list of ids.
struct AppendModel {
    std::map<std::string, std::vector<std::string>> streams;
    std::vector<RecordedEvent> all;

    AppendResult append(const AppendCommand& c) {
        const std::vector<std::string> ids =
            streams.count(c.stream) ? streams[c.stream] : std::vector<std::string>{};
        const auto position = [&ids](const std::string& id) -> int64_t {
            const auto it = std::find(ids.begin(), ids.end(), id);
            return it == ids.end() ? -1 : it - ids.begin();
        };
        const int64_t n = static_cast<int64_t>(c.events.size());
        AppendResult r;
        r.actual_version = static_cast<int64_t>(ids.size()) - 1;
        const int64_t first = position(c.events[0].id);
        for (int64_t i = 1; i < n; ++i) {
            const int64_t at = position(c.events[static_cast<size_t>(i)].id);
            if (first < 0 ? at >= 0 : at != first + i) {
                r.status = AppendStatus::idempotency_conflict;
                return r;
            }
        }
        const auto global_of = [&](int64_t p) {
            for (const RecordedEvent& e : all)
                if (e.stream == c.stream && e.stream_position == p) return e.global_position;
            return std::numeric_limits<uint64_t>::max();
        };
        if (first >= 0) {
            r.replay = true;
            r.first = first;
            r.last = first + n - 1;
            r.first_global = global_of(r.first);
            r.last_global = global_of(r.last);
            return r;
        }
        if (!c.expected.holds(r.actual_version)) {
            r.status = AppendStatus::wrong_expected_version;
            return r;
        }
        r.first = r.actual_version + 1;
        r.first_global = all.size();
        std::vector<std::string>& stream = streams[c.stream];
        for (const EventData& e : c.events) {
            all.push_back(RecordedEvent{c.stream, static_cast<int64_t>(stream.size()), all.size(),
                                        e.id, e.data});
            stream.push_back(e.id);
        }
        r.last = r.first + n - 1;
        r.last_global = all.size() - 1;
        return r;
    }
};

struct Call {
    AppendCommand command;
    std::vector<int> delays;  // one more delivery per delay, that many slots after the first
};

rc::Gen<std::vector<Call>> gen_calls() {
    return rc::gen::exec([] {
        const size_t n = *rc::gen::inRange<size_t>(0, 40);
        std::vector<Call> calls;
        uint64_t next_request[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < n; ++i) {
            Call call;
            AppendCommand& c = call.command;
            c.client = *rc::gen::inRange<uint64_t>(0, 4);  // 0: no session
            // Request ids increase per client in call order, sometimes with gaps.
            next_request[c.client] += *rc::gen::inRange<uint64_t>(1, 3);
            c.request = next_request[c.client];
            c.stream = *rc::gen::elementOf(std::vector<std::string>{"a", "b"});
            c.expected = *rc::gen::elementOf(std::vector<Expected>{
                Expected::any(), Expected::no_stream(), Expected::stream_exists(),
                Expected::exact(-1), Expected::exact(0), Expected::exact(1), Expected::exact(2)});
            // Ids from a small pool, so that retries and conflicts by id also happen.
            const int first = *rc::gen::inRange(0, 6);
            const int count = *rc::gen::inRange(1, 3);
            for (int k = 0; k < count; ++k)
                c.events.push_back(
                    EventData{"e" + std::to_string((first + k) % 6), {static_cast<uint8_t>(i)}});
            // Without a session a copy would be evaluated again, so only session calls repeat.
            if (c.client != 0)
                call.delays = *rc::gen::container<std::vector<int>>(*rc::gen::inRange<size_t>(0, 4),
                                                                    rc::gen::inRange(1, 9));
            calls.push_back(std::move(call));
        }
        return calls;
    });
}

RC_GTEST_PROP(ClientSessionProperty, DuplicatedAndDelayedCallsActAsAppliedOnceInOrder, ()) {
    const std::vector<Call> calls = *gen_calls();

    // Deliveries: call i first in slot i, each copy `delay` slots later; ties in random order
    // (the first deliveries keep call order, since slots of first deliveries are distinct).
    struct Delivery {
        int slot;
        int tie;
        size_t call;
    };
    std::vector<Delivery> deliveries;
    for (size_t i = 0; i < calls.size(); ++i) {
        deliveries.push_back({static_cast<int>(i), *rc::gen::inRange(0, 4), i});
        for (const int d : calls[i].delays)
            deliveries.push_back({static_cast<int>(i) + d, *rc::gen::inRange(0, 4), i});
    }
    std::stable_sort(deliveries.begin(), deliveries.end(),
                     [](const Delivery& x, const Delivery& y) {
                         return std::tie(x.slot, x.tie) < std::tie(y.slot, y.tie);
                     });

    // The model applies each call once, in call order.
    AppendModel model;
    std::vector<AppendResult> once;
    for (const Call& c : calls) once.push_back(model.append(c.command));

    EventStore store;
    std::vector<bool> delivered(calls.size(), false);
    uint64_t index = 0;
    int stale = 0;
    for (const Delivery& d : deliveries) {
        const AppendCommand& c = calls[d.call].command;
        // A copy is stale once a later call of its client has been delivered.
        bool newer_seen = false;
        for (size_t j = d.call + 1; j < calls.size(); ++j)
            newer_seen = newer_seen || (delivered[j] && calls[j].command.client == c.client);
        AppendResult want = once[d.call];
        if (newer_seen) {
            want = AppendResult{};
            want.status = AppendStatus::stale_request;
            ++stale;
        }
        index += 1 + d.call % 2;  // indices need only increase
        const AppendResult got = store.apply(index, c);
        RC_ASSERT(got == want);
        delivered[d.call] = true;
    }
    RC_ASSERT(store.read_all(0, model.all.size() + 1) == model.all);
    RC_ASSERT(store.head() == model.all.size());
    for (const auto& [name, ids] : model.streams)
        RC_ASSERT(store.version(name) == static_cast<int64_t>(ids.size()) - 1);
    RC_TAG(deliveries.size() > calls.size() ? (stale > 0 ? "dup+stale" : "dup") : "no dup");
}

}  // namespace
}  // namespace stormlog::system::store
