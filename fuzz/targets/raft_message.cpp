// Raft messages as the simulated network delivers them: any bytes, corrupted on purpose.
#include "fuzz/fuzz_target.hpp"
#include "system/store/raft_messages.hpp"

namespace store = stormlog::system::store;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    auto decoded = store::decode_raft(bytes);
    if (decoded) {
        // Decoding rejects anything that is not exactly an encoding: what decodes re-encodes to
        // the same bytes.
        FUZZ_CHECK(store::encode(*decoded) == std::vector<uint8_t>(bytes.begin(), bytes.end()));
        FUZZ_CHECK(store::message_type(bytes).has_value());
        if (const auto* append = std::get_if<store::AppendRequest>(&*decoded)) {
            std::vector<const store::Entry*> entries;
            for (const auto& e : append->entries) entries.push_back(&e);
            FUZZ_CHECK(store::encode_append(*append, entries) == store::encode(*decoded));
        }
    }
    return 0;
}
