// A projection's checkpoint record (<name>.ckpt.N) and the read-model state inside it.
#include <string>

#include "fuzz/fuzz_target.hpp"
#include "system/projections/checkpoint.hpp"
#include "system/projections/read_model.hpp"

namespace projections = stormlog::system::projections;

namespace {

// The shared name -> value encoding every flat read model decodes; kind and apply are not read.
class AnyFlatModel final : public projections::FlatModel {
  public:
    std::string kind() const override { return "fuzz"; }
    void apply(const stormlog::system::store::RecordedEvent&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    if (auto record = projections::decode_record(bytes)) {
        auto encoded = projections::encode_record(*record);
        auto again = projections::decode_record(encoded);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->sequence == record->sequence);
        FUZZ_CHECK(again->checkpoint == record->checkpoint);
        FUZZ_CHECK(again->parked == record->parked);
        FUZZ_CHECK(again->state == record->state);
    }
    AnyFlatModel model;
    if (model.decode(bytes)) {
        auto encoded = model.encode();
        AnyFlatModel again;
        FUZZ_CHECK(again.decode(encoded));
        FUZZ_CHECK(again.view() == model.view());
    } else {
        FUZZ_CHECK(model.view().empty());  // a refused state leaves the model cleared
    }
    return 0;
}
