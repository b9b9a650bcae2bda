// LogStore: the calls that change the log - append, sync, truncate_suffix, repair.

#include <algorithm>
#include <utility>

#include "sim/assert.hpp"
#include "sim/network.hpp"
#include "system/store/log_store.hpp"

namespace stormlog::system::store {
namespace {

Status status_of(const sim::IoResult& r) {
    if (r.ok()) return Status::ok;
    return r.error == sim::IoError::disk_full ? Status::disk_full : Status::io_error;
}

format::Proof proof_of(const Entry& e, uint64_t offset) {
    return format::Proof{e.index, e.term, offset, static_cast<uint32_t>(e.data.size()),
                         sim::crc32c(e.data)};
}

}  // namespace

Status LogStore::append(std::span<const Entry> entries) {
    SL_ASSERT(recovered_);
    SL_ASSERT(!entries.empty());
    // Records start on sector boundaries (record_format.hpp): the log's end is one.
    SL_ASSERT(log_end_bytes_ % format::k_sector_bytes == 0);
    if (stopped_) return Status::fail_stop;
    std::optional<Term> floor = last_index().value > 0 ? term_at(last_index()) : Term{};
    std::vector<uint8_t> buf;
    uint64_t bytes = 0;
    for (const Entry& e : entries) bytes += format::record_span(e.data.size());
    buf.reserve(bytes);  // one allocation for the batch, which the disk then takes whole
    for (size_t k = 0; k < entries.size(); ++k) {
        const Entry& e = entries[k];
        SL_ASSERT(e.index.value == last_index().value + 1 + k);
        SL_ASSERT(!floor || e.term >= *floor);
        floor = e.term;
        format::encode_record(e, buf);
    }
    // One write: at a crash it is lost or torn at a sector, never reordered within the batch.
    const Status s = status_of(disk_->write(options_.log_file, log_end_bytes_, std::move(buf)));
    if (s != Status::ok) return s;
    for (const Entry& e : entries) {
        detail::Slot slot;
        slot.entry = e;
        slot.offset = log_end_bytes_;
        slot.span_bytes = format::record_span(e.data.size());
        slot.proof = proof_of(e, log_end_bytes_);
        log_end_bytes_ += slot.span_bytes;
        slots_.push_back(std::move(slot));
    }
    log_dirty_ = true;
    SL_ASSERT(log_end_bytes_ == disk_->size(options_.log_file));
    return Status::ok;
}

Status LogStore::sync() {
    SL_ASSERT(recovered_);
    if (stopped_) return Status::fail_stop;
    if (log_dirty_ && disk_->exists(options_.log_file)) {
        // The proofs below may be written only once this fsync has completed (the ordering
        // argument in log_store.hpp).
        const Status s = fsync_file(options_.log_file);
        if (s != Status::ok) return s;
    }
    log_dirty_ = false;
    bool wrote = false;
    for (size_t k = unproven_from_; k < slots_.size();) {
        if (!slots_[k].entry || slots_[k].proof_on_disk) {
            ++k;
            continue;
        }
        size_t end = k;
        while (end + 1 < slots_.size() && slots_[end + 1].entry && !slots_[end + 1].proof_on_disk)
            ++end;
        const Status s = write_proofs(k, end);
        if (s != Status::ok) return s;
        wrote = true;
        k = end + 1;
    }
    const Status s = wrote ? fsync_ids() : Status::ok;
    if (s == Status::ok) unproven_from_ = slots_.size();
    return s;
}

Status LogStore::write_proofs(size_t first, size_t last) {
    SL_ASSERT(first <= last);
    SL_ASSERT(last < slots_.size());
    std::vector<uint8_t> buf((last - first + 1) * format::k_proof_bytes);
    for (size_t k = first; k <= last; ++k) {
        const detail::Slot& s = slots_[k];
        SL_ASSERT(s.entry);
        SL_ASSERT(s.offset);
        SL_ASSERT(s.proof);
        // A proof names this slot's entry at its record's start.
        SL_ASSERT(s.proof->index.value == base_ + 1 + k);
        SL_ASSERT(s.proof->offset == *s.offset);
        const auto out =
            std::span(buf).subspan((k - first) * format::k_proof_bytes, format::k_proof_bytes);
        format::encode_proof(*s.proof, out);
    }
    // Proofs sit at absolute positions: slot k is index base_ + 1 + k.
    const Status st = status_of(
        disk_->write(options_.ids_file, (base_ + first) * format::k_proof_bytes, std::move(buf)));
    if (st != Status::ok) return st;
    // Marked now, counted only once fsync_ids completes: a crash before that loses the process too.
    for (size_t k = first; k <= last; ++k) slots_[k].proof_on_disk = slots_[k].proven = true;
    return Status::ok;
}

Status LogStore::fsync_ids() {
    if (options_.bug_skip_ids_fsync) return Status::ok;
    return fsync_file(options_.ids_file);
}

uint64_t LogStore::cut_offset(Index from) const {
    if (from <= last_index() && slot(from).offset) return *slot(from).offset;
    for (uint64_t i = std::min(from.value - 1, last_index().value); i > base_; --i) {
        const detail::Slot& s = slot(Index{i});
        if (!s.offset) continue;
        // A hole of unknown extent: cutting at its start drops bytes that were damaged anyway.
        return s.span_bytes > 0 ? *s.offset + s.span_bytes : *s.offset;
    }
    // Everything after the base goes; the compacted records before it are moot either way.
    return base_end_.value_or(0);
}

Status LogStore::cut(Index keep, uint64_t log_end_bytes) {
    const uint64_t ids_bytes = keep.value * format::k_proof_bytes;
    // Proofs go first: a crash between the two steps must not leave a proof of a record that is
    // gone (it would read as corruption); a record without a proof is harmless (unacknowledged).
    // A refused truncate changes nothing (io_error); a failed fsync stops the store.
    if (disk_->size(options_.ids_file) > ids_bytes) {
        Status s = status_of(disk_->truncate(options_.ids_file, ids_bytes));
        if (s == Status::ok) s = fsync_file(options_.ids_file);
        if (s != Status::ok) return s;
    }
    if (disk_->size(options_.log_file) != log_end_bytes) {
        Status s = status_of(disk_->truncate(options_.log_file, log_end_bytes));
        if (s == Status::ok) s = fsync_file(options_.log_file);
        if (s != Status::ok) return s;
    }
    return Status::ok;
}

Status LogStore::truncate_suffix(Index from) {
    SL_ASSERT(recovered_);
    SL_ASSERT(from > Index{base_});
    SL_ASSERT(from <= last_index().next());
    if (stopped_) return Status::fail_stop;
    if (from > last_index()) return Status::ok;
    const uint64_t end = cut_offset(from);
    const Status s = cut(Index{from.value - 1}, end);
    if (s != Status::ok) {
        // The disk refused to cut raft.log after raft.ids lost the proofs: the entries stay,
        // unproven - the next sync() proves them again (the caller must sync before acking).
        if (!stopped_) revoke_proofs(from);
        return s;
    }
    slots_.resize(pos(from));
    holes_.erase(holes_.lower_bound(from.value), holes_.end());
    unproven_from_ = std::min(unproven_from_, slots_.size());
    log_end_bytes_ = end;
    SL_ASSERT(log_end_bytes_ % format::k_sector_bytes == 0);  // cut at a record boundary
    return Status::ok;
}

void LogStore::revoke_proofs(Index from) {
    const uint64_t proofs = disk_->size(options_.ids_file) / format::k_proof_bytes;
    for (size_t k = pos(from); k < slots_.size(); ++k) {
        // Proofs at absolute positions: slot k's is proof number base_ + k.
        if (base_ + k < proofs) continue;
        slots_[k].proof_on_disk = false;
        unproven_from_ = std::min(unproven_from_, k);
    }
}

Status LogStore::repair(const Entry& e) {
    SL_ASSERT(recovered_);
    SL_ASSERT(e.index.value > base_);
    SL_ASSERT(e.index <= last_index());
    detail::Slot& s = slot(e.index);
    if (s.entry) return Status::not_corrupt;
    if (stopped_) return Status::fail_stop;
    std::optional<uint64_t> offset = s.offset;
    if (!offset && e.index.value == base_ + 1) offset = base_end_;
    if (!offset && e.index.value > base_ + 1 && holds(Index{e.index.value - 1})) {
        const detail::Slot& prev = slot(Index{e.index.value - 1});
        offset = *prev.offset + prev.span_bytes;
    }
    if (!offset) return Status::unlocatable;
    const format::Proof p = proof_of(e, *offset);
    const uint64_t span = format::record_span(e.data.size());
    if (s.proof && (s.proof->term != p.term || s.proof->payload_len != p.payload_len ||
                    s.proof->payload_crc != p.payload_crc))
        return Status::mismatch;
    // The rewrite must fill exactly the hole: an entry of another size is not the one lost.
    if (e.index < last_index()) {
        const detail::Slot& next = slot(e.index.next());
        if (next.offset && *next.offset != *offset + span) return Status::mismatch;
    }
    // In place of the lost record, at a record boundary.
    SL_ASSERT(*offset % format::k_sector_bytes == 0);
    std::vector<uint8_t> buf;
    format::encode_record(e, buf);
    Status st = status_of(disk_->write(options_.log_file, *offset, buf));
    if (st == Status::ok) st = fsync_file(options_.log_file);
    if (st != Status::ok) return st;
    s.entry = e;
    s.offset = offset;
    s.span_bytes = span;
    s.proof = p;
    s.proof_on_disk = false;
    holes_.erase(e.index.value);
    log_end_bytes_ = std::max(log_end_bytes_, *offset + span);
    const size_t k = pos(e.index);
    unproven_from_ = std::min(unproven_from_, k);  // until its proof is written, sync must see it
    st = write_proofs(k, k);
    return st == Status::ok ? fsync_ids() : st;
}

}  // namespace stormlog::system::store
