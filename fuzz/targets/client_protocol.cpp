// The client protocol in both directions: requests a server decodes, responses a client decodes.
#include "system/store/client_protocol.hpp"

#include "fuzz/fuzz_target.hpp"

namespace store = stormlog::system::store;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    if (auto request = store::decode_client_request(bytes)) {
        auto encoded = store::encode(*request);
        auto again = store::decode_client_request(encoded);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(*again == *request);
    }
    if (auto response = store::decode_client_response(bytes)) {
        auto encoded = store::encode(*response);
        auto again = store::decode_client_response(encoded);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(*again == *response);
    }
    return 0;
}
