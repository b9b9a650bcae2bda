// The ledger's domain events, as projections read them back from the store.
#include "fuzz/fuzz_target.hpp"
#include "system/ledger/ledger_events.hpp"

namespace ledger = stormlog::system::ledger;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    auto event = ledger::decode(bytes);
    if (!event) return 0;
    FUZZ_CHECK(event->transfer.size() <= ledger::k_name_bytes_max);
    FUZZ_CHECK(event->counterparty.size() <= ledger::k_name_bytes_max);
    // decode is total and exact: only encode's own output decodes.
    FUZZ_CHECK(ledger::encode(*event) == std::vector<uint8_t>(bytes.begin(), bytes.end()));
    return 0;
}
