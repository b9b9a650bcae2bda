#include "system/store/raft_messages.hpp"

#include <limits>

#include "sim/assert.hpp"
#include "system/store/record_format.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::store {
namespace {

using wire::Reader;
using wire::Writer;

// Encoded sizes (wire.hpp: u8 1, u32 4, u64 8 bytes; a byte string is a u32 length and its bytes).
constexpr size_t k_entry_header_bytes = 8 + 8 + 4;                   // index, term, data length
constexpr size_t k_append_header_bytes = 1 + 8 + 8 + 8 + 8 + 8 + 4;  // type .. seq, entry count
constexpr size_t k_vote_request_bytes = 1 + 8 + 1 + 8 + 8;
constexpr size_t k_vote_response_bytes = 1 + 8 + 1 + 1;
constexpr size_t k_append_response_bytes = 1 + 8 + 1 + 8 + 8;
constexpr size_t k_repair_request_bytes = 1 + 8 + 8 + 1 + 8;
constexpr size_t k_snapshot_request_header_bytes = 1 + 7 * 8 + 4;  // and the chunk's bytes
constexpr size_t k_snapshot_response_bytes = 1 + 8 + 8 + 8 + 1 + 8;

// Bounds must fit their length fields (u32), and an entry the wire accepts must fit a raft.log
// record, or a follower would accept an entry its disk cannot hold.
static_assert(k_entry_bytes_max <= std::numeric_limits<uint32_t>::max());
static_assert(k_snapshot_chunk_bytes_max <= std::numeric_limits<uint32_t>::max());
static_assert(k_entries_per_append_max <= std::numeric_limits<uint32_t>::max());
static_assert(k_entry_bytes_max <= format::k_payload_bytes_max);
static_assert(k_snapshot_chunk_bytes_max <= k_snapshot_total_bytes_max);

void put_entry(Writer& w, const Entry& e) {
    w.u64(e.index.value);
    w.u64(e.term.value);
    w.bytes(e.data);
}

Entry get_entry(Reader& r) {
    Entry e;
    e.index = Index{r.u64()};
    e.term = Term{r.u64()};
    e.data = r.bytes(k_entry_bytes_max);
    return e;
}

void put_append_header(Writer& w, const AppendRequest& m, size_t entries) {
    w.u8(static_cast<uint8_t>(MessageType::append_request));
    w.u64(m.term.value);
    w.u64(m.prev_index.value);
    w.u64(m.prev_term.value);
    w.u64(m.commit.value);
    w.u64(m.seq);
    w.u32(entries);
}

struct Encoder {
    std::vector<uint8_t>& out;
    Writer w{out};

    void operator()(const VoteRequest& m) {
        w.u8(static_cast<uint8_t>(MessageType::vote_request));
        w.u64(m.term.value);
        w.u8(m.pre_vote);
        w.u64(m.last_index.value);
        w.u64(m.last_term.value);
        SL_ASSERT(out.size() == k_vote_request_bytes);
    }
    void operator()(const VoteResponse& m) {
        w.u8(static_cast<uint8_t>(MessageType::vote_response));
        w.u64(m.term.value);
        w.u8(m.pre_vote);
        w.u8(m.granted);
        SL_ASSERT(out.size() == k_vote_response_bytes);
    }
    void operator()(const AppendRequest& m) {
        put_append_header(w, m, m.entries.size());
        for (const Entry& e : m.entries) put_entry(w, e);
    }
    void operator()(const AppendResponse& m) {
        w.u8(static_cast<uint8_t>(MessageType::append_response));
        w.u64(m.term.value);
        w.u8(m.success);
        w.u64(m.match.value);
        w.u64(m.seq);
        SL_ASSERT(out.size() == k_append_response_bytes);
    }
    void operator()(const RepairRequest& m) {
        w.u8(static_cast<uint8_t>(MessageType::repair_request));
        w.u64(m.term.value);
        w.u64(m.index.value);
        w.u8(m.entry_term.has_value());
        w.u64(m.entry_term.value_or(Term{}).value);
        SL_ASSERT(out.size() == k_repair_request_bytes);
    }
    void operator()(const RepairResponse& m) {
        w.u8(static_cast<uint8_t>(MessageType::repair_response));
        w.u64(m.term.value);
        w.u8(m.from_leader);
        w.u64(m.index.value);
        w.u64(m.prev_term.value);
        w.u8(m.entry.has_value());
        if (m.entry) put_entry(w, *m.entry);
    }
    void operator()(const SnapshotRequest& m) {
        w.u8(static_cast<uint8_t>(MessageType::snapshot_request));
        w.u64(m.term.value);
        w.u64(m.index.value);
        w.u64(m.last_term.value);
        w.u64(m.commit.value);
        w.u64(m.seq);
        w.u64(m.offset);
        w.u64(m.total);
        // The bounds decode_raft enforces: a chunk within the snapshot, no larger than a chunk.
        SL_ASSERT(m.chunk.size() <= k_snapshot_chunk_bytes_max);
        SL_ASSERT(m.offset + m.chunk.size() <= m.total);
        w.bytes(m.chunk);
        SL_ASSERT(out.size() == k_snapshot_request_header_bytes + m.chunk.size());
    }
    void operator()(const SnapshotResponse& m) {
        w.u8(static_cast<uint8_t>(MessageType::snapshot_response));
        w.u64(m.term.value);
        w.u64(m.index.value);
        w.u64(m.offset);
        w.u8(m.done);
        w.u64(m.seq);
        SL_ASSERT(out.size() == k_snapshot_response_bytes);
    }
};

// Bytes Encoder writes for a message (an upper bound is enough: it only sizes the buffer).
struct Sizer {
    size_t operator()(const VoteRequest&) const { return k_vote_request_bytes; }
    size_t operator()(const VoteResponse&) const { return k_vote_response_bytes; }
    size_t operator()(const AppendRequest& m) const {
        size_t n = k_append_header_bytes;
        for (const Entry& e : m.entries) n += k_entry_header_bytes + e.data.size();
        return n;
    }
    size_t operator()(const AppendResponse&) const { return k_append_response_bytes; }
    size_t operator()(const RepairRequest&) const { return k_repair_request_bytes; }
    size_t operator()(const RepairResponse& m) const {
        constexpr size_t k_header_bytes = 1 + 8 + 1 + 8 + 8 + 1;
        return k_header_bytes + (m.entry ? k_entry_header_bytes + m.entry->data.size() : 0);
    }
    size_t operator()(const SnapshotRequest& m) const {
        return k_snapshot_request_header_bytes + m.chunk.size();
    }
    size_t operator()(const SnapshotResponse&) const { return k_snapshot_response_bytes; }
};

std::optional<RaftMessage> decode_snapshot_request(Reader& r) {
    SnapshotRequest m;
    m.term = Term{r.u64()};
    m.index = Index{r.u64()};
    m.last_term = Term{r.u64()};
    m.commit = Index{r.u64()};
    m.seq = r.u64();
    m.offset = r.u64();
    m.total = r.u64();
    m.chunk = r.bytes(k_snapshot_chunk_bytes_max);
    if (m.total > k_snapshot_total_bytes_max || m.offset > m.total ||
        m.chunk.size() > m.total - m.offset)
        return std::nullopt;
    return m;
}

std::optional<RaftMessage> decode_body(MessageType type, Reader& r) {
    switch (type) {
        case MessageType::vote_request: {
            VoteRequest m;
            m.term = Term{r.u64()};
            m.pre_vote = r.flag();
            m.last_index = Index{r.u64()};
            m.last_term = Term{r.u64()};
            return m;
        }
        case MessageType::vote_response: {
            VoteResponse m;
            m.term = Term{r.u64()};
            m.pre_vote = r.flag();
            m.granted = r.flag();
            return m;
        }
        case MessageType::append_request: {
            AppendRequest m;
            m.term = Term{r.u64()};
            m.prev_index = Index{r.u64()};
            m.prev_term = Term{r.u64()};
            m.commit = Index{r.u64()};
            m.seq = r.u64();
            const size_t n = r.count(k_entries_per_append_max, k_entry_header_bytes);
            m.entries.reserve(n);
            for (size_t i = 0; i < n && r.ok(); ++i) {
                m.entries.push_back(get_entry(r));
                // Entries follow prev_index without a gap, as encode_append writes them.
                if (m.entries.back().index.value != m.prev_index.value + 1 + i) return std::nullopt;
            }
            return m;
        }
        case MessageType::append_response: {
            AppendResponse m;
            m.term = Term{r.u64()};
            m.success = r.flag();
            m.match = Index{r.u64()};
            m.seq = r.u64();
            return m;
        }
        case MessageType::repair_request: {
            RepairRequest m;
            m.term = Term{r.u64()};
            m.index = Index{r.u64()};
            const bool known = r.flag();
            const Term t{r.u64()};
            if (!known && t != Term{}) return std::nullopt;  // encode writes 0 when unknown
            if (known) m.entry_term = t;
            return m;
        }
        case MessageType::repair_response: {
            RepairResponse m;
            m.term = Term{r.u64()};
            m.from_leader = r.flag();
            m.index = Index{r.u64()};
            m.prev_term = Term{r.u64()};
            if (r.flag()) m.entry = get_entry(r);
            return m;
        }
        case MessageType::snapshot_request:
            return decode_snapshot_request(r);
        case MessageType::snapshot_response: {
            SnapshotResponse m;
            m.term = Term{r.u64()};
            m.index = Index{r.u64()};
            m.offset = r.u64();
            m.done = r.flag();
            m.seq = r.u64();
            return m;
        }
        default:
            return std::nullopt;
    }
}

}  // namespace

std::vector<uint8_t> encode(const RaftMessage& m) {
    std::vector<uint8_t> out;
    out.reserve(std::visit(Sizer{}, m));  // one allocation, not one per doubling
    std::visit(Encoder{out}, m);
    return out;
}

std::vector<uint8_t> encode_append(const AppendRequest& header,
                                   std::span<const Entry* const> entries) {
    SL_ASSERT(entries.size() <= k_entries_per_append_max);
    size_t bytes = k_append_header_bytes;
    for (const Entry* e : entries) bytes += k_entry_header_bytes + e->data.size();
    std::vector<uint8_t> out;
    out.reserve(bytes);
    Writer w(out);
    put_append_header(w, header, entries.size());
    for (size_t k = 0; k < entries.size(); ++k) {
        // What decode_raft accepts: contiguous after prev_index, each within the entry bound.
        SL_ASSERT(entries[k]->index.value == header.prev_index.value + 1 + k);
        SL_ASSERT(entries[k]->data.size() <= k_entry_bytes_max);
        put_entry(w, *entries[k]);
    }
    SL_ASSERT(out.size() == bytes);
    return out;
}

std::optional<MessageType> message_type(std::span<const uint8_t> bytes) {
    if (bytes.empty()) return std::nullopt;
    return static_cast<MessageType>(bytes[0]);
}

std::optional<RaftMessage> decode_raft(std::span<const uint8_t> bytes) {
    const std::optional<MessageType> type = message_type(bytes);
    if (!type) return std::nullopt;
    Reader r(bytes.subspan(1));
    std::optional<RaftMessage> m = decode_body(*type, r);
    if (!m || !r.done()) return std::nullopt;
    return m;
}

}  // namespace stormlog::system::store
