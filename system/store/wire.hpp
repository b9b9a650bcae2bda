#pragma once
// Little-endian byte writing and bounds-checked reading for the store's network messages. A
// Reader never reads past its span: any short or oversized field turns it into a failed reader
// (ok() false), so decoding hostile bytes cannot crash or allocate without bound.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/assert.hpp"

namespace stormlog::system::store::wire {

class Writer {
  public:
    explicit Writer(std::vector<uint8_t>& out) : out_(&out) {}
    void u8(uint64_t v) { put(v, 1); }
    void u32(uint64_t v) { put(v, 4); }
    void u64(uint64_t v) { put(v, 8); }
    void i64(int64_t v) { put(static_cast<uint64_t>(v), 8); }
    void bytes(std::span<const uint8_t> b) {
        u32(b.size());
        out_->insert(out_->end(), b.begin(), b.end());
    }
    void str(const std::string& s) {
        u32(s.size());
        out_->insert(out_->end(), s.begin(), s.end());
    }

  private:
    void put(uint64_t v, int n) {
        // A value (a length above all) that does not fit its field would be silently cut, and
        // the reader would misparse everything after it.
        SL_ASSERT(n == 8 || v >> (8 * n) == 0);
        // One resize per field, then plain stores: a push_back per byte checked the capacity
        // eight times per field, a visible share of every message's encoding.
        const size_t at = out_->size();
        out_->resize(at + static_cast<size_t>(n));
        uint8_t* p = out_->data() + at;
        for (int i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
    }
    std::vector<uint8_t>* out_;
};

class Reader {
  public:
    explicit Reader(std::span<const uint8_t> in) : in_(in) {}
    uint8_t u8() { return static_cast<uint8_t>(get(1)); }
    uint32_t u32() { return static_cast<uint32_t>(get(4)); }
    uint64_t u64() { return get(8); }
    int64_t i64() { return static_cast<int64_t>(get(8)); }
    bool flag() {
        const uint8_t v = u8();
        if (v > 1) ok_ = false;
        return v == 1;
    }
    // A length-prefixed byte string of at most `max` bytes.
    std::vector<uint8_t> bytes(uint32_t max) {
        const std::span<const uint8_t> s = take(max);
        return {s.begin(), s.end()};
    }
    std::string str(uint32_t max) {
        const std::span<const uint8_t> s = take(max);
        return {s.begin(), s.end()};
    }
    // A count of at most `max` items (each at least `item_bytes_min` long, so a forged count
    // cannot make the caller reserve more than the message could hold).
    size_t count(uint32_t max, size_t item_bytes_min) {
        const uint32_t n = u32();
        if (n > max || (item_bytes_min > 0 && n > remaining() / item_bytes_min)) ok_ = false;
        return ok_ ? n : 0;
    }
    size_t remaining() const { return in_.size() - at_; }
    bool ok() const { return ok_; }
    // True if every byte was read and nothing failed.
    bool done() const { return ok_ && at_ == in_.size(); }

  private:
    uint64_t get(int n) {
        if (!ok_ || remaining() < static_cast<size_t>(n)) {
            ok_ = false;
            return 0;
        }
        uint64_t v = 0;
        for (int i = 0; i < n; ++i) v |= uint64_t{in_[at_ + i]} << (8 * i);
        at_ += n;
        return v;
    }
    std::span<const uint8_t> take(uint32_t max) {
        const uint32_t n = u32();
        if (!ok_ || n > max || remaining() < n) {
            ok_ = false;
            return {};
        }
        const std::span<const uint8_t> s = in_.subspan(at_, n);
        at_ += n;
        return s;
    }

    std::span<const uint8_t> in_;
    size_t at_ = 0;
    bool ok_ = true;
};

}  // namespace stormlog::system::store::wire
