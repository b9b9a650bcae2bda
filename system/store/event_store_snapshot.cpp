// EventStore::snapshot / restore: the state machine's bytes for a Raft snapshot.
//
// Format (wire.hpp encoding, little-endian):
//   magic:u32 | version:u8 | applied_index:u64
//   | events:u64 | events * (stream:str | id:str | data:bytes)      in global-position order
//   | sessions:u32 | sessions * (client:u64 | request:u64 | result)  in client order
//   | crc:u32 (CRC-32C of every byte before it)
//   result := status:u8 | first:i64 | last:i64 | first_global:u64 | last_global:u64
//             | replay:u8 | actual_version:i64
// Streams are not stored: each event's stream position is its rank within its stream, so the
// per-stream indexes are rebuilt from the events (and can never disagree with them).

#include <algorithm>

#include "sim/assert.hpp"
#include "sim/network.hpp"
#include "system/store/event_store.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::store {
namespace {

constexpr uint32_t k_snapshot_magic = 0x50414e53;  // "SNAP"
constexpr uint8_t k_snapshot_version = 1;
// Smallest encodings, so a forged count cannot make restore reserve more than the bytes hold.
constexpr size_t k_event_bytes_min = 4 + 4 + 4;
constexpr size_t k_result_bytes = 1 + 8 + 8 + 8 + 8 + 1 + 8;  // put_result's fields
constexpr size_t k_session_bytes_min = 8 + 8 + k_result_bytes;
constexpr uint32_t k_sessions_max = 1u << 24;
// The bounds restore enforces fit the wire's length fields (u32).
static_assert(k_stream_bytes_max <= UINT32_MAX);
static_assert(k_event_id_bytes_max <= UINT32_MAX);
static_assert(k_event_data_bytes_max <= UINT32_MAX);

void put_result(wire::Writer& w, const AppendResult& r) {
    w.u8(static_cast<uint8_t>(r.status));
    w.i64(r.first);
    w.i64(r.last);
    w.u64(r.first_global);
    w.u64(r.last_global);
    w.u8(r.replay);
    w.i64(r.actual_version);
}

std::optional<AppendResult> get_result(wire::Reader& r) {
    AppendResult out;
    const uint8_t status = r.u8();
    if (status > static_cast<uint8_t>(AppendStatus::stale_request)) return std::nullopt;
    out.status = static_cast<AppendStatus>(status);
    out.first = r.i64();
    out.last = r.i64();
    out.first_global = r.u64();
    out.last_global = r.u64();
    out.replay = r.flag();
    out.actual_version = r.i64();
    return out;
}

}  // namespace

std::vector<uint8_t> EventStore::snapshot() const {
    // Sized first: the state grows with every event, and growing the buffer by doubling copied
    // it several times per snapshot (a one-hour store-steady spent a fifth of its time there).
    size_t bytes = 4 + 1 + 8 + 8 + 4 + sessions_.size() * (8 + 8 + k_result_bytes) + 4;
    for (const RecordedEvent& e : events_)
        bytes += 4 + e.stream.size() + 4 + e.id.size() + 4 + e.data.size();
    std::vector<uint8_t> out;
    out.reserve(bytes);
    wire::Writer w(out);
    w.u32(k_snapshot_magic);
    w.u8(k_snapshot_version);
    w.u64(applied_index_);
    w.u64(events_.size());
    for (const RecordedEvent& e : events_) {
        // What restore accepts (and rebuilds the positions from): non-empty names, in order.
        SL_ASSERT(!e.stream.empty());
        SL_ASSERT(!e.id.empty());
        SL_ASSERT(e.global_position == static_cast<uint64_t>(&e - events_.data()));
        w.str(e.stream);
        w.str(e.id);
        w.bytes(e.data);
    }
    // Sessions live in a hash map: sort by client so equal states give equal bytes.
    std::vector<uint64_t> clients;
    clients.reserve(sessions_.size());
    for (const auto& [client, s] : sessions_) clients.push_back(client);
    std::sort(clients.begin(), clients.end());
    // restore refuses more sessions, and a session of client 0 (appends without a session).
    SL_ASSERT(clients.size() <= k_sessions_max);
    SL_ASSERT(clients.empty() || clients.front() != 0);
    w.u32(clients.size());
    for (uint64_t c : clients) {
        const Session& s = sessions_.at(c);
        w.u64(c);
        w.u64(s.request);
        put_result(w, s.result);
    }
    w.u32(sim::crc32c(out));
    SL_ASSERT(out.size() == bytes);  // the sizing above matches the layout
    return out;
}

bool EventStore::restore_event(RecordedEvent e) {
    Stream& stream = streams_[e.stream];
    e.stream_position = stream.version() + 1;
    e.global_position = head();
    // A repeated id is refused before the event is kept (the caller then drops the whole store).
    if (position_of(stream, e.id) >= 0) return false;
    const int64_t position = e.stream_position;
    stream.globals.push_back(head());
    events_.push_back(std::move(e));
    const bool fresh = stream.positions_by_id.insert(events_.back().id, position, id_at(stream));
    SL_ASSERT(fresh);
    return fresh;
}

std::optional<EventStore> EventStore::restore(std::span<const uint8_t> bytes,
                                              EventStoreOptions options) {
    if (bytes.size() < 4) return std::nullopt;
    const std::span<const uint8_t> body = bytes.first(bytes.size() - 4);
    wire::Reader tail(bytes.subspan(bytes.size() - 4));
    if (tail.u32() != sim::crc32c(body)) return std::nullopt;
    wire::Reader r(body);
    if (r.u32() != k_snapshot_magic || r.u8() != k_snapshot_version) return std::nullopt;
    EventStore s(options);
    s.applied_index_ = r.u64();
    const uint64_t events = r.u64();
    if (!r.ok() || events > r.remaining() / k_event_bytes_min) return std::nullopt;
    s.events_.reserve(static_cast<size_t>(events));
    for (uint64_t i = 0; i < events; ++i) {
        RecordedEvent e;
        e.stream = r.str(k_stream_bytes_max);
        e.id = r.str(k_event_id_bytes_max);
        e.data = r.bytes(k_event_data_bytes_max);
        if (!r.ok() || e.stream.empty() || e.id.empty() || !s.restore_event(std::move(e)))
            return std::nullopt;
    }
    const size_t sessions = r.count(k_sessions_max, k_session_bytes_min);
    uint64_t last_client = 0;
    for (size_t i = 0; i < sessions && r.ok(); ++i) {
        const uint64_t client = r.u64();
        // Strictly ascending and never 0 (no session): the only order snapshot() writes.
        if (client <= last_client) return std::nullopt;
        last_client = client;
        Session session;
        session.request = r.u64();
        const std::optional<AppendResult> result = get_result(r);
        if (!result) return std::nullopt;
        session.result = *result;
        s.sessions_.emplace(client, session);
    }
    if (!r.done()) return std::nullopt;
    // Exact: what restore accepts is what snapshot() writes of the state it restored (rare -
    // recovery and snapshot install - so the O(n) re-encoding is affordable).
    SL_ASSERT(std::ranges::equal(s.snapshot(), bytes));
    return s;
}

}  // namespace stormlog::system::store
