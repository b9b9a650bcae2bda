#pragma once
// The ledger's domain events and their byte encoding inside an event-store event's data.
//
// An account is one stream, "acct-<name>". Money enters with FundsDeposited and leaves with
// FundsWithdrawn; a transfer is two appends: TransferDebited on the source (decided against its
// balance, with the exact expected version) and TransferCredited on the target (a fact that
// follows from the debit, so it needs no decision and takes `any`). The credit's event id is
// derived from the transfer id, so whoever appends it - the service, or the transfer completer
// after a crash or timeout - appends it once. Between the two appends the money is "in flight":
// sum(balances) + in_flight = deposits - withdrawals, always; in_flight = 0 once every transfer
// completed.
//
// Encoding: format:u8 (= k_ledger_format) | type:u8 | amount:i64 | transfer:str | counterparty:str,
// str = len:u32 | bytes (<= 128). decode is total: any other byte string is rejected. An event of
// another format (a producer on a newer schema) is what the workload's poison events are.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stormlog::system::ledger {

inline constexpr uint8_t k_ledger_format = 1;
inline constexpr size_t k_name_bytes_max = 128;

enum class EventType : uint8_t {
    opened = 1,
    deposited = 2,
    withdrawn = 3,
    transfer_debited = 4,
    transfer_credited = 5,
};
const char* to_string(EventType t);

struct LedgerEvent {
    EventType type = EventType::opened;
    int64_t amount = 0;        // > 0 for money movements, 0 for opened
    std::string transfer;      // transfers: the transfer's id
    std::string counterparty;  // transfers: the other account
    bool operator==(const LedgerEvent&) const = default;
};

std::vector<uint8_t> encode(const LedgerEvent& e);
std::optional<LedgerEvent> decode(std::span<const uint8_t> bytes);

// Streams: accounts are "acct-<name>"; everything else (memos, parked events) is not an account.
std::string account_stream(const std::string& account);
// The account a stream holds, or nullopt if it is not an account stream.
std::optional<std::string> account_of(const std::string& stream);

// Account names, operation and transfer ids: 1 to 64 of [A-Za-z0-9._-]. Names must not carry the
// read models' separators ('@' in account-history's keys) nor outgrow the encoding's strings.
inline constexpr size_t k_id_bytes_max = 64;
bool valid_name(const std::string& name);

// Event ids: an operation's event is "<op>"; a transfer's two events derive from its id.
std::string debit_id(const std::string& transfer);
std::string credit_id(const std::string& transfer);

// An event the projections cannot decode (a newer schema's format byte): the workload's poison.
std::vector<uint8_t> poison_payload(uint64_t n);

}  // namespace stormlog::system::ledger
