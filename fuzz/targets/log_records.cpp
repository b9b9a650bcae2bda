// The store's on-disk structures read back after torn writes, rot and misdirected sectors: a log
// record (raft.log), an identity slot (raft.ids), a hard-state slot (raft.meta).
#include <array>

#include "fuzz/fuzz_target.hpp"
#include "system/store/record_format.hpp"

namespace format = stormlog::system::store::format;

namespace {

void records(std::span<const uint8_t> bytes) {
    auto header = format::decode_header(bytes);
    auto entry = format::decode_record(bytes);
    if (!entry) return;
    FUZZ_CHECK(header.has_value());
    FUZZ_CHECK(header->index == entry->index);
    FUZZ_CHECK(header->payload_len == entry->data.size());
    std::vector<uint8_t> encoded;
    format::encode_record(*entry, encoded);
    FUZZ_CHECK(encoded.size() == format::record_span(entry->data.size()));
    FUZZ_CHECK(encoded.size() % format::k_sector_bytes == 0);
    auto again = format::decode_record(encoded);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *entry);
}

void proofs(std::span<const uint8_t> bytes) {
    if (bytes.size() < format::k_proof_bytes) return;
    auto slot = bytes.first(format::k_proof_bytes);
    auto proof = format::decode_proof(slot);
    if (!proof) return;
    std::array<uint8_t, format::k_proof_bytes> encoded{};
    format::encode_proof(*proof, encoded);
    auto again = format::decode_proof(encoded);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *proof);
}

void metas(std::span<const uint8_t> bytes) {
    if (bytes.size() < format::k_meta_slot_bytes) return;
    auto meta = format::decode_meta(bytes.first(format::k_meta_slot_bytes));
    if (!meta) return;
    std::array<uint8_t, format::k_meta_slot_bytes> encoded{};
    format::encode_meta(*meta, encoded);
    auto again = format::decode_meta(encoded);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->seq == meta->seq);
    FUZZ_CHECK(again->hard == meta->hard);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto bytes = stormlog::fuzz::as_bytes(data, size);
    records(bytes);
    proofs(bytes);
    metas(bytes);
    return 0;
}
