// LogStore: recovery, hard state and read accessors. Writes to the log: log_store_write.cpp.

#include "system/store/log_store.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::system::store {

const char* to_string(Status s) {
    switch (s) {
        case Status::ok:
            return "ok";
        case Status::disk_full:
            return "disk_full";
        case Status::io_error:
            return "io_error";
        case Status::not_corrupt:
            return "not_corrupt";
        case Status::mismatch:
            return "mismatch";
        case Status::unlocatable:
            return "unlocatable";
        case Status::fail_stop:
            return "fail_stop";
    }
    return "?";
}

bool Recovered::holds(Index i) const {
    return i >= first_index && i.value - first_index.value < log.size() &&
           log[i.value - first_index.value].entry.has_value();
}

LogStore::LogStore(sim::Disk& disk, LogStoreOptions options)
    : disk_(&disk), options_(std::move(options)) {}

Recovered LogStore::recover() {
    SL_ASSERT(!recovered_);
    recovered_ = true;
    Recovered out;
    recover_hard_state(out);
    recover_snapshot(out);
    const detail::FileImage log = detail::read_image(*disk_, options_.log_file);
    const detail::FileImage ids = detail::read_image(*disk_, options_.ids_file);
    const Index base = snapshot_ ? snapshot_->index : Index{};
    detail::ScanResult scan = detail::scan_log(log, ids, base, options_.bug_truncate_corruption);
    // A torn tail, and proof slots past the kept log, must go before anything is appended: new
    // records would otherwise be read back next to stale bytes and stale proofs.
    const Status cut_status =
        cut(Index{scan.first.value - 1 + scan.slots.size()}, scan.log_end_bytes);
    // Shrinking never needs space; but the disk may refuse the truncate or its fsync, and then
    // the torn tail is still there: this incarnation cannot go on (the caller restarts).
    SL_ASSERT(cut_status == Status::ok || cut_status == Status::io_error || stopped_);
    if (cut_status != Status::ok) (void)stop();
    load(std::move(scan), out);
    // The log never starts before the snapshot (the prefix it covers is moot), and it follows
    // the snapshot directly unless the newest snapshot was lost after a reset (a gap).
    const uint64_t snap = snapshot_ ? snapshot_->index.value : 0;
    SL_ASSERT(base_ >= snap);
    SL_ASSERT(out.gap == (base_ > snap));
    if (out.hard_state_lost) {
        for (const LogSlot& s : out.log)
            if (s.entry) out.hard.term = std::max(out.hard.term, s.entry->term);
        if (out.snapshot) out.hard.term = std::max(out.hard.term, out.snapshot->term);
    }
    return out;
}

void LogStore::load(detail::ScanResult scan, Recovered& out) {
    const uint64_t snap = snapshot_ ? snapshot_->index.value : 0;
    base_ = scan.first.value - 1;
    slots_ = std::move(scan.slots);
    base_end_ = base_ == 0 ? std::optional<uint64_t>(0) : std::nullopt;
    gap_ = base_ > snap;
    bool conflict = false;
    if (base_ < snap) {
        // Indices the snapshot covers are moot, intact or not. The slot at the snapshot's index
        // tells where the next record starts (for repairing a hole right after it), and whether
        // the entries after it belong to the snapshot's history at all.
        const size_t drop = std::min<size_t>(snap - base_, slots_.size());
        base_end_.reset();
        if (drop == snap - base_ && drop > 0) {
            const detail::Slot& last = slots_[drop - 1];
            if (last.offset && last.span_bytes > 0) base_end_ = *last.offset + last.span_bytes;
            // A hole of unknown identity there cannot be compared: keep the suffix (it conflicts
            // only if a crash cut save_snapshot's reset short *and* the entry rotted: a double
            // fault, beyond the budget).
            conflict = last.proof && last.proof->term != snapshot_->term;
        }
        slots_.erase(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(drop));
        base_ = snap;
        // A crash between save_snapshot's fsync and its reset: a suffix of another history. And
        // a log that ends at or before the snapshot is reset too, so that the next record starts
        // raft.log at offset 0 instead of following stale (perhaps torn) records: a later scan
        // would otherwise read those as the log's start and find a discontinuity at the snapshot.
        conflict = conflict || slots_.empty();
    }
    // The log starts right after the snapshot: the snapshot knows the term of entry base_.
    if (snapshot_ && base_ == snap) base_term_ = snapshot_->term;
    log_end_bytes_ = scan.log_end_bytes;
    if (conflict && !stopped_) {
        // Shrinking never needs space; a refused truncate or fsync stops the store (reset).
        const Status st = reset(Index{snap});
        SL_ASSERT(st == Status::ok || stopped_);
        (void)st;
    }
    out.gap = gap_;
    out.first_index = first_index();
    // After a process-only crash the page cache may still hold unsynced bytes: fsync before
    // proving.
    log_dirty_ = true;
    out.truncated_from = scan.truncated_from;
    out.last_index = last_index();
    out.log.reserve(slots_.size());
    unproven_from_ = 0;
    for (size_t k = 0; k < slots_.size(); ++k) {
        const Index i{base_ + 1 + k};
        out.log.push_back(LogSlot{i, slots_[k].entry, slots_[k].proven});
        if (!slots_[k].entry) {
            out.corrupt.push_back(i);
            holes_.insert(i.value);
        }
    }
}

void LogStore::recover_hard_state(Recovered& out) {
    using format::k_meta_slot_bytes;
    const detail::FileImage meta = detail::read_image(*disk_, options_.meta_file);
    std::optional<format::MetaSlot> best;
    for (uint64_t at = 0; at + k_meta_slot_bytes <= meta.bytes.size(); at += k_meta_slot_bytes) {
        const std::span<const uint8_t> bytes = std::span(meta.bytes).subspan(at, k_meta_slot_bytes);
        // An unreadable slot (EIO) is damaged whatever its bytes read as; a readable one that is
        // all zeros was never written.
        const bool unreadable = meta.bad(at, k_meta_slot_bytes);
        const bool blank = !unreadable && std::all_of(bytes.begin(), bytes.end(),
                                                      [](uint8_t b) { return b == 0; });
        const auto m = unreadable ? std::nullopt : format::decode_meta(bytes);
        if (!m && !blank) out.meta_damaged = true;
        if (m && (!best || m->seq > best->seq)) best = m;
    }
    if (best) {
        hard_ = best->hard;
        meta_seq_ = best->seq;
    }
    // A fresh node has no files at all; any data without a valid slot means the vote was lost.
    const bool has_data =
        disk_->size(options_.meta_file) > 0 || disk_->size(options_.log_file) > 0 ||
        disk_->size(options_.ids_file) > 0 || disk_->size(options_.snapshot_files[0]) > 0 ||
        disk_->size(options_.snapshot_files[1]) > 0;
    out.hard_state_lost = !best && has_data;
    out.blank = !has_data;
    out.hard = hard_;
}

Status LogStore::save_hard_state(const HardState& hard) {
    SL_ASSERT(recovered_);
    // Terms only move forward on disk too (twin of raft.election_safety): a node never takes
    // back a term it may have voted in.
    SL_ASSERT(hard.term >= hard_.term);
    if (stopped_) return Status::fail_stop;
    const format::MetaSlot m{meta_seq_ + 1, hard};
    std::vector<uint8_t> buf(format::k_meta_slot_bytes);
    format::encode_meta(m, buf);
    // Slot seq % 2: the one not holding the newest valid copy, so a torn write loses only the new.
    const uint64_t at = (m.seq % 2) * format::k_meta_slot_bytes;
    const sim::IoResult r = disk_->write(options_.meta_file, at, buf);
    if (!r.ok()) return r.error == sim::IoError::disk_full ? Status::disk_full : Status::io_error;
    if (const Status st = fsync_file(options_.meta_file); st != Status::ok) return st;
    meta_seq_ = m.seq;
    hard_ = hard;
    return Status::ok;
}

Status LogStore::fsync_file(const std::string& file) {
    if (stopped_) return Status::fail_stop;
    sim::IoResult r = disk_->fsync(file);
    // The deliberate bug: what a failed fsync covered may be gone, and the retry cannot know.
    constexpr int k_bug_retries = 16;
    for (int k = 0;
         k < k_bug_retries && options_.bug_retry_failed_fsync && r.error == sim::IoError::io_error;
         ++k) {
        r = disk_->fsync(file);
    }
    if (r.ok()) return Status::ok;
    // Only io_error means "the write-back failed"; the store fsyncs only files it has written,
    // so not_found (a wipe underneath) is just as final.
    if (r.error == sim::IoError::disk_full) return Status::disk_full;
    return stop();
}

Status LogStore::stop() {
    stopped_ = true;
    return Status::fail_stop;
}

size_t LogStore::pos(Index i) const {
    SL_ASSERT(i > Index{base_});
    SL_ASSERT(i <= last_index());
    return static_cast<size_t>(i.value - base_ - 1);
}

detail::Slot& LogStore::slot(Index i) {
    return slots_[pos(i)];
}

const detail::Slot& LogStore::slot(Index i) const {
    return slots_[pos(i)];
}

bool LogStore::holds(Index i) const {
    return i.value > base_ && i <= last_index() && slot(i).entry.has_value();
}

const Entry* LogStore::entry(Index i) const {
    return holds(i) ? &*slot(i).entry : nullptr;
}

std::optional<Term> LogStore::term_at(Index i) const {
    if (i.value == 0) return Term{};
    if (snapshot_ && i == snapshot_->index) return snapshot_->term;
    if (i.value == base_ && base_term_) return base_term_;
    if (!holds(i)) return std::nullopt;
    return slot(i).entry->term;
}

std::optional<Term> LogStore::hole_term(Index i) const {
    if (i.value <= base_ || i > last_index() || holds(i)) return std::nullopt;
    const detail::Slot& s = slot(i);
    if (!s.proof) return std::nullopt;
    return s.proof->term;
}

std::vector<Index> LogStore::corrupt() const {
    std::vector<Index> out;
    out.reserve(holes_.size());
    for (uint64_t i : holes_) out.push_back(Index{i});
    return out;
}

}  // namespace stormlog::system::store
