// Jepsen's EDN histories (a vector of op maps, or one map per line): the EDN reader, then the
// history on top of it.
#include "fuzz/fuzz_target.hpp"
#include "properties/linearizability/edn.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace lin = stormlog::properties::linearizability;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto text = stormlog::fuzz::as_text(data, size);
    lin::edn::Reader reader(text);
    lin::edn::Value value;
    for (;;) {
        auto more = reader.next(value);
        if (!more || !more.value()) break;
        (void)lin::edn::to_json(value);  // every value read has a JSON form
    }
    auto events = lin::read_edn_events(text);
    if (!events) FUZZ_CHECK(!events.error().what.empty());
    return 0;
}
