#include "sim/disk.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <utility>

#include "sim/assert.hpp"
#include "sim/hash.hpp"
#include "sim/simulation.hpp"
#include "sim/trace.hpp"

namespace stormlog::sim {
namespace {

constexpr uint64_t k_sector = Disk::k_sector_bytes;
// Offsets and sizes stay far below 2^64 so that offset + length never wraps.
constexpr uint64_t k_offset_max = uint64_t{1} << 48;

const uint64_t k_trace_crash = trace_kind_named("disk.crash");
const uint64_t k_trace_torn = trace_kind_named("disk.torn");
const uint64_t k_trace_rot = trace_kind_named("disk.rot");
const uint64_t k_trace_misdirect = trace_kind_named("disk.misdirect");
const uint64_t k_trace_misdirect_set = trace_kind_named("disk.misdirect_set");
const uint64_t k_trace_latent = trace_kind_named("disk.latent");
const uint64_t k_trace_latent_clear = trace_kind_named("disk.latent_clear");
const uint64_t k_trace_eio = trace_kind_named("disk.eio");
const uint64_t k_trace_full = trace_kind_named("disk.full");
const uint64_t k_trace_stall = trace_kind_named("disk.stall");
const uint64_t k_trace_torn_set = trace_kind_named("disk.torn_set");
const uint64_t k_trace_wipe = trace_kind_named("disk.wipe");
const uint64_t k_trace_fsync_error = trace_kind_named("disk.fsync_error");
const uint64_t k_trace_fsync_error_set = trace_kind_named("disk.fsync_error_set");
const uint64_t k_trace_truncate_error = trace_kind_named("disk.truncate_error");
const uint64_t k_trace_truncate_error_set = trace_kind_named("disk.truncate_error_set");

uint64_t digest_of(std::string_view file, uint64_t a, uint64_t b = 0) {
    return hash_combine(hash_combine(hash_string(file), a), b);
}

// Copies the part of `src` (which starts at file offset `src_offset`) that overlaps `dst` (which
// starts at `dst_offset`).
void copy_overlap(std::span<const uint8_t> src, uint64_t src_offset, std::span<uint8_t> dst,
                  uint64_t dst_offset) {
    const uint64_t begin = std::max(src_offset, dst_offset);
    const uint64_t end = std::min(src_offset + src.size(), dst_offset + dst.size());
    if (begin >= end) return;
    std::memcpy(dst.data() + (begin - dst_offset), src.data() + (begin - src_offset), end - begin);
}

// Zeroes the part of `dst` (starting at file offset `dst_offset`) at or after file offset `from`.
void zero_from(std::span<uint8_t> dst, uint64_t dst_offset, uint64_t from) {
    const uint64_t begin = std::max(from, dst_offset) - dst_offset;
    if (begin < dst.size())
        std::fill(dst.begin() + static_cast<std::ptrdiff_t>(begin), dst.end(), uint8_t{0});
}

}  // namespace

const char* to_string(IoError e) {
    switch (e) {
        case IoError::none:
            return "ok";
        case IoError::not_found:
            return "not_found";
        case IoError::disk_full:
            return "disk_full";
        case IoError::io_error:
            return "io_error";
    }
    return "unknown";
}

Disk::Disk(Simulation& sim, uint32_t node_id, Rng rng, DiskOptions options)
    : sim_(&sim),
      node_id_(node_id),
      rng_latency_(rng.fork("latency")),
      rng_faults_(rng.fork("faults")),
      rng_crash_(rng.fork("crash")),
      rng_io_errors_(rng.fork("io_errors")),
      options_(options) {
    SL_ASSERT(options_.write_latency_min <= options_.write_latency_max);
    SL_ASSERT(options_.read_latency_min <= options_.read_latency_max);
    SL_ASSERT(options_.fsync_latency_min <= options_.fsync_latency_max);
    SL_ASSERT(options_.write_latency_min >= Duration{});
    SL_ASSERT(options_.read_latency_min >= Duration{});
    SL_ASSERT(options_.fsync_latency_min >= Duration{});
}

// ---- The seam
// ------------------------------------------------------------------------------------

IoResult Disk::write(const std::string& name, uint64_t offset, std::span<const uint8_t> data) {
    return write(name, offset, std::vector<uint8_t>(data.begin(), data.end()));
}

IoResult Disk::write(const std::string& name, uint64_t offset, std::vector<uint8_t>&& data) {
    SL_ASSERT(offset <= k_offset_max);
    SL_ASSERT(data.size() <= k_offset_max);
    begin_io();
    const uint64_t old_size = size(name);
    // A zero-length write never extends the file (pwrite does not either).
    const uint64_t new_size = data.empty() ? old_size : std::max(old_size, offset + data.size());
    if (full_ || would_overflow(old_size, new_size)) {
        ++stats_.full_errors;
        return IoResult{IoError::disk_full, 0};
    }
    File& f = find_or_create(name);
    Op op;
    op.kind = OpKind::write;
    op.offset = offset;
    op.medium_offset = aim(name, f, offset, data.size());
    const uint64_t bytes = data.size();
    op.data = std::move(data);
    // A full-sector write remaps a bad sector (drives reallocate on write), so its error is gone.
    const uint64_t first_full = (op.medium_offset + k_sector - 1) / k_sector;
    const uint64_t end_full = (op.medium_offset + bytes) / k_sector;
    if (first_full < end_full) {
        f.latent_sectors.erase(f.latent_sectors.lower_bound(first_full),
                               f.latent_sectors.lower_bound(end_full));
    }
    push_op(f, std::move(op));
    set_logical(f, true, new_size);
    ++stats_.writes;
    stats_.bytes_written += bytes;
    sleep_latency(options_.write_latency_min, options_.write_latency_max);
    return IoResult{IoError::none, bytes};
}

IoResult Disk::read(const std::string& name, uint64_t offset, std::span<uint8_t> out) {
    SL_ASSERT(offset <= k_offset_max);
    SL_ASSERT(out.size() <= k_offset_max);
    begin_io();
    sleep_latency(options_.read_latency_min, options_.read_latency_max);
    const File* f = find(name);
    if (f == nullptr || !f->exists) return IoResult{IoError::not_found, 0};
    const uint64_t present =
        offset >= f->size_bytes ? 0 : std::min<uint64_t>(out.size(), f->size_bytes - offset);
    if (hits_latent_error(*f, offset, present)) {
        ++stats_.io_errors;
        record(k_trace_eio, digest_of(name, offset, present));
        return IoResult{IoError::io_error, 0};
    }
    overlay(*f, offset, out);
    ++stats_.reads;
    stats_.bytes_read += present;
    return IoResult{IoError::none, present};
}

IoResult Disk::fsync(const std::string& name) {
    // Only operations issued before the call are promised durable; later ones may stay pending.
    const uint64_t seq_end = next_seq_;
    begin_io();
    const File* before = find(name);
    if (before == nullptr || (!before->exists && before->pending.empty()))
        return IoResult{IoError::not_found, 0};
    sleep_latency(options_.fsync_latency_min, options_.fsync_latency_max);
    // Looked up again: a wipe during the sleep may have dropped the file.
    File* const found = find(name);
    if (found == nullptr) return IoResult{IoError::not_found, 0};
    File& f = *found;
    // Only writing back dirty data can fail: an fsync with nothing to write has nothing to lose.
    const bool dirty = !f.pending.empty() && f.pending.front().seq < seq_end;
    if (dirty && fsync_error_probability_ > 0 && rng_io_errors_.chance(fsync_error_probability_)) {
        drop_covered(name, f, seq_end);
        forget_if_gone(name, f);
        return IoResult{IoError::io_error, 0};
    }
    size_t done = 0;
    while (done < f.pending.size() && f.pending[done].seq < seq_end) {
        commit(f, f.pending[done]);
        ++done;
    }
    f.pending.erase(f.pending.begin(), f.pending.begin() + static_cast<std::ptrdiff_t>(done));
    ++stats_.fsyncs;
    forget_if_gone(name, f);
    return IoResult{IoError::none, 0};
}

IoResult Disk::truncate(const std::string& name, uint64_t size_bytes) {
    SL_ASSERT(size_bytes <= k_offset_max);
    begin_io();
    const uint64_t old_size = size(name);
    if (size_bytes > old_size && (full_ || would_overflow(old_size, size_bytes))) {
        ++stats_.full_errors;
        return IoResult{IoError::disk_full, 0};
    }
    if (truncate_error_probability_ > 0 && rng_io_errors_.chance(truncate_error_probability_)) {
        ++stats_.truncate_errors;
        record(k_trace_truncate_error, digest_of(name, size_bytes));
        sleep_latency(options_.write_latency_min, options_.write_latency_max);
        return IoResult{IoError::io_error, 0};
    }
    File& f = find_or_create(name);
    Op op;
    op.kind = OpKind::truncate;
    op.size_bytes = size_bytes;
    push_op(f, std::move(op));
    set_logical(f, true, size_bytes);
    sleep_latency(options_.write_latency_min, options_.write_latency_max);
    return IoResult{IoError::none, 0};
}

IoResult Disk::remove(const std::string& name) {
    begin_io();
    File* f = find(name);
    if (f == nullptr || !f->exists) return IoResult{IoError::not_found, 0};
    Op op;
    op.kind = OpKind::remove;
    push_op(*f, std::move(op));
    set_logical(*f, false, 0);
    sleep_latency(options_.write_latency_min, options_.write_latency_max);
    return IoResult{IoError::none, 0};
}

uint64_t Disk::peek(std::string_view name, uint64_t offset, std::span<uint8_t> out) const {
    const File* f = find(name);
    if (f == nullptr || !f->exists) {
        std::fill(out.begin(), out.end(), uint8_t{0});
        return 0;
    }
    overlay(*f, offset, out);
    return offset >= f->size_bytes ? 0 : std::min<uint64_t>(out.size(), f->size_bytes - offset);
}

bool Disk::exists(std::string_view name) const {
    const File* f = find(name);
    return f != nullptr && f->exists;
}

uint64_t Disk::size(std::string_view name) const {
    const File* f = find(name);
    return f != nullptr && f->exists ? f->size_bytes : 0;
}

std::vector<std::string> Disk::list() const {
    std::vector<std::string> names;
    for (const auto& [name, f] : files_) {
        if (f.exists) names.push_back(name);
    }
    return names;  // std::map keeps them sorted
}

size_t Disk::pending_ops() const {
    size_t n = 0;
    for (const auto& [name, f] : files_) n += f.pending.size();
    return n;
}

// ---- Crash -------------------------------------------------------------------------------------

void Disk::crash() {
    ++stats_.crashes;
    const uint64_t lost_before = stats_.lost_writes + stats_.lost_metadata_ops;
    const uint64_t torn_before = stats_.torn_writes;
    for (auto it = files_.begin(); it != files_.end();) {
        const auto next = std::next(it);
        crash_file(it->first, it->second);
        forget_if_gone(it);
        it = next;
    }
    const uint64_t lost = stats_.lost_writes + stats_.lost_metadata_ops - lost_before;
    record(k_trace_crash, hash_combine(lost, stats_.torn_writes - torn_before));
}

void Disk::crash_file(const std::string& name, File& f) {
    if (f.pending.empty()) return;
    const auto last_write = std::find_if(f.pending.rbegin(), f.pending.rend(), [](const Op& op) {
        return op.kind == OpKind::write && !op.data.empty();
    });
    for (const Op& op : f.pending) {
        if (op.kind == OpKind::write) {
            ++stats_.lost_writes;
        } else {
            ++stats_.lost_metadata_ops;
        }
    }
    if (last_write != f.pending.rend() && rng_crash_.chance(options_.torn_write_probability)) {
        const Op& w = *last_write;
        const uint64_t first = w.medium_offset / k_sector;
        const uint64_t last = (w.medium_offset + w.data.size() - 1) / k_sector;
        // Sectors reach the medium in order; the crash cut the write after `kept` of them.
        const uint64_t kept = rng_crash_.below(last - first + 1);
        if (kept > 0) {
            const uint64_t bytes = (first + kept) * k_sector - w.medium_offset;
            SL_ASSERT(bytes > 0);
            SL_ASSERT(bytes < w.data.size());
            land(f, w.medium_offset, std::span<const uint8_t>(w.data).first(bytes),
                 w.medium_offset + bytes);
            --stats_.lost_writes;
            ++stats_.torn_writes;
            record(k_trace_torn, digest_of(name, w.medium_offset, bytes));
        }
    }
    f.pending.clear();
    set_logical(f, f.on_medium, f.medium.size());
}

// ---- Faults ------------------------------------------------------------------------------------

bool Disk::rot(const std::string& name, uint64_t offset, uint8_t mask) {
    File* f = find(name);
    if (f == nullptr || !f->on_medium || offset >= f->medium.size() || mask == 0) return false;
    f->medium[offset] ^= mask;
    stats_.rotted_bits += static_cast<uint64_t>(std::popcount(mask));
    record(k_trace_rot, digest_of(name, offset, mask));
    return true;
}

uint64_t Disk::rot_random(uint64_t count) {
    uint64_t total = 0;
    for (const auto& [name, f] : files_) total += f.medium.size();
    if (total == 0) return 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t at = rng_faults_.below(total);
        const auto bit = static_cast<uint8_t>(1u << rng_faults_.below(8));
        for (auto& [name, f] : files_) {
            if (at < f.medium.size()) {
                const bool flipped = rot(name, at, bit);
                SL_ASSERT(flipped);
                (void)flipped;
                break;
            }
            at -= f.medium.size();
        }
    }
    return count;
}

void Disk::set_misdirect_probability(double p) {
    misdirect_probability_ = p;
    record(k_trace_misdirect_set, std::bit_cast<uint64_t>(p));
}

bool Disk::add_latent_error(const std::string& name, uint64_t sector) {
    File* f = find(name);
    if (f == nullptr || !f->on_medium || sector >= (f->medium.size() + k_sector - 1) / k_sector)
        return false;
    f->latent_sectors.insert(sector);
    record(k_trace_latent, digest_of(name, sector));
    return true;
}

void Disk::clear_latent_errors() {
    for (auto& [name, f] : files_) f.latent_sectors.clear();
    record(k_trace_latent_clear, 0);
}

void Disk::set_full(bool full) {
    full_ = full;
    record(k_trace_full, full ? 1 : 0);
}

void Disk::stall_until(Time until) {
    stall_end_ = until;
    record(k_trace_stall, static_cast<uint64_t>(until.ns()));
}

void Disk::set_torn_write_probability(double p) {
    options_.torn_write_probability = p;
    record(k_trace_torn_set, std::bit_cast<uint64_t>(p));
}

void Disk::set_fsync_error_probability(double p) {
    SL_ASSERT(p >= 0.0 && p <= 1.0);
    fsync_error_probability_ = p;
    record(k_trace_fsync_error_set, std::bit_cast<uint64_t>(p));
}

void Disk::set_truncate_error_probability(double p) {
    SL_ASSERT(p >= 0.0 && p <= 1.0);
    truncate_error_probability_ = p;
    record(k_trace_truncate_error_set, std::bit_cast<uint64_t>(p));
}

void Disk::drop_covered(const std::string& name, File& f, uint64_t seq_end) {
    size_t dropped = 0;
    while (dropped < f.pending.size() && f.pending[dropped].seq < seq_end) ++dropped;
    f.pending.erase(f.pending.begin(), f.pending.begin() + static_cast<std::ptrdiff_t>(dropped));
    // Operations issued after the fsync began stay pending, over the old medium contents.
    refresh_logical(f);
    ++stats_.fsync_errors;
    stats_.dropped_ops += dropped;
    record(k_trace_fsync_error, digest_of(name, dropped));
}

void Disk::wipe() {
    files_.clear();
    recent_.fill(nullptr);
    used_bytes_ = 0;
    record(k_trace_wipe, 0);
}

// ---- Helpers -----------------------------------------------------------------------------------

Disk::File* Disk::find(std::string_view name) {
    return const_cast<File*>(std::as_const(*this).find(name));
}

const Disk::File* Disk::find(std::string_view name) const {
    for (Files::value_type* entry : recent_) {
        if (entry == nullptr) break;
        if (entry->first == name) {
            if (entry != recent_[0]) remember(entry);
            return &entry->second;
        }
    }
    auto it = files_.find(name);
    if (it == files_.end()) return nullptr;
    remember(const_cast<Files::value_type*>(&*it));
    return &it->second;
}

Disk::File& Disk::find_or_create(const std::string& name) {
    if (File* f = find(name)) return *f;
    const auto it = files_.try_emplace(name).first;
    remember(&*it);
    return it->second;
}

void Disk::remember(Files::value_type* entry) const {
    // Shift the entries before `entry` (or all, dropping the last) one place down.
    size_t i = 0;
    while (i + 1 < k_recent && recent_[i] != entry) ++i;
    for (; i > 0; --i) recent_[i] = recent_[i - 1];
    recent_[0] = entry;
}

void Disk::forget_recent(const Files::value_type* entry) {
    auto* const end = std::remove(recent_.begin(), recent_.end(), entry);
    std::fill(end, recent_.end(), nullptr);
}

void Disk::begin_io() {
    // A fiber whose node crashed under it must not slip one more write into the emptied cache.
    sim_->throw_if_killed();
    // A loop, because the stall may be extended while this fiber waits.
    while (sim_->now() < stall_end_) block_until(stall_end_);
}

void Disk::sleep_latency(Duration lo, Duration hi) {
    const Duration d = rng_latency_.between(lo, hi);
    if (d > Duration{}) block_until(sim_->now() + d);
}

void Disk::block_until(Time deadline) {
    // Outside a fiber the kernel has nothing to suspend.
    SL_ASSERT(sim_->in_fiber() && "disk I/O that waits (latency or stall) needs a simulated fiber");
    sim_->sleep_until(deadline);
}

uint64_t Disk::aim(const std::string& name, const File& f, uint64_t offset, uint64_t length) {
    if (length == 0 || !rng_faults_.chance(misdirect_probability_)) return offset;
    // Candidate starts keep the offset within the sector and stay inside the file's extent.
    const uint64_t end = std::max(f.exists ? f.size_bytes : 0, offset + length);
    const uint64_t in_sector = offset % k_sector;
    const uint64_t starts = (end - in_sector - length) / k_sector + 1;
    if (starts < 2) return offset;  // nowhere else to go
    const uint64_t intended = offset / k_sector;
    uint64_t sector = rng_faults_.below(starts - 1);
    if (sector >= intended) ++sector;
    const uint64_t target = sector * k_sector + in_sector;
    ++stats_.misdirected_writes;
    record(k_trace_misdirect, digest_of(name, offset, target));
    return target;
}

bool Disk::would_overflow(uint64_t old_size, uint64_t new_size) const {
    return new_size > old_size && used_bytes_ - old_size + new_size > options_.capacity_bytes;
}

void Disk::push_op(File& f, Op op) {
    op.seq = next_seq_++;
    f.pending.push_back(std::move(op));
    if (f.pending.size() > k_pending_ops_max) {
        // Background write-back of the oldest operation: the OS may persist dirty data any time.
        commit(f, f.pending.front());
        f.pending.erase(f.pending.begin());
    }
}

void Disk::set_logical(File& f, bool exists, uint64_t size_bytes) {
    used_bytes_ -= f.exists ? f.size_bytes : 0;
    used_bytes_ += exists ? size_bytes : 0;
    f.exists = exists;
    f.size_bytes = exists ? size_bytes : 0;
}

void Disk::refresh_logical(File& f) {
    bool exists = f.on_medium;
    uint64_t size_bytes = f.medium.size();
    // The same rules write, truncate and remove follow when they enter the cache.
    for (const Op& op : f.pending) {
        switch (op.kind) {
            case OpKind::write:
                if (!exists) size_bytes = 0;
                exists = true;
                if (!op.data.empty()) size_bytes = std::max(size_bytes, op.offset + op.data.size());
                break;
            case OpKind::truncate:
                exists = true;
                size_bytes = op.size_bytes;
                break;
            case OpKind::remove:
                exists = false;
                size_bytes = 0;
                break;
        }
    }
    set_logical(f, exists, size_bytes);
}

void Disk::commit(File& f, Op& op) {
    switch (op.kind) {
        case OpKind::write:
            stats_.bytes_synced += op.data.size();
            // A write that replaces the whole medium from offset 0 (a snapshot file rewritten)
            // becomes the medium: its bytes are moved, not copied. Same bytes, same size.
            if (op.offset == 0 && op.medium_offset == 0 && !op.data.empty() &&
                f.medium.size() <= op.data.size()) {
                f.on_medium = true;
                f.medium = std::move(op.data);
                return;
            }
            // The size follows the intended write (file metadata), the data its landing place.
            land(f, op.medium_offset, op.data, op.data.empty() ? 0 : op.offset + op.data.size());
            return;
        case OpKind::truncate: {
            f.on_medium = true;
            f.medium.resize(op.size_bytes);
            const uint64_t sectors = (op.size_bytes + k_sector - 1) / k_sector;
            f.latent_sectors.erase(f.latent_sectors.lower_bound(sectors), f.latent_sectors.end());
            return;
        }
        case OpKind::remove:
            f.on_medium = false;
            f.medium.clear();
            f.medium.shrink_to_fit();
            f.latent_sectors.clear();
            return;
    }
}

void Disk::land(File& f, uint64_t medium_offset, std::span<const uint8_t> data, uint64_t size_end) {
    f.on_medium = true;
    const uint64_t end = data.empty() ? 0 : medium_offset + data.size();
    const uint64_t new_size = std::max<uint64_t>({f.medium.size(), end, size_end});
    if (new_size > f.medium.size()) f.medium.resize(new_size);
    if (!data.empty()) std::memcpy(f.medium.data() + medium_offset, data.data(), data.size());
}

void Disk::overlay(const File& f, uint64_t offset, std::span<uint8_t> out) {
    std::fill(out.begin(), out.end(), uint8_t{0});
    copy_overlap(f.medium, 0, out, offset);
    for (const Op& op : f.pending) {
        switch (op.kind) {
            case OpKind::write:
                copy_overlap(op.data, op.offset, out, offset);
                break;
            case OpKind::truncate:
                zero_from(out, offset, op.size_bytes);
                break;
            case OpKind::remove:
                zero_from(out, offset, 0);
                break;
        }
    }
}

bool Disk::hits_latent_error(const File& f, uint64_t offset, uint64_t length) const {
    if (length == 0 || f.latent_sectors.empty()) return false;
    const auto it = f.latent_sectors.lower_bound(offset / k_sector);
    return it != f.latent_sectors.end() && *it <= (offset + length - 1) / k_sector;
}

bool Disk::gone(const File& f) {
    return !f.on_medium && !f.exists && f.pending.empty();
}

void Disk::forget_if_gone(std::string_view name, const File& f) {
    if (gone(f)) forget_if_gone(files_.find(name));
}

void Disk::forget_if_gone(Files::iterator it) {
    if (!gone(it->second)) return;
    forget_recent(&*it);
    files_.erase(it);
}

void Disk::record(uint64_t kind_id, uint64_t digest) {
    sim_->record(node_id_, kind_id, digest);
}

}  // namespace stormlog::sim
