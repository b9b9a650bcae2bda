#include "system/ledger/ledger_events.hpp"

#include <cstdint>

#include "sim/assert.hpp"
#include "system/store/command.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::ledger {

namespace wire = store::wire;

namespace {

// format, type, amount, and the two strings' length prefixes.
constexpr size_t k_fixed_bytes = 1 + 1 + 8 + 4 + 4;

// decode() accepts the types opened..transfer_credited as one range of bytes.
static_assert(static_cast<uint8_t>(EventType::opened) == 1);
static_assert(static_cast<uint8_t>(EventType::transfer_credited) == 5);
// poison_payload's format byte is another one, and still a byte.
static_assert(k_ledger_format < UINT8_MAX);
// What the service writes fits what the encoding and the store hold: transfer ids and account
// names (the event's strings), "acct-<name>" streams, and the ids derived from a transfer id.
static_assert(k_id_bytes_max <= k_name_bytes_max);
static_assert(5 + k_id_bytes_max <= store::k_stream_bytes_max);
static_assert(k_id_bytes_max + sizeof "-credit" - 1 <= store::k_event_id_bytes_max);

bool is_transfer(EventType t) {
    return t == EventType::transfer_debited || t == EventType::transfer_credited;
}

}  // namespace

const char* to_string(EventType t) {
    switch (t) {
        case EventType::opened:
            return "AccountOpened";
        case EventType::deposited:
            return "FundsDeposited";
        case EventType::withdrawn:
            return "FundsWithdrawn";
        case EventType::transfer_debited:
            return "TransferDebited";
        case EventType::transfer_credited:
            return "TransferCredited";
    }
    return "?";
}

std::vector<uint8_t> encode(const LedgerEvent& e) {
    // Only what decode() accepts is ever written: an event the service appends but its own
    // fold and projections could not read would be a poison event of its own making.
    SL_ASSERT(e.type != EventType::opened || e.amount == 0);
    SL_ASSERT(e.type == EventType::opened || e.amount > 0);
    SL_ASSERT(is_transfer(e.type) != e.transfer.empty());
    SL_ASSERT(is_transfer(e.type) != e.counterparty.empty());
    SL_ASSERT(e.transfer.size() <= k_name_bytes_max);
    SL_ASSERT(e.counterparty.size() <= k_name_bytes_max);
    std::vector<uint8_t> out;
    wire::Writer w(out);
    w.u8(k_ledger_format);
    w.u8(static_cast<uint8_t>(e.type));
    w.i64(e.amount);
    w.str(e.transfer);
    w.str(e.counterparty);
    SL_ASSERT(out.size() == k_fixed_bytes + e.transfer.size() + e.counterparty.size());
    return out;
}

std::optional<LedgerEvent> decode(std::span<const uint8_t> bytes) {
    wire::Reader r(bytes);
    if (r.u8() != k_ledger_format) return std::nullopt;
    LedgerEvent e;
    const uint8_t type = r.u8();
    if (type < 1 || type > 5) return std::nullopt;
    e.type = static_cast<EventType>(type);
    e.amount = r.i64();
    e.transfer = r.str(k_name_bytes_max);
    e.counterparty = r.str(k_name_bytes_max);
    if (!r.done()) return std::nullopt;
    // The twin of encode()'s size: every byte read, none left over.
    SL_ASSERT(bytes.size() == k_fixed_bytes + e.transfer.size() + e.counterparty.size());
    const bool transfer = is_transfer(e.type);
    if (e.type == EventType::opened ? e.amount != 0 : e.amount <= 0) return std::nullopt;
    if (transfer == e.transfer.empty()) return std::nullopt;
    // Only transfers name a counterparty; an encoding that is not encode()'s is not an event.
    if (transfer == e.counterparty.empty()) return std::nullopt;
    return e;
}

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > k_id_bytes_max) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string account_stream(const std::string& account) {
    return "acct-" + account;
}

std::optional<std::string> account_of(const std::string& stream) {
    if (stream.size() <= 5 || stream.compare(0, 5, "acct-") != 0) return std::nullopt;
    return stream.substr(5);
}

std::string debit_id(const std::string& transfer) {
    return transfer + "-debit";
}
std::string credit_id(const std::string& transfer) {
    return transfer + "-credit";
}

std::vector<uint8_t> poison_payload(uint64_t n) {
    std::vector<uint8_t> out;
    wire::Writer w(out);
    w.u8(k_ledger_format + 1);  // a schema this build does not know
    w.u64(n);
    SL_ASSERT(out[0] != k_ledger_format);  // so decode() refuses it, whatever n is
    return out;
}

}  // namespace stormlog::system::ledger
