// LogStore: durable snapshots and log compaction (see "Snapshots and compaction" in
// log_store.hpp).

#include <algorithm>
#include <utility>

#include "sim/assert.hpp"
#include "system/store/log_store.hpp"
#include "system/store/snapshot_format.hpp"

namespace stormlog::system::store {
namespace {

Status status_of(const sim::IoResult& r) {
    if (r.ok()) return Status::ok;
    return r.error == sim::IoError::disk_full ? Status::disk_full : Status::io_error;
}

}  // namespace

void LogStore::recover_snapshot(Recovered& out) {
    std::optional<format::SnapshotFile> best;
    for (const std::string& file : options_.snapshot_files) {
        const detail::FileImage img = detail::read_image(*disk_, file);
        if (img.bytes.empty()) continue;
        const bool unreadable = img.bad(0, img.bytes.size());
        const auto s = unreadable ? std::nullopt : format::decode_snapshot(img.bytes);
        if (!s) out.snapshot_damaged = true;
        if (s && (!best || s->seq > best->seq)) best = s;
    }
    if (!best) return;
    snapshot_seq_ = best->seq;
    snapshot_ = std::move(best->snapshot);
    out.snapshot = snapshot_;
}

Status LogStore::write_snapshot(const Snapshot& s) {
    const uint64_t seq = snapshot_seq_ + 1;
    std::vector<uint8_t> bytes = format::encode_snapshot(seq, s);
    // The file not holding the newest valid snapshot: a torn write loses only the new one.
    const std::string& file = options_.snapshot_files[seq % 2];
    sim::IoResult r = disk_->truncate(file, 0);
    if (r.ok()) r = disk_->write(file, 0, std::move(bytes));  // the whole state: not copied
    if (!r.ok()) return status_of(r);
    if (const Status st = fsync_file(file); st != Status::ok) return st;
    snapshot_seq_ = seq;
    return Status::ok;
}

Status LogStore::save_snapshot(Snapshot s, uint64_t trailing) {
    SL_ASSERT(recovered_);
    SL_ASSERT((!snapshot_ || s.index > snapshot_->index));
    if (stopped_) return Status::fail_stop;
    // Durable before anything it replaces is dropped.
    const Status st = write_snapshot(s);
    if (st != Status::ok) return st;
    const std::optional<Term> held = s.index <= last_index() ? term_at(s.index) : std::nullopt;
    const bool keep_suffix = held && *held == s.term && (holds(s.index) || s.index.value == base_);
    // The term of entry base_ may be known only from the snapshot this one replaces (recovery
    // left the log starting right after it): keep it, or a leader could no longer vouch for the
    // entry before its first one (found by swarm-store seed 100: snapshot_every 16, a restart).
    if (!base_term_) base_term_ = term_at(Index{base_});
    snapshot_ = std::move(s);
    const Snapshot& kept = *snapshot_;
    if (keep_suffix) {
        // Keep the trailing entries only while they are intact: the log must not start at a hole.
        Index to{std::max(base_, kept.index.value - std::min(trailing, kept.index.value))};
        while (to < kept.index && !holds(to.next())) to = to.next();
        if (to.value > base_ && !holds(to)) to = kept.index;
        drop_prefix(to);
        gap_ = false;
        // The kept window starts intact (or is empty) and the log still reaches the snapshot.
        SL_ASSERT(base_ == kept.index.value || holds(first_index()));
        SL_ASSERT(last_index() >= kept.index);
        return Status::ok;
    }
    return reset(kept.index);
}

void LogStore::drop_prefix(Index index) {
    SL_ASSERT(index.value >= base_);
    SL_ASSERT(index <= last_index());
    if (index.value == base_) return;
    const detail::Slot& last = slot(index);
    SL_ASSERT(last.entry);
    SL_ASSERT(last.offset);
    base_end_ = *last.offset + last.span_bytes;
    base_term_ = last.entry->term;
    const size_t drop = pos(index) + 1;
    slots_.erase(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(drop));
    unproven_from_ -= std::min(unproven_from_, drop);
    holes_.erase(holes_.begin(), holes_.upper_bound(index.value));
    base_ = index.value;
}

Status LogStore::reset(Index base) {
    // Only ever to the durable snapshot's index: the log restarts right after it.
    SL_ASSERT(snapshot_.has_value());
    SL_ASSERT(snapshot_->index == base);
    // Proofs first (the ordering argument): a crash in between leaves records without proofs
    // (unacknowledged-looking, and moot under the snapshot anyway), never a proof of a lost record.
    Status st = status_of(disk_->truncate(options_.ids_file, 0));
    if (st == Status::ok) st = fsync_file(options_.ids_file);
    if (st == Status::ok) st = status_of(disk_->truncate(options_.log_file, 0));
    if (st == Status::ok) st = fsync_file(options_.log_file);
    // The snapshot is durable, so the store's state is consistent either way: on failure the log
    // is still dropped from memory; recovery ignores whatever the files still hold below it. But
    // the next record would be written at offset 0 of a file that still holds the old ones:
    // this incarnation stops, and recovery resets again.
    if (st != Status::ok) st = stop();
    slots_.clear();
    holes_.clear();
    unproven_from_ = 0;
    base_ = base.value;
    base_end_ = 0;
    base_term_ = snapshot_->term;
    gap_ = false;
    log_end_bytes_ = 0;
    log_dirty_ = false;
    return st;
}

}  // namespace stormlog::system::store
