#include "system/store/log_scan.hpp"

#include <algorithm>
#include <span>

#include "sim/assert.hpp"
#include "sim/network.hpp"

namespace stormlog::system::store::detail {
namespace {

using format::k_proof_bytes;
using format::k_sector_bytes;

// Reads per call while imaging a file; a failing chunk is re-read sector by sector to find which
// sectors are bad, so one latent error costs only its own sector.
constexpr uint64_t k_read_chunk_bytes = 64 * k_sector_bytes;

// What one proof slot of raft.ids says.
struct ProofSlot {
    std::optional<format::Proof> proof;  // valid and for this index
    bool evidence = false;               // non-zero content: some proof was written here
};

std::vector<ProofSlot> read_proofs(const FileImage& ids) {
    std::vector<ProofSlot> out(ids.bytes.size() / k_proof_bytes);
    for (size_t k = 0; k < out.size(); ++k) {
        const uint64_t at = k * k_proof_bytes;
        // An unreadable slot is no evidence either way (see the header: a double fault).
        if (ids.bad(at, k_proof_bytes)) continue;
        const auto bytes = std::span(ids.bytes).subspan(at, k_proof_bytes);
        out[k].evidence = std::any_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b != 0; });
        const auto p = format::decode_proof(bytes);
        // A valid proof in the wrong slot is a misdirected write: evidence, but not this index's.
        if (p && p->index.value == k + 1) out[k].proof = p;
    }
    return out;
}

class Scanner {
  public:
    Scanner(const FileImage& log, bool bug) : log_(log), bug_(bug) {}

    ScanResult run(const std::vector<ProofSlot>& proofs, Index base) {
        result_.first = first_index(proofs, base);
        const size_t from = result_.first.value - 1;
        size_t proven_max = 0;
        for (size_t k = from; k < proofs.size(); ++k)
            if (proofs[k].evidence) proven_max = k + 1;
        for (size_t k = from; k < proven_max && !done_; ++k) classify_proven(proofs[k]);
        if (!done_) scan_unproven();
        return std::move(result_);
    }

  private:
    Index expected() const { return Index{result_.first.value + result_.slots.size()}; }

    // See "Where the log starts" in the header.
    Index first_index(const std::vector<ProofSlot>& proofs, Index base) const {
        // The newest reset's proof wins over any stale one a failed reset left behind.
        for (size_t k = proofs.size(); k-- > 0;)
            if (proofs[k].proof && proofs[k].proof->offset == 0) return proofs[k].proof->index;
        if (const auto h = format::decode_header(log_.bytes); h && !log_.bad(0, 1)) return h->index;
        return base.next();
    }

    // The entry whose record starts at `offset`, if it is whole, readable, checksummed and the
    // next one in sequence (index and non-decreasing term): anything else is misplaced or damaged.
    std::optional<Entry> record_at(uint64_t offset, Index want) const {
        const auto& b = log_.bytes;
        if (offset >= b.size()) return std::nullopt;
        const auto rest = std::span(b).subspan(offset);
        const auto h = format::decode_header(rest);
        if (!h || h->index != want || h->term < term_floor_) return std::nullopt;
        if (log_.bad(offset, format::k_record_header_bytes + h->payload_len)) return std::nullopt;
        return format::decode_record(rest);
    }

    void push_intact(Entry e, uint64_t offset, bool proven, bool proof_on_disk) {
        // record_at returned it for this index, and only in sequence.
        SL_ASSERT(e.index == expected());
        SL_ASSERT(e.term >= term_floor_);
        const uint64_t span = format::record_span(e.data.size());
        Slot s;
        s.proof = format::Proof{e.index, e.term, offset, static_cast<uint32_t>(e.data.size()),
                                sim::crc32c(e.data)};
        s.entry = std::move(e);
        s.offset = offset;
        s.span_bytes = span;
        s.proven = proven;
        s.proof_on_disk = proof_on_disk;
        term_floor_ = s.entry->term;
        cursor_ = offset + span;
        result_.slots.push_back(std::move(s));
    }

    void push_hole(std::optional<uint64_t> offset, std::optional<format::Proof> proof,
                   bool proven) {
        SL_ASSERT(!proof || proof->index == expected());
        Slot s;
        s.offset = offset;
        s.proof = proof;
        s.proven = proven;
        s.proof_on_disk = proof.has_value();
        if (proof) {
            s.span_bytes = format::record_span(proof->payload_len);
            term_floor_ = std::max(term_floor_, proof->term);
        }
        cursor_ = (offset && proof) ? std::optional(*offset + s.span_bytes) : std::nullopt;
        result_.slots.push_back(std::move(s));
    }

    void cut(uint64_t at) {
        result_.log_end_bytes = at;
        if (at < log_.bytes.size()) result_.truncated_from = expected();
        done_ = true;
    }

    void classify_proven(const ProofSlot& ps) {
        const std::optional<uint64_t> offset = ps.proof ? std::optional(ps.proof->offset) : cursor_;
        std::optional<Entry> e = offset ? record_at(*offset, expected()) : std::nullopt;
        if (e && ps.proof && (e->term != ps.proof->term || e->data.size() != ps.proof->payload_len))
            e.reset();  // a stale or misdirected record that happens to carry this index
        if (e) {
            push_intact(std::move(*e), *offset, true, ps.proof.has_value());
            return;
        }
        if (bug_ && offset) return cut(*offset);
        push_hole(offset, ps.proof, true);
    }

    // The first offset at or after `from` holding an intact record of index >= expected().
    std::optional<std::pair<uint64_t, Index>> resync(uint64_t from) const {
        const uint64_t start = (from + k_sector_bytes - 1) / k_sector_bytes * k_sector_bytes;
        for (uint64_t at = start; at < log_.bytes.size(); at += k_sector_bytes) {
            const auto h = format::decode_header(std::span(log_.bytes).subspan(at));
            if (!h || h->index < expected()) continue;
            if (record_at(at, h->index)) return std::pair{at, h->index};
        }
        return std::nullopt;
    }

    void scan_unproven() {
        uint64_t pos = cursor_.value_or(last_known_end());
        if (!cursor_) {
            // The last proven record's extent is unknown (its record and its proof are both
            // damaged, a double fault): continue at the next record in sequence, if there is one.
            const auto next = resync(pos);
            if (!next || next->second != expected()) return cut(pos);
            pos = next->first;
        }
        while (pos < log_.bytes.size()) {
            if (auto e = record_at(pos, expected())) {
                push_intact(std::move(*e), pos, false, false);
                pos = *cursor_;
                continue;
            }
            // Nothing from here on was proven, so nothing was acknowledged: the crash's cut.
            // (Intact records may follow a bad one - the disk drops earlier pending writes while a
            // later one tears - but being unproven they are unacknowledged too, and safe to drop.)
            return cut(pos);
        }
        finish(pos);
    }

    void finish(uint64_t end) {
        result_.log_end_bytes = end;
        done_ = true;
    }

    uint64_t last_known_end() const {
        for (auto it = result_.slots.rbegin(); it != result_.slots.rend(); ++it)
            if (it->offset && it->span_bytes > 0) return *it->offset + it->span_bytes;
        return 0;
    }

    const FileImage& log_;
    bool bug_;
    ScanResult result_;
    std::optional<uint64_t> cursor_ = 0;  // where the next record starts, if known
    Term term_floor_;
    bool done_ = false;
};

}  // namespace

bool FileImage::bad(uint64_t offset, uint64_t length) const {
    if (length == 0) return false;
    const uint64_t last = (offset + length - 1) / k_sector_bytes;
    for (uint64_t s = offset / k_sector_bytes; s <= last && s < bad_sectors.size(); ++s)
        if (bad_sectors[s]) return true;
    return false;
}

FileImage read_image(sim::Disk& disk, const std::string& file) {
    FileImage img;
    img.bytes.resize(disk.size(file));
    img.bad_sectors.assign((img.bytes.size() + k_sector_bytes - 1) / k_sector_bytes, false);
    for (uint64_t at = 0; at < img.bytes.size(); at += k_read_chunk_bytes) {
        const uint64_t n = std::min<uint64_t>(k_read_chunk_bytes, img.bytes.size() - at);
        if (disk.read(file, at, std::span(img.bytes).subspan(at, n)).error !=
            sim::IoError::io_error)
            continue;
        for (uint64_t s = at; s < at + n; s += k_sector_bytes) {
            const uint64_t len = std::min<uint64_t>(k_sector_bytes, at + n - s);
            if (disk.read(file, s, std::span(img.bytes).subspan(s, len)).error ==
                sim::IoError::io_error)
                img.bad_sectors[s / k_sector_bytes] = true;
        }
    }
    return img;
}

ScanResult scan_log(const FileImage& log, const FileImage& ids, Index base,
                    bool bug_truncate_corruption) {
    ScanResult r = Scanner(log, bug_truncate_corruption).run(read_proofs(ids), base);
    SL_ASSERT(r.first.value >= 1);
    for (size_t k = 0; k < r.slots.size(); ++k) {
        [[maybe_unused]] const Slot& s = r.slots[k];
        SL_ASSERT(!s.entry || s.entry->index.value == r.first.value + k);
        SL_ASSERT(!s.entry || s.offset.has_value());
        // Twin of raft.leader_completeness (FAST'18): a hole is kept only where raft.ids proves
        // the entry was durable (it may be committed); anything unproven was cut as torn.
        SL_ASSERT(s.entry || s.proven);
    }
    // A torn tail starts right after the kept log.
    SL_ASSERT(!r.truncated_from || r.truncated_from->value == r.first.value + r.slots.size());
    return r;
}

}  // namespace stormlog::system::store::detail
