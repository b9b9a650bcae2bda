#include "system/store/command.hpp"

#include <algorithm>
#include <string_view>

#include "sim/assert.hpp"

namespace stormlog::system::store {
namespace {

constexpr uint8_t k_type_noop = 0;
constexpr uint8_t k_type_append = 1;

// Every bound fits the length field that carries it (str: u16, bytes: u32, count: u16).
static_assert(k_stream_bytes_max <= UINT16_MAX);
static_assert(k_event_id_bytes_max <= UINT16_MAX);
static_assert(k_event_data_bytes_max <= UINT32_MAX);
static_assert(k_events_per_command_max <= UINT16_MAX);

// Bytes encode_command writes for a valid `c` (the format in command.hpp).
size_t encoded_size(const AppendCommand& c) {
    size_t n = 1 + 1 + 8 + 8 + 2 + c.stream.size() + 1 + 2;
    if (c.expected.kind == ExpectedKind::exact) n += 8;
    for (const EventData& e : c.events) n += 2 + e.id.size() + 4 + e.data.size();
    return n;
}

// ---- Writing -------------------------------------------------------------------------------

// Inlined: its assertion would otherwise keep the compiler from folding it into each caller.
[[gnu::always_inline]] inline void put(std::vector<uint8_t>& out, uint64_t v, size_t width) {
    SL_ASSERT(width == 8 || v >> (8 * width) == 0);  // never silently cut to its field
    // One resize per field, then plain stores: a push_back per byte checked the capacity
    // eight times per field.
    const size_t at = out.size();
    out.resize(at + width);
    uint8_t* p = out.data() + at;
    for (size_t i = 0; i < width; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

template <typename Bytes>
void put_run(std::vector<uint8_t>& out, const Bytes& bytes, size_t len_width) {
    put(out, bytes.size(), len_width);
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void encode_append(const AppendCommand& c, std::vector<uint8_t>& out) {
    put(out, c.client, 8);
    put(out, c.request, 8);
    put_run(out, c.stream, 2);
    put(out, static_cast<uint8_t>(c.expected.kind), 1);
    if (c.expected.kind == ExpectedKind::exact)
        put(out, static_cast<uint64_t>(c.expected.version), 8);
    put(out, c.events.size(), 2);
    for (const EventData& e : c.events) {
        put_run(out, e.id, 2);
        put_run(out, e.data, 4);
    }
}

// ---- Reading -------------------------------------------------------------------------------

// A cursor over untrusted bytes: every read checks what is left first, so no length field can
// make it read past the end or allocate more than the input holds.
class Reader {
  public:
    explicit Reader(std::span<const uint8_t> in) : in_(in) {}

    bool at_end() const { return at_ == in_.size(); }

    std::optional<uint64_t> get(size_t width) {
        if (in_.size() - at_ < width) return std::nullopt;
        uint64_t v = 0;
        for (size_t i = 0; i < width; ++i) v |= uint64_t{in_[at_ + i]} << (8 * i);
        at_ += width;
        return v;
    }

    // `len` bytes, after checking `len` against the caller's bound and against what is left.
    std::optional<std::span<const uint8_t>> take(uint64_t len, size_t len_max) {
        if (len > len_max || in_.size() - at_ < len) return std::nullopt;
        const std::span<const uint8_t> run = in_.subspan(at_, static_cast<size_t>(len));
        at_ += run.size();
        return run;
    }

    std::optional<std::span<const uint8_t>> run(size_t len_width, size_t len_max) {
        const std::optional<uint64_t> len = get(len_width);
        if (!len) return std::nullopt;
        return take(*len, len_max);
    }

  private:
    std::span<const uint8_t> in_;
    size_t at_ = 0;
};

std::optional<std::string> read_string(Reader& r, size_t len_max) {
    const auto run = r.run(2, len_max);
    if (!run) return std::nullopt;
    return std::string(run->begin(), run->end());
}

std::optional<Expected> read_expected(Reader& r) {
    const std::optional<uint64_t> kind = r.get(1);
    if (!kind || *kind > static_cast<uint8_t>(ExpectedKind::exact)) return std::nullopt;
    Expected e{static_cast<ExpectedKind>(*kind), -1};
    if (e.kind != ExpectedKind::exact) return e;
    const std::optional<uint64_t> version = r.get(8);
    if (!version) return std::nullopt;
    e.version = static_cast<int64_t>(*version);
    return e;
}

std::optional<EventData> read_event(Reader& r) {
    std::optional<std::string> id = read_string(r, k_event_id_bytes_max);
    if (!id) return std::nullopt;
    const auto data = r.run(4, k_event_data_bytes_max);
    if (!data) return std::nullopt;
    return EventData{std::move(*id), std::vector<uint8_t>(data->begin(), data->end())};
}

std::optional<AppendCommand> read_append(Reader& r) {
    AppendCommand c;
    const std::optional<uint64_t> client = r.get(8);
    const std::optional<uint64_t> request = client ? r.get(8) : std::nullopt;
    if (!request) return std::nullopt;
    c.client = *client;
    c.request = *request;
    std::optional<std::string> stream = read_string(r, k_stream_bytes_max);
    const std::optional<Expected> expected = stream ? read_expected(r) : std::nullopt;
    const std::optional<uint64_t> count = expected ? r.get(2) : std::nullopt;
    if (!count || *count > k_events_per_command_max) return std::nullopt;
    c.stream = std::move(*stream);
    c.expected = *expected;
    c.events.reserve(static_cast<size_t>(*count));  // bounded by k_events_per_command_max
    for (uint64_t i = 0; i < *count; ++i) {
        std::optional<EventData> e = read_event(r);
        if (!e) return std::nullopt;
        c.events.push_back(std::move(*e));
    }
    // The lengths read fine; the contents must still be a command encode would have written.
    if (validate(c)) return std::nullopt;
    return c;
}

std::optional<std::string> first_duplicate_id(const std::vector<EventData>& events) {
    // Appends carry a handful of events: comparing pairs costs less than sorting a copy, and this
    // runs at every decode and (as assertions) at every encode and apply.
    constexpr size_t k_pairwise_max = 16;
    if (events.size() <= k_pairwise_max) {
        for (size_t i = 1; i < events.size(); ++i) {
            for (size_t j = 0; j < i; ++j) {
                if (events[i].id == events[j].id) return events[i].id;
            }
        }
        return std::nullopt;
    }
    std::vector<std::string_view> ids;
    ids.reserve(events.size());
    for (const EventData& e : events) ids.emplace_back(e.id);
    std::sort(ids.begin(), ids.end());
    const auto dup = std::adjacent_find(ids.begin(), ids.end());
    if (dup == ids.end()) return std::nullopt;
    return std::string(*dup);
}

}  // namespace

bool Expected::holds(int64_t stream_version) const {
    switch (kind) {
        case ExpectedKind::any:
            return true;
        case ExpectedKind::no_stream:
            return stream_version == -1;
        case ExpectedKind::stream_exists:
            return stream_version >= 0;
        case ExpectedKind::exact:
            return stream_version == version;
    }
    return false;
}

std::string to_string(const Expected& e) {
    switch (e.kind) {
        case ExpectedKind::any:
            return "any";
        case ExpectedKind::no_stream:
            return "no_stream";
        case ExpectedKind::stream_exists:
            return "stream_exists";
        case ExpectedKind::exact:
            return std::to_string(e.version);
    }
    return "?";
}

std::optional<std::string> validate(const AppendCommand& c) {
    const auto bound = [](size_t n) { return std::to_string(n); };
    if (c.stream.empty() || c.stream.size() > k_stream_bytes_max)
        return "stream: expected 1 to " + bound(k_stream_bytes_max) + " bytes";
    if (c.expected.kind > ExpectedKind::exact) return "expected: unknown kind";
    if (c.expected.kind == ExpectedKind::exact ? c.expected.version < -1 : c.expected.version != -1)
        return "expected: version must be >= -1 for exact and -1 otherwise";
    if (c.events.empty() || c.events.size() > k_events_per_command_max)
        return "events: expected 1 to " + bound(k_events_per_command_max) + " events";
    for (const EventData& e : c.events) {
        if (e.id.empty() || e.id.size() > k_event_id_bytes_max)
            return "events: id expected 1 to " + bound(k_event_id_bytes_max) + " bytes";
        if (e.data.size() > k_event_data_bytes_max)
            return "events: data of " + e.id + " exceeds " + bound(k_event_data_bytes_max) +
                   " bytes";
    }
    if (auto dup = first_duplicate_id(c.events)) return "events: id " + *dup + " appears twice";
    return std::nullopt;
}

std::vector<uint8_t> encode_command(const Command& command) {
    std::vector<uint8_t> out;
    const auto* append = std::get_if<AppendCommand>(&command);
    out.reserve(append ? encoded_size(*append) : 2);  // one allocation, not one per doubling
    put(out, k_command_format, 1);
    if (append) {
        SL_ASSERT(!validate(*append));
        put(out, k_type_append, 1);
        encode_append(*append, out);
        SL_ASSERT(out.size() == encoded_size(*append));
    } else {
        put(out, k_type_noop, 1);
    }
    return out;
}

std::optional<Command> decode_command(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    const std::optional<uint64_t> format = r.get(1);
    const std::optional<uint64_t> type = r.get(1);
    if (!format || *format != k_command_format || !type) return std::nullopt;
    std::optional<Command> command;
    if (*type == k_type_noop) {
        command = NoopCommand{};
    } else if (*type == k_type_append) {
        if (std::optional<AppendCommand> append = read_append(r)) command = std::move(*append);
    }
    if (!command || !r.at_end()) return std::nullopt;
    return command;
}

}  // namespace stormlog::system::store
