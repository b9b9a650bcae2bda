// The store's wire codecs:
//   - every Raft message, client request and client response survives encode -> decode;
//   - decode_raft, decode_client_request, decode_client_response and decode_command are total
//     and exact: arbitrary bytes never crash them, every truncation and one-byte extension of a
//     valid encoding is refused, and whatever a corrupted encoding decodes to re-encodes to
//     exactly the corrupted bytes;
//   - forged counts are refused without allocating what they claim.
// Client sessions are client_session_test.cpp's.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "system/store/client_protocol.hpp"
#include "system/store/command.hpp"
#include "system/store/event_store.hpp"
#include "system/store/raft_messages.hpp"

// ---- Watching allocation sizes ---------------------------------------------------------------
// Only outside sanitizer builds (the sanitizers bring their own operator new): a replacement of
// the plain operator new that records the largest request, so a test can show that a decoder
// never reserves what a forged count claims. libstdc++'s other forms of new call this one, and
// its operator delete frees with free(), which matches the malloc here.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && !defined(STORMLOG_SANITIZE)
#define STORMLOG_CODEC_TEST_WATCHES_NEW 1
namespace {
std::atomic<size_t> g_largest_new{0};
}  // namespace

void* operator new(std::size_t n) {
    size_t seen = g_largest_new.load(std::memory_order_relaxed);
    while (n > seen && !g_largest_new.compare_exchange_weak(seen, n, std::memory_order_relaxed)) {
    }
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
#endif

namespace stormlog::system::store {
namespace {

using Bytes = std::vector<uint8_t>;

// ---- Generators --------------------------------------------------------------------------------

rc::Gen<Bytes> gen_bytes(size_t max) {
    return rc::gen::mapcat(rc::gen::inRange<size_t>(0, max + 1), [](size_t n) {
        return rc::gen::container<Bytes>(n, rc::gen::arbitrary<uint8_t>());
    });
}

rc::Gen<std::string> gen_string(size_t min, size_t max) {
    return rc::gen::mapcat(rc::gen::inRange<size_t>(min, max + 1), [](size_t n) {
        return rc::gen::container<std::string>(n, rc::gen::arbitrary<char>());
    });
}

Term any_term() {
    return Term{*rc::gen::arbitrary<uint64_t>()};
}
Index any_index() {
    return Index{*rc::gen::arbitrary<uint64_t>()};
}

rc::Gen<Entry> gen_entry() {
    return rc::gen::exec([] { return Entry{any_index(), any_term(), *gen_bytes(24)}; });
}

rc::Gen<RaftMessage> gen_raft() {
    return rc::gen::oneOf(
        rc::gen::exec([] {
            return RaftMessage{
                VoteRequest{any_term(), *rc::gen::arbitrary<bool>(), any_index(), any_term()}};
        }),
        rc::gen::exec([] {
            return RaftMessage{
                VoteResponse{any_term(), *rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>()}};
        }),
        rc::gen::exec([] {
            AppendRequest m{
                any_term(), any_index(), any_term(), any_index(), *rc::gen::arbitrary<uint64_t>(),
                {}};
            const size_t n = *rc::gen::inRange<size_t>(0, 6);
            m.entries = *rc::gen::container<std::vector<Entry>>(n, gen_entry());
            // Entries follow prev_index without a gap: the only appends encode writes.
            for (size_t k = 0; k < n; ++k) m.entries[k].index = Index{m.prev_index.value + 1 + k};
            return RaftMessage{std::move(m)};
        }),
        rc::gen::exec([] {
            return RaftMessage{AppendResponse{any_term(), *rc::gen::arbitrary<bool>(), any_index(),
                                              *rc::gen::arbitrary<uint64_t>()}};
        }),
        rc::gen::exec([] {
            RepairRequest m{any_term(), any_index(), std::nullopt};
            if (*rc::gen::arbitrary<bool>()) m.entry_term = any_term();
            return RaftMessage{m};
        }),
        rc::gen::exec([] {
            RepairResponse m{any_term(), *rc::gen::arbitrary<bool>(), std::nullopt, any_index(),
                             any_term()};
            if (*rc::gen::arbitrary<bool>()) m.entry = *gen_entry();
            return RaftMessage{std::move(m)};
        }),
        rc::gen::exec([] {
            // A chunk lies within the snapshot: offset + chunk <= total <= the bound.
            SnapshotRequest m{any_term(),
                              any_index(),
                              any_term(),
                              any_index(),
                              *rc::gen::arbitrary<uint64_t>(),
                              0,
                              0,
                              *gen_bytes(48)};
            m.total = *rc::gen::inRange<uint64_t>(m.chunk.size(), k_snapshot_total_bytes_max + 1);
            m.offset = *rc::gen::inRange<uint64_t>(0, m.total - m.chunk.size() + 1);
            return RaftMessage{std::move(m)};
        }),
        rc::gen::exec([] {
            return RaftMessage{
                SnapshotResponse{any_term(), any_index(), *rc::gen::arbitrary<uint64_t>(),
                                 *rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<uint64_t>()}};
        }));
}

Expected any_expected() {
    switch (*rc::gen::inRange(0, 4)) {
        case 0:
            return Expected::any();
        case 1:
            return Expected::no_stream();
        case 2:
            return Expected::stream_exists();
        default:
            return Expected::exact(std::max<int64_t>(-1, *rc::gen::arbitrary<int64_t>()));
    }
}

// A valid append: 1 to 4 events whose ids end in distinct digits.
rc::Gen<AppendCommand> gen_append() {
    return rc::gen::exec([] {
        AppendCommand c;
        c.stream = *gen_string(1, 16);
        c.expected = any_expected();
        const int n = *rc::gen::inRange(1, 5);
        for (int k = 0; k < n; ++k)
            c.events.push_back(
                EventData{*gen_string(0, 8) + "#" + std::to_string(k), *gen_bytes(16)});
        c.client = *rc::gen::arbitrary<uint64_t>();
        c.request = *rc::gen::arbitrary<uint64_t>();
        return c;
    });
}

rc::Gen<Command> gen_command() {
    return rc::gen::weightedOneOf<Command>(
        {{1, rc::gen::just(Command{NoopCommand{}})},
         {5, rc::gen::map(gen_append(), [](AppendCommand c) { return Command{std::move(c)}; })}});
}

rc::Gen<ClientRequest> gen_client_request() {
    return rc::gen::exec([] {
        ClientRequest m;
        m.request = *rc::gen::arbitrary<uint64_t>();
        m.op = static_cast<ClientOp>(*rc::gen::inRange(1, 4));
        if (m.op == ClientOp::append) {
            m.append = *gen_append();
        } else {
            m.stream = *gen_string(0, 24);
            m.from = *rc::gen::arbitrary<int64_t>();
            m.max = *rc::gen::inRange<uint32_t>(0, k_read_max + 1);
        }
        return m;
    });
}

rc::Gen<RecordedEvent> gen_recorded_event() {
    return rc::gen::exec([] {
        return RecordedEvent{*gen_string(0, 12), *rc::gen::arbitrary<int64_t>(),
                             *rc::gen::arbitrary<uint64_t>(), *gen_string(0, 12), *gen_bytes(12)};
    });
}

rc::Gen<ClientResponse> gen_client_response() {
    return rc::gen::exec([] {
        ClientResponse m;
        m.request = *rc::gen::arbitrary<uint64_t>();
        m.status = static_cast<ClientStatus>(*rc::gen::inRange(0, 6));
        if (*rc::gen::arbitrary<bool>()) m.leader = *rc::gen::arbitrary<NodeId>();
        m.result.status = static_cast<AppendStatus>(*rc::gen::inRange(0, 4));
        m.result.first = *rc::gen::arbitrary<int64_t>();
        m.result.last = *rc::gen::arbitrary<int64_t>();
        m.result.first_global = *rc::gen::arbitrary<uint64_t>();
        m.result.last_global = *rc::gen::arbitrary<uint64_t>();
        m.result.replay = *rc::gen::arbitrary<bool>();
        m.result.actual_version = *rc::gen::arbitrary<int64_t>();
        const size_t n = *rc::gen::inRange<size_t>(0, 5);
        m.events = *rc::gen::container<std::vector<RecordedEvent>>(n, gen_recorded_event());
        return m;
    });
}

// ---- Field-by-field equality of Raft messages --------------------------------------------------

auto fields(const VoteRequest& m) {
    return std::tie(m.term, m.pre_vote, m.last_index, m.last_term);
}
auto fields(const VoteResponse& m) {
    return std::tie(m.term, m.pre_vote, m.granted);
}
auto fields(const AppendRequest& m) {
    return std::tie(m.term, m.prev_index, m.prev_term, m.commit, m.seq, m.entries);
}
auto fields(const AppendResponse& m) {
    return std::tie(m.term, m.success, m.match, m.seq);
}
auto fields(const RepairRequest& m) {
    return std::tie(m.term, m.index, m.entry_term);
}
auto fields(const RepairResponse& m) {
    return std::tie(m.term, m.from_leader, m.entry, m.index, m.prev_term);
}
auto fields(const SnapshotRequest& m) {
    return std::tie(m.term, m.index, m.last_term, m.commit, m.seq, m.offset, m.total, m.chunk);
}
auto fields(const SnapshotResponse& m) {
    return std::tie(m.term, m.index, m.offset, m.done, m.seq);
}

bool same(const RaftMessage& a, const RaftMessage& b) {
    if (a.index() != b.index()) return false;
    return std::visit(
        [&b](const auto& x) { return fields(x) == fields(std::get<std::decay_t<decltype(x)>>(b)); },
        a);
}

MessageType type_of(const RaftMessage& m) {
    constexpr MessageType k_types[] = {
        MessageType::vote_request,     MessageType::vote_response,    MessageType::append_request,
        MessageType::append_response,  MessageType::repair_request,   MessageType::repair_response,
        MessageType::snapshot_request, MessageType::snapshot_response};
    static_assert(std::size(k_types) == std::variant_size_v<RaftMessage>);
    return k_types[m.index()];
}

void check_raft_round_trip(const RaftMessage& m) {
    const Bytes bytes = encode(m);
    RC_ASSERT(message_type(bytes) == std::optional<MessageType>(type_of(m)));
    const std::optional<RaftMessage> back = decode_raft(bytes);
    RC_ASSERT(back.has_value());
    RC_ASSERT(same(*back, m));
}

// ---- 1. Round trips ----------------------------------------------------------------------------

RC_GTEST_PROP(CodecRoundTrip, EveryRaftMessage, ()) {
    check_raft_round_trip(*gen_raft());
}

TEST(CodecRoundTrip, RaftEdgeCases) {
    const Entry empty{Index{1}, Term{1}, {}};
    const Entry full{Index{~uint64_t{0}}, Term{~uint64_t{0}}, Bytes(300, 0xAB)};
    const std::vector<RaftMessage> messages = {
        VoteRequest{},
        VoteRequest{Term{7}, true, Index{3}, Term{6}},
        VoteResponse{Term{2}, true, true},
        AppendRequest{},
        AppendRequest{Term{1}, Index{0}, Term{0}, Index{0}, 9, {empty}},
        AppendRequest{Term{5},
                      Index{~uint64_t{0} - 3},
                      Term{4},
                      Index{2},
                      1,
                      {Entry{Index{~uint64_t{0} - 2}, Term{1}, {}},
                       Entry{Index{~uint64_t{0} - 1}, Term{~uint64_t{0}}, Bytes(300, 0xAB)},
                       Entry{Index{~uint64_t{0}}, Term{1}, {}}}},
        AppendResponse{Term{3}, true, Index{8}, 12},
        RepairRequest{Term{2}, Index{5}, std::nullopt},
        RepairRequest{Term{2}, Index{5}, Term{0}},
        RepairRequest{Term{2}, Index{5}, Term{1}},
        RepairResponse{Term{2}, true, std::nullopt, Index{5}, Term{}},
        RepairResponse{Term{2}, false, empty, Index{1}, Term{0}},
        RepairResponse{Term{2}, true, full, Index{5}, Term{1}},
    };
    for (const RaftMessage& m : messages) {
        const Bytes bytes = encode(m);
        EXPECT_EQ(message_type(bytes), std::optional<MessageType>(type_of(m))) << m.index();
        const std::optional<RaftMessage> back = decode_raft(bytes);
        ASSERT_TRUE(back.has_value()) << m.index();
        EXPECT_TRUE(same(*back, m)) << m.index();
    }
    EXPECT_EQ(message_type(Bytes{}), std::nullopt);
}

RC_GTEST_PROP(CodecRoundTrip, EveryClientRequest, ()) {
    const ClientRequest m = *gen_client_request();
    const Bytes bytes = encode(m);
    RC_ASSERT(message_type(bytes) == std::optional<MessageType>(MessageType::client_request));
    RC_ASSERT(decode_client_request(bytes) == std::optional<ClientRequest>(m));
    RC_ASSERT(!decode_client_response(bytes).has_value());
    RC_ASSERT(!decode_raft(bytes).has_value());
}

RC_GTEST_PROP(CodecRoundTrip, EveryClientResponse, ()) {
    const ClientResponse m = *gen_client_response();
    const Bytes bytes = encode(m);
    RC_ASSERT(message_type(bytes) == std::optional<MessageType>(MessageType::client_response));
    RC_ASSERT(decode_client_response(bytes) == std::optional<ClientResponse>(m));
    RC_ASSERT(!decode_client_request(bytes).has_value());
    RC_ASSERT(!decode_raft(bytes).has_value());
}

TEST(CodecRoundTrip, ClientResponseEdgeCases) {
    // Every status, with and without a leader hint; events with empty fields (the smallest an
    // event can encode to) and a full read.
    for (int s = 0; s <= 5; ++s) {
        for (const std::optional<NodeId> leader :
             {std::optional<NodeId>{}, std::optional<NodeId>{0},
              std::optional<NodeId>{~NodeId{0}}}) {
            ClientResponse m;
            m.request = 42;
            m.status = static_cast<ClientStatus>(s);
            m.leader = leader;
            m.result.status = AppendStatus::stale_request;
            m.events = {RecordedEvent{}, RecordedEvent{"s", 0, 1, "e", {}}};
            EXPECT_EQ(decode_client_response(encode(m)), std::optional<ClientResponse>(m))
                << to_string(m.status);
        }
    }
    ClientResponse full;
    full.events.assign(k_read_max, RecordedEvent{});
    EXPECT_EQ(decode_client_response(encode(full)), std::optional<ClientResponse>(full));
}

// ---- 2. Totality and exactness -----------------------------------------------------------------

// Decode then encode; nullopt where decode refuses.
using Reencode = std::function<std::optional<Bytes>(std::span<const uint8_t>)>;

template <typename Decoded>
std::optional<Bytes> encode_if(const std::optional<Decoded>& m) {
    if (!m) return std::nullopt;
    if constexpr (std::is_same_v<Decoded, Command>)
        return encode_command(*m);
    else
        return encode(*m);
}

const Reencode k_raft = [](std::span<const uint8_t> b) { return encode_if(decode_raft(b)); };
const Reencode k_request = [](std::span<const uint8_t> b) {
    return encode_if(decode_client_request(b));
};
const Reencode k_response = [](std::span<const uint8_t> b) {
    return encode_if(decode_client_response(b));
};
const Reencode k_command = [](std::span<const uint8_t> b) { return encode_if(decode_command(b)); };

// `valid` decodes and re-encodes to itself; each of its proper prefixes and one-byte extensions
// is refused; flipping the bits of `mask` in any one byte gives a refusal or an exact encoding.
void check_exact_around(const Bytes& valid, const Reencode& reencode, uint8_t mask) {
    RC_ASSERT(reencode(valid) == std::optional<Bytes>(valid));
    for (size_t n = 0; n < valid.size(); ++n)
        RC_ASSERT(!reencode(std::span<const uint8_t>(valid.data(), n)).has_value());
    Bytes longer = valid;
    longer.push_back(0);
    for (int v = 0; v < 256; ++v) {
        longer.back() = static_cast<uint8_t>(v);
        RC_ASSERT(!reencode(longer).has_value());
    }
    Bytes damaged = valid;
    for (size_t i = 0; i < valid.size(); ++i) {
        damaged[i] ^= mask;
        const std::optional<Bytes> again = reencode(damaged);
        // Not RC_ASSERT(!again || ...): its expression capture evaluates both sides.
        const bool refused_or_exact = !again || *again == damaged;
        RC_ASSERT(refused_or_exact);
        damaged[i] = valid[i];
    }
}

// Often a flag's bit or a whole byte, otherwise any nonzero pattern.
uint8_t any_mask() {
    return static_cast<uint8_t>(
        *rc::gen::oneOf(rc::gen::just(1), rc::gen::just(0xFF), rc::gen::inRange(1, 256)));
}

// An append whose entries do not follow prev_index one by one is no encoding of an append, however
// well formed its bytes (found by fuzz/targets/raft_message.cpp: encode_append refuses to write
// it).
TEST(CodecTotality, AppendWithAGapInItsIndexesIsRefused) {
    const auto with_indexes = [](uint64_t prev, std::vector<uint64_t> indexes) {
        std::vector<uint8_t> out;
        AppendRequest m{Term{2}, Index{prev}, Term{1}, Index{0}, 1, {}};
        for (uint64_t i : indexes) m.entries.push_back(Entry{Index{i}, Term{2}, {7}});
        // The generic encoder writes what it is given; decode must judge it.
        return encode(RaftMessage{m});
    };
    EXPECT_TRUE(decode_raft(with_indexes(4, {5, 6, 7})).has_value());
    EXPECT_FALSE(decode_raft(with_indexes(4, {5, 7})).has_value());
    EXPECT_FALSE(decode_raft(with_indexes(4, {6})).has_value());
    EXPECT_FALSE(decode_raft(with_indexes(4, {5, 5})).has_value());
    EXPECT_FALSE(decode_raft(with_indexes(4, {4})).has_value());
}

RC_GTEST_PROP(CodecTotality, RaftExactAroundValidEncodings, ()) {
    check_exact_around(encode(*gen_raft()), k_raft, any_mask());
}

RC_GTEST_PROP(CodecTotality, ClientRequestExactAroundValidEncodings, ()) {
    check_exact_around(encode(*gen_client_request()), k_request, any_mask());
}

RC_GTEST_PROP(CodecTotality, ClientResponseExactAroundValidEncodings, ()) {
    check_exact_around(encode(*gen_client_response()), k_response, any_mask());
}

RC_GTEST_PROP(CodecTotality, CommandExactAroundValidEncodings, ()) {
    check_exact_around(encode_command(*gen_command()), k_command, any_mask());
}

// A random single-byte corruption (any position, any new value) of any of the four encodings.
RC_GTEST_PROP(CodecTotality, RandomCorruptionIsRefusedOrExact, ()) {
    const int kind = *rc::gen::inRange(0, 4);
    const Reencode& reencode = kind == 0   ? k_raft
                               : kind == 1 ? k_request
                               : kind == 2 ? k_response
                                           : k_command;
    Bytes bytes = kind == 0   ? encode(*gen_raft())
                  : kind == 1 ? encode(*gen_client_request())
                  : kind == 2 ? encode(*gen_client_response())
                              : encode_command(*gen_command());
    const size_t at = *rc::gen::inRange<size_t>(0, bytes.size());
    const uint8_t value = *rc::gen::distinctFrom(bytes[at]);
    bytes[at] = value;
    const std::optional<Bytes> again = reencode(bytes);
    const bool refused_or_exact = !again || *again == bytes;
    RC_ASSERT(refused_or_exact);
}

// Arbitrary bytes, usually behind a plausible type (and command format) byte so that decoding gets
// past the first check: no decoder crashes, and whatever one accepts re-encodes to the input.
RC_GTEST_PROP(CodecTotality, ArbitraryBytesNeverCrashAndAcceptOnlyExactEncodings, ()) {
    Bytes bytes = *rc::gen::elementOf(std::vector<Bytes>{
        {}, {1}, {2}, {3}, {4}, {5}, {6}, {16}, {17}, {0}, {255}, {1, 0}, {1, 1}, {16, 0}});
    const Bytes tail = *gen_bytes(96);
    bytes.insert(bytes.end(), tail.begin(), tail.end());
    for (const Reencode* reencode : {&k_raft, &k_request, &k_response, &k_command}) {
        const std::optional<Bytes> again = (*reencode)(bytes);
        const bool refused_or_exact = !again || *again == bytes;
        RC_ASSERT(refused_or_exact);
    }
}

// ---- 3. Forged counts --------------------------------------------------------------------------

void put_u32(Bytes& b, size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

// Runs `decode` and returns the largest single allocation it made (0 when not watched).
size_t largest_allocation(const std::function<void()>& decode) {
#ifdef STORMLOG_CODEC_TEST_WATCHES_NEW
    g_largest_new.store(0);
    decode();
    return g_largest_new.load();
#else
    decode();
    return 0;
#endif
}

TEST(CodecBounds, ForgedEntryCountIsRefusedWithoutAllocatingIt) {
    const Bytes empty = encode(AppendRequest{Term{1}, Index{2}, Term{1}, Index{1}, 3, {}});
    constexpr size_t k_count_at = 1 + 5 * 8;
    ASSERT_EQ(empty.size(), k_count_at + 4);
    for (const uint32_t forged :
         {0xFFFFFFFFu, 0x80000000u, k_entries_per_append_max + 1, k_entries_per_append_max, 2u}) {
        Bytes bytes = empty;
        put_u32(bytes, k_count_at, forged);
        // Room for one short entry only: the count still may not reserve more than that.
        bytes.resize(bytes.size() + 20, 0);
        size_t largest = 0;
        std::optional<RaftMessage> m;
        EXPECT_NO_THROW(largest = largest_allocation([&] { m = decode_raft(bytes); })) << forged;
        EXPECT_FALSE(m.has_value()) << forged;
        EXPECT_LT(largest, 4096u) << forged;
    }
#ifdef STORMLOG_CODEC_TEST_WATCHES_NEW
    // The watch sees a decoder's reservation at all: three entries reserve three Entry objects.
    const Bytes three = encode(
        AppendRequest{Term{1},
                      Index{0},
                      Term{0},
                      Index{0},
                      0,
                      {Entry{Index{1}, {}, {}}, Entry{Index{2}, {}, {}}, Entry{Index{3}, {}, {}}}});
    EXPECT_GE(largest_allocation([&] { EXPECT_TRUE(decode_raft(three)); }), 3 * sizeof(Entry));
#endif
    // A forged data length inside an entry.
    Bytes bytes = encode(AppendRequest{
        Term{1}, Index{0}, Term{0}, Index{0}, 0, {Entry{Index{1}, Term{1}, {1, 2, 3}}}});
    put_u32(bytes, bytes.size() - 3 - 4, 0xFFFFFFFFu);
    size_t largest = 0;
    EXPECT_NO_THROW(largest = largest_allocation([&] { EXPECT_FALSE(decode_raft(bytes)); }));
    EXPECT_LT(largest, 4096u);
}

TEST(CodecBounds, ForgedEventCountIsRefusedWithoutAllocatingIt) {
    const Bytes empty = encode(ClientResponse{});
    const size_t count_at = empty.size() - 4;
    for (const uint32_t forged : {0xFFFFFFFFu, 0x80000000u, k_read_max + 1, k_read_max, 2u}) {
        Bytes bytes = empty;
        put_u32(bytes, count_at, forged);
        bytes.resize(bytes.size() + 28, 0);  // room for one event with empty fields
        size_t largest = 0;
        std::optional<ClientResponse> m;
        EXPECT_NO_THROW(largest = largest_allocation([&] { m = decode_client_response(bytes); }))
            << forged;
        EXPECT_FALSE(m.has_value()) << forged;
        EXPECT_LT(largest, 4096u) << forged;
    }
    // Forged string and byte lengths inside an event, and a forged command length in a request.
    ClientResponse one;
    one.events = {RecordedEvent{"s", 0, 0, "e", {9}}};
    const Bytes valid = encode(one);
    const size_t stream_len_at = count_at + 4;
    for (const size_t at : {stream_len_at, stream_len_at + 4 + 1 + 16, valid.size() - 1 - 4}) {
        Bytes bytes = valid;
        put_u32(bytes, at, 0xFFFFFFFFu);
        size_t largest = 0;
        EXPECT_NO_THROW(
            largest = largest_allocation([&] { EXPECT_FALSE(decode_client_response(bytes)); }));
        EXPECT_LT(largest, 4096u) << at;
    }
    ClientRequest request;
    request.append = AppendCommand{"s", Expected::any(), {EventData{"e", {}}}, 1, 1};
    Bytes bytes = encode(request);
    put_u32(bytes, 1 + 8 + 1, 0xFFFFFFFFu);
    EXPECT_FALSE(decode_client_request(bytes));
}

}  // namespace
}  // namespace stormlog::system::store
