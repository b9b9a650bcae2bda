// A durable Raft snapshot file (raft.snap.N) as the disk hands it back, and the event store's
// state inside it (what StoreServer::restore decodes on a follower or after a restart).
#include "fuzz/fuzz_target.hpp"
#include "system/store/event_store.hpp"
#include "system/store/snapshot_format.hpp"

namespace store = stormlog::system::store;
namespace format = stormlog::system::store::format;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    if (auto file = format::decode_snapshot(bytes)) {
        FUZZ_CHECK(format::encode_snapshot(*file) ==
                   std::vector<uint8_t>(bytes.begin(), bytes.end()));
    }
    // The same bytes as the state machine's snapshot data.
    if (auto restored = store::EventStore::restore(bytes)) {
        auto encoded = restored->snapshot();
        auto again = store::EventStore::restore(encoded);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->snapshot() == encoded);
        FUZZ_CHECK(again->head() == restored->head());
        FUZZ_CHECK(again->applied_index() == restored->applied_index());
    }
    return 0;
}
