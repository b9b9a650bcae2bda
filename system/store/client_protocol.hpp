#pragma once
// Messages between store clients and store nodes, on the same network as Raft's (the first byte,
// MessageType::client_request / client_response, tells them apart).
//
// A request carries the client's id and a request id; retries of one call reuse both, and a
// response names the request it answers, so a late answer to an earlier attempt still counts.
// Statuses and what they promise the client:
//   ok                      applied (append) or served linearizably (read)
//   wrong_expected_version  the state machine refused the append: certainly not applied
//   idempotency_conflict    some but not all of its events were already there: not applied
//   not_leader              refused before anything was proposed; `leader` may name the leader
//   unavailable             refused before anything was proposed (disk full, node recovering)
//   unknown                 proposed, but leadership changed before it was known to commit:
//                           it may still commit - only a retry (idempotent) can tell

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "system/store/command.hpp"
#include "system/store/event_store.hpp"
#include "system/store/types.hpp"

namespace stormlog::system::store {

enum class ClientOp : uint8_t { append = 1, read = 2, read_all = 3 };
enum class ClientStatus : uint8_t {
    ok = 0,
    wrong_expected_version = 1,
    idempotency_conflict = 2,
    not_leader = 3,
    unavailable = 4,
    unknown = 5,
};
const char* to_string(ClientStatus s);

struct ClientRequest {
    uint64_t request = 0;
    ClientOp op = ClientOp::append;
    AppendCommand append;  // op == append
    std::string stream;    // op == read
    int64_t from = 0;      // read: stream position; read_all: global position
    uint32_t max = 0;      // read, read_all
    bool operator==(const ClientRequest&) const = default;
};

struct ClientResponse {
    uint64_t request = 0;
    ClientStatus status = ClientStatus::ok;
    std::optional<NodeId> leader;       // a hint with not_leader
    AppendResult result;                // append
    std::vector<RecordedEvent> events;  // read, read_all
    bool operator==(const ClientResponse&) const = default;
};

inline constexpr uint32_t k_read_max = 4096;

std::vector<uint8_t> encode(const ClientRequest& m);
std::vector<uint8_t> encode(const ClientResponse& m);
// nullopt unless `bytes` is exactly an encoding of that message.
std::optional<ClientRequest> decode_client_request(std::span<const uint8_t> bytes);
std::optional<ClientResponse> decode_client_response(std::span<const uint8_t> bytes);

}  // namespace stormlog::system::store
