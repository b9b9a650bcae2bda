#pragma once
// Raft's messages between store nodes, and their encoding on the simulated network.
//
// Every message starts with a type byte; the rest is the message's fields in order (wire.hpp).
// Decoding rejects anything that is not exactly an encoding of a message (a corrupted packet that
// slipped past the checksum must still never be misread).

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "system/store/types.hpp"

namespace stormlog::system::store {

// RequestVote (Raft §5.2), or its PreVote probe (Ongaro's thesis §9.6): `term` is the term the
// candidate would campaign in; a pre-vote changes no one's term or vote.
struct VoteRequest {
    Term term;
    bool pre_vote = false;
    Index last_index;
    Term last_term;
};

struct VoteResponse {
    Term term;  // the voter's term (for a pre-vote: the request's term when granted)
    bool pre_vote = false;
    bool granted = false;
};

// AppendEntries (§5.3); also the heartbeat. `seq` numbers the leader's broadcasts, so a response
// tells the leader which of its rounds the follower has seen (ReadIndex needs that).
struct AppendRequest {
    Term term;
    Index prev_index;
    Term prev_term;
    Index commit;
    uint64_t seq = 0;
    std::vector<Entry> entries;
};

struct AppendResponse {
    Term term;
    bool success = false;
    // On success: the follower's log matches the leader's up to here and holds every entry up to
    // here intact. On rejection: a hint - the leader should retry from hint + 1.
    Index match;
    uint64_t seq = 0;
};

// A node whose disk lost an entry (a corrupt hole) asks its peers for a copy. `term`, when known
// (the entry's surviving identity record), lets any peer answer; without it only the leader can.
struct RepairRequest {
    Term term;  // the sender's current term
    Index index;
    std::optional<Term> entry_term;
};

struct RepairResponse {
    Term term;  // the responder's current term
    bool from_leader = false;
    std::optional<Entry> entry;  // nullopt: the responder holds no intact copy it can vouch for
    Index index;
    // The responder's term at index - 1: a copy without a proven identity fits only a log whose
    // entry before it is the same (Log Matching).
    Term prev_term;
};

// InstallSnapshot (Raft thesis §5.1.3): the leader sends a follower whose next index it has
// compacted away its snapshot, in chunks of at most k_snapshot_chunk_bytes_max (so a message stays
// under the network's 1 MiB bound) at byte `offset` of a snapshot `total` bytes long.
struct SnapshotRequest {
    Term term;
    Index index;     // the snapshot's last included index
    Term last_term;  // ... and its term
    Index commit;
    uint64_t seq = 0;  // the broadcast round, as in AppendRequest
    uint64_t offset = 0;
    uint64_t total = 0;
    std::vector<uint8_t> chunk;
};

struct SnapshotResponse {
    Term term;
    Index index;          // the snapshot this answers
    uint64_t offset = 0;  // bytes received so far (the next chunk wanted)
    bool done = false;    // installed durably: the follower's log now matches up to `index`
    uint64_t seq = 0;
};

using RaftMessage = std::variant<VoteRequest, VoteResponse, AppendRequest, AppendResponse,
                                 RepairRequest, RepairResponse, SnapshotRequest, SnapshotResponse>;

// The first byte of every store message. Client messages (client_protocol.hpp) share the space.
enum class MessageType : uint8_t {
    vote_request = 1,
    vote_response = 2,
    append_request = 3,
    append_response = 4,
    repair_request = 5,
    repair_response = 6,
    snapshot_request = 7,
    snapshot_response = 8,
    client_request = 16,
    client_response = 17,
};

// Bounds decoding enforces.
inline constexpr uint32_t k_entry_bytes_max = 1u << 20;
inline constexpr uint32_t k_entries_per_append_max = 4096;
inline constexpr uint32_t k_snapshot_chunk_bytes_max = 512 * 1024;
inline constexpr uint64_t k_snapshot_total_bytes_max = uint64_t{1} << 30;

std::vector<uint8_t> encode(const RaftMessage& m);
// An AppendRequest's encoding straight from the log's entries (the leader's hot path: no copy of
// the entries into a message first). Equal to encode() of the same request.
std::vector<uint8_t> encode_append(const AppendRequest& header,
                                   std::span<const Entry* const> entries);
std::optional<RaftMessage> decode_raft(std::span<const uint8_t> bytes);
std::optional<MessageType> message_type(std::span<const uint8_t> bytes);

}  // namespace stormlog::system::store
