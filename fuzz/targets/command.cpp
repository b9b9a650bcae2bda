// The state machine's commands: the payload of every log entry, replicated as opaque bytes.
#include "system/store/command.hpp"

#include "fuzz/fuzz_target.hpp"

namespace store = stormlog::system::store;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    auto command = store::decode_command(bytes);
    if (!command) return 0;
    if (const auto* append = std::get_if<store::AppendCommand>(&*command)) {
        // What decodes is a command the store could have proposed.
        FUZZ_CHECK(!store::validate(*append).has_value());
    }
    // decode accepts exactly the byte strings encode produces.
    FUZZ_CHECK(store::encode_command(*command) == std::vector<uint8_t>(bytes.begin(), bytes.end()));
    return 0;
}
