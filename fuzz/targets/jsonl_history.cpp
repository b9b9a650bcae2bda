// stormlog's JSON-lines histories (shared/HISTORY_FORMAT.md), read and paired into operations.
#include "fuzz/fuzz_target.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace lin = stormlog::properties::linearizability;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto text = stormlog::fuzz::as_text(data, size);
    auto events = lin::read_jsonl_events(text);
    if (!events) {
        FUZZ_CHECK(!events.error().what.empty());
        return 0;
    }
    auto operations = lin::parse_history(text, lin::HistoryFormat::jsonl);
    if (!operations) FUZZ_CHECK(!operations.error().what.empty());
    return 0;
}
