#include "system/store/client_protocol.hpp"

#include "sim/assert.hpp"
#include "system/store/raft_messages.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::store {
namespace {

using wire::Reader;
using wire::Writer;

// Encoded sizes (wire.hpp: a str or bytes is a u32 length and its bytes).
constexpr size_t k_request_header_bytes = 1 + 8 + 1;  // type, request, op
// type, request, status, has_leader, leader, then the AppendResult, then the event count.
constexpr size_t k_response_header_bytes = 1 + 8 + 1 + 1 + 4 + (1 + 8 + 8 + 8 + 8 + 1 + 8) + 4;
// The smallest event: three empty length-prefixed fields and two positions.
constexpr size_t k_event_bytes_min = 4 + 8 + 8 + 4 + 4;
constexpr uint8_t k_client_status_last = static_cast<uint8_t>(ClientStatus::unknown);
static_assert(k_client_status_last == 5);  // decode accepts 0..5: a new status must extend it
static_assert(static_cast<uint8_t>(ClientOp::read_all) == 3);  // likewise ops 1..3

size_t event_bytes(const RecordedEvent& e) {
    return k_event_bytes_min + e.stream.size() + e.id.size() + e.data.size();
}

void put_event(Writer& w, const RecordedEvent& e) {
    w.str(e.stream);
    w.i64(e.stream_position);
    w.u64(e.global_position);
    w.str(e.id);
    w.bytes(e.data);
}

RecordedEvent get_event(Reader& r) {
    RecordedEvent e;
    e.stream = r.str(k_stream_bytes_max);
    e.stream_position = r.i64();
    e.global_position = r.u64();
    e.id = r.str(k_event_id_bytes_max);
    e.data = r.bytes(k_event_data_bytes_max);
    return e;
}

}  // namespace

const char* to_string(ClientStatus s) {
    switch (s) {
        case ClientStatus::ok:
            return "ok";
        case ClientStatus::wrong_expected_version:
            return "wrong_expected_version";
        case ClientStatus::idempotency_conflict:
            return "idempotency_conflict";
        case ClientStatus::not_leader:
            return "not_leader";
        case ClientStatus::unavailable:
            return "unavailable";
        case ClientStatus::unknown:
            return "unknown";
    }
    return "?";
}

std::vector<uint8_t> encode(const ClientRequest& m) {
    // The command is encoded first so that the request is sized once, not grown field by field.
    const std::vector<uint8_t> command =
        m.op == ClientOp::append ? encode_command(m.append) : std::vector<uint8_t>{};
    std::vector<uint8_t> out;
    out.reserve(k_request_header_bytes + 4 + command.size() + m.stream.size() + 8 + 4);
    Writer w(out);
    w.u8(static_cast<uint8_t>(MessageType::client_request));
    w.u64(m.request);
    w.u8(static_cast<uint8_t>(m.op));
    if (m.op == ClientOp::append) {
        w.bytes(command);
        SL_ASSERT(out.size() == k_request_header_bytes + 4 + command.size());
    } else {
        w.str(m.stream);
        w.i64(m.from);
        w.u32(m.max);
        SL_ASSERT(out.size() == k_request_header_bytes + 4 + m.stream.size() + 8 + 4);
    }
    return out;
}

std::optional<ClientRequest> decode_client_request(std::span<const uint8_t> bytes) {
    if (bytes.empty() || bytes[0] != static_cast<uint8_t>(MessageType::client_request))
        return std::nullopt;
    Reader r(bytes.subspan(1));
    ClientRequest m;
    m.request = r.u64();
    const uint8_t op = r.u8();
    if (op < 1 || op > 3) return std::nullopt;
    m.op = static_cast<ClientOp>(op);
    if (m.op == ClientOp::append) {
        const std::vector<uint8_t> cmd = r.bytes(k_entry_bytes_max);
        const std::optional<Command> c = decode_command(cmd);
        if (!c || !std::holds_alternative<AppendCommand>(*c)) return std::nullopt;
        m.append = std::get<AppendCommand>(*c);
    } else {
        m.stream = r.str(k_stream_bytes_max);
        m.from = r.i64();
        m.max = r.u32();
        if (m.max > k_read_max) return std::nullopt;
    }
    if (!r.done()) return std::nullopt;
    return m;
}

std::vector<uint8_t> encode(const ClientResponse& m) {
    // Sized up front: growing field by field reallocated several times per response.
    size_t bytes_total = k_response_header_bytes;
    for (const RecordedEvent& e : m.events) bytes_total += event_bytes(e);
    std::vector<uint8_t> out;
    out.reserve(bytes_total);
    Writer w(out);
    w.u8(static_cast<uint8_t>(MessageType::client_response));
    w.u64(m.request);
    w.u8(static_cast<uint8_t>(m.status));
    w.u8(m.leader.has_value());
    w.u32(m.leader.value_or(0));
    w.u8(static_cast<uint8_t>(m.result.status));
    w.i64(m.result.first);
    w.i64(m.result.last);
    w.u64(m.result.first_global);
    w.u64(m.result.last_global);
    w.u8(m.result.replay);
    w.i64(m.result.actual_version);
    // Reads are capped at k_read_max (the server clamps): more would not decode.
    SL_ASSERT(m.events.size() <= k_read_max);
    w.u32(m.events.size());
    SL_ASSERT(out.size() == k_response_header_bytes);
    size_t bytes = out.size();
    for (const RecordedEvent& e : m.events) {
        put_event(w, e);
        bytes += event_bytes(e);
    }
    SL_ASSERT(out.size() == bytes);
    return out;
}

std::optional<ClientResponse> decode_client_response(std::span<const uint8_t> bytes) {
    if (bytes.empty() || bytes[0] != static_cast<uint8_t>(MessageType::client_response))
        return std::nullopt;
    Reader r(bytes.subspan(1));
    ClientResponse m;
    m.request = r.u64();
    const uint8_t status = r.u8();
    if (status > k_client_status_last) return std::nullopt;
    m.status = static_cast<ClientStatus>(status);
    const bool has_leader = r.flag();
    const uint32_t leader = r.u32();
    if (!has_leader && leader != 0) return std::nullopt;  // encode writes 0 without a hint
    if (has_leader) m.leader = leader;
    const uint8_t rs = r.u8();
    if (rs > static_cast<uint8_t>(AppendStatus::stale_request)) return std::nullopt;
    m.result.status = static_cast<AppendStatus>(rs);
    m.result.first = r.i64();
    m.result.last = r.i64();
    m.result.first_global = r.u64();
    m.result.last_global = r.u64();
    m.result.replay = r.flag();
    m.result.actual_version = r.i64();
    // The smallest event: three empty length-prefixed fields (4 each) and two positions (8 each).
    const size_t n = r.count(k_read_max, k_event_bytes_min);
    m.events.reserve(n);
    for (size_t i = 0; i < n && r.ok(); ++i) m.events.push_back(get_event(r));
    if (!r.done()) return std::nullopt;
    return m;
}

}  // namespace stormlog::system::store
