// Properties of the event store's state machine and its command encoding:
//   - encode/decode round-trips every valid command, and decode is total and exact on arbitrary
//     bytes (whatever it accepts re-encodes to the same bytes);
//   - random sequences of appends (few streams, ids from a small pool so retries and conflicts
//     happen, random expectations), reads and noops, each sent through encode -> decode -> apply,
//     agree with a reference model written here from the stream model's rules: every result,
//     every read, gap-free global positions.
// Then each deliberate bug of EventStoreOptions is shown to be caught by the same comparison.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "sim/rng.hpp"
#include "system/store/command.hpp"
#include "system/store/event_store.hpp"

namespace stormlog::system::store {
namespace {

// ---- Encoding ------------------------------------------------------------------------------

rc::Gen<std::string> gen_name(size_t len_max) {
    return rc::gen::map(rc::gen::pair(rc::gen::arbitrary<char>(), rc::gen::string<std::string>()),
                        [len_max](const std::pair<char, std::string>& p) {
                            return (std::string(1, p.first) + p.second).substr(0, len_max);
                        });
}

rc::Gen<Expected> gen_expected() {
    return rc::gen::map(rc::gen::pair(rc::gen::inRange(0, 4), rc::gen::arbitrary<int64_t>()),
                        [](const std::pair<int, int64_t>& p) {
                            const auto kind = static_cast<ExpectedKind>(p.first);
                            return kind == ExpectedKind::exact
                                       ? Expected::exact(std::max<int64_t>(-1, p.second))
                                       : Expected{kind, -1};
                        });
}

// Events with distinct ids: later duplicates of an id are dropped.
std::vector<EventData> distinct(std::vector<EventData> events) {
    std::vector<EventData> out;
    for (EventData& e : events) {
        const bool seen =
            std::any_of(out.begin(), out.end(), [&](const EventData& o) { return o.id == e.id; });
        if (!seen) out.push_back(std::move(e));
    }
    return out;
}

rc::Gen<AppendCommand> gen_append() {
    const auto event = rc::gen::build<EventData>(
        rc::gen::set(&EventData::id, gen_name(k_event_id_bytes_max)),
        rc::gen::set(&EventData::data, rc::gen::arbitrary<std::vector<uint8_t>>()));
    return rc::gen::build<AppendCommand>(
        rc::gen::set(&AppendCommand::stream, gen_name(k_stream_bytes_max)),
        rc::gen::set(&AppendCommand::expected, gen_expected()),
        rc::gen::set(
            &AppendCommand::events,
            rc::gen::map(rc::gen::mapcat(rc::gen::inRange<size_t>(1, 9),
                                         [event](size_t n) {
                                             return rc::gen::container<std::vector<EventData>>(
                                                 n, event);
                                         }),
                         distinct)));
}

RC_GTEST_PROP(CommandProperty, EncodeDecodeRoundTripsEveryValidCommand, ()) {
    const Command command = *rc::gen::weightedOneOf<Command>(
        {{1, rc::gen::just(Command{NoopCommand{}})},
         {6, rc::gen::map(gen_append(), [](AppendCommand c) { return Command{std::move(c)}; })}});
    if (const auto* append = std::get_if<AppendCommand>(&command)) RC_ASSERT(!validate(*append));
    RC_ASSERT(decode_command(encode_command(command)) == std::optional<Command>(command));
}

// Whatever decode accepts is exactly what encode writes for it: no second encoding of a command.
void check_decode_is_exact(const std::vector<uint8_t>& bytes) {
    const std::optional<Command> command = decode_command(bytes);
    if (command) RC_ASSERT(encode_command(*command) == bytes);
}

RC_GTEST_PROP(CommandProperty, DecodeIsTotalAndExactOnArbitraryBytes, ()) {
    check_decode_is_exact(*rc::gen::arbitrary<std::vector<uint8_t>>());
}

RC_GTEST_PROP(CommandProperty, DecodeIsTotalAndExactOnDamagedEncodings, ()) {
    std::vector<uint8_t> bytes = encode_command(*gen_append());
    const size_t at = *rc::gen::inRange<size_t>(0, bytes.size());
    switch (*rc::gen::inRange(0, 4)) {
        case 0:
            bytes[at] = *rc::gen::arbitrary<uint8_t>();
            break;
        case 1:
            bytes.resize(at);
            break;
        case 2:
            bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                         *rc::gen::arbitrary<uint8_t>());
            break;
        default:
            bytes.push_back(*rc::gen::arbitrary<uint8_t>());
            RC_ASSERT(!decode_command(bytes).has_value());
    }
    check_decode_is_exact(bytes);
}

// ---- The reference model -------------------------------------------------------------------

// The stream model's rules, written as plainly as possible: a stream is its list of ids.
struct Model {
    std::map<std::string, std::vector<std::string>> streams;
    std::vector<RecordedEvent> all;  // by global position

    const std::vector<std::string>& ids(const std::string& stream) const {
        static const std::vector<std::string> k_none;
        const auto it = streams.find(stream);
        return it == streams.end() ? k_none : it->second;
    }

    uint64_t global_of(const std::string& stream, int64_t position) const {
        for (const RecordedEvent& e : all)
            if (e.stream == stream && e.stream_position == position) return e.global_position;
        return std::numeric_limits<uint64_t>::max();  // cannot happen: the model lost an event
    }

    static int64_t index_of(const std::vector<std::string>& ids, const std::string& id) {
        const auto it = std::find(ids.begin(), ids.end(), id);
        return it == ids.end() ? -1 : it - ids.begin();
    }

    static bool holds(const Expected& e, int64_t version) {
        switch (e.kind) {
            case ExpectedKind::any:
                return true;
            case ExpectedKind::no_stream:
                return version == -1;
            case ExpectedKind::stream_exists:
                return version >= 0;
            case ExpectedKind::exact:
                return version == e.version;
        }
        return false;
    }

    AppendResult append(const AppendCommand& c) {
        const std::vector<std::string>& have = ids(c.stream);
        const int64_t n = static_cast<int64_t>(c.events.size());
        AppendResult r;
        r.actual_version = static_cast<int64_t>(have.size()) - 1;
        const int64_t first = index_of(have, c.events[0].id);
        for (int64_t i = 1; i < n; ++i) {
            const int64_t at = index_of(have, c.events[static_cast<size_t>(i)].id);
            if (first < 0 ? at >= 0 : at != first + i) {
                r.status = AppendStatus::idempotency_conflict;
                return r;
            }
        }
        if (first >= 0) {
            r.replay = true;
            r.first = first;
            r.last = first + n - 1;
            r.first_global = global_of(c.stream, r.first);
            r.last_global = global_of(c.stream, r.last);
            return r;
        }
        if (!holds(c.expected, r.actual_version)) {
            r.status = AppendStatus::wrong_expected_version;
            return r;
        }
        r.first = r.actual_version + 1;
        r.first_global = all.size();
        for (const EventData& e : c.events) {
            std::vector<std::string>& stream = streams[c.stream];
            all.push_back(RecordedEvent{c.stream, static_cast<int64_t>(stream.size()), all.size(),
                                        e.id, e.data});
            stream.push_back(e.id);
        }
        r.last = r.first + n - 1;
        r.last_global = all.size() - 1;
        return r;
    }

    std::vector<RecordedEvent> read(const std::string& stream, int64_t from, size_t max) const {
        std::vector<RecordedEvent> out;
        for (const RecordedEvent& e : all) {
            if (e.stream == stream && e.stream_position >= from && out.size() < max)
                out.push_back(e);
        }
        return out;
    }

    std::vector<RecordedEvent> read_all(uint64_t from, size_t max) const {
        std::vector<RecordedEvent> out;
        for (uint64_t g = from; g < all.size() && out.size() < max; ++g) out.push_back(all[g]);
        return out;
    }
};

// ---- Operations ----------------------------------------------------------------------------

// kind in [0, 100) picks the operation; a, b, c parameterise it.
struct Op {
    int kind = 0;
    int a = 0;
    int b = 0;
    int c = 0;
};

[[maybe_unused]] void showValue(const Op& op, std::ostream& os) {
    os << "{" << op.kind << "," << op.a << "," << op.b << "," << op.c << "}";
}

constexpr int k_streams = 3;
constexpr int k_id_pool = 16;  // per stream; small, so that ids recur and retries happen

std::string stream_name(int a) {
    return "s" + std::to_string(a % k_streams);
}

Expected expected_from(int b) {
    switch (b % 4) {
        case 0:
            return Expected::any();
        case 1:
            return Expected::no_stream();
        case 2:
            return Expected::stream_exists();
        default:
            return Expected::exact(b / 4 % 6 - 1);
    }
}

// 1 to 3 distinct ids from the pool: e{start}, e{start+step}, ... (step 1..3 keeps them distinct).
std::vector<EventData> events_from(int c, size_t op_number) {
    const int count = 1 + c % 3;
    const int start = c / 3 % k_id_pool;
    const int step = 1 + c / 24 % 3;
    std::vector<EventData> out;
    for (int k = 0; k < count; ++k) {
        std::vector<uint8_t> data;
        if (c % 5 != 0) data = {static_cast<uint8_t>(op_number), static_cast<uint8_t>(k)};
        out.push_back(EventData{"e" + std::to_string((start + k * step) % k_id_pool), data});
    }
    return out;
}

std::string describe(const AppendResult& r) {
    return std::string(to_string(r.status)) + " first=" + std::to_string(r.first) +
           " last=" + std::to_string(r.last) + " globals=" + std::to_string(r.first_global) + ".." +
           std::to_string(r.last_global) + " replay=" + std::to_string(r.replay) +
           " actual=" + std::to_string(r.actual_version);
}

// How often the interesting cases happened, so a test can show the property reaches them.
struct Coverage {
    uint64_t written = 0;
    uint64_t replays = 0;
    uint64_t conflicts = 0;
    uint64_t wrong_version = 0;
    uint64_t nonempty_reads = 0;
};

class Runner {
  public:
    explicit Runner(EventStoreOptions options) : options_(options), store_(options) {}

    std::optional<std::string> run(const std::vector<Op>& ops) {
        for (size_t i = 0; i < ops.size(); ++i) {
            if (auto v = step(ops[i], i)) return "op " + std::to_string(i) + ": " + *v;
        }
        return check_everything();
    }

    Coverage coverage;

  private:
    std::optional<std::string> step(const Op& op, size_t number) {
        if (op.kind < 50) {
            AppendCommand c{stream_name(op.a), expected_from(op.b), events_from(op.c, number)};
            history_.push_back(c);
            return apply(c);
        }
        if (op.kind < 65) return retry(op);
        if (op.kind < 80) return read(op);
        if (op.kind < 95) return read_all(op);
        if (op.kind < 97) return snapshot_and_restore();
        return apply_bytes(NoopCommand{}).second;
    }

    // A node restarting from a snapshot: the restored store must carry on exactly as this one.
    std::optional<std::string> snapshot_and_restore() {
        const std::vector<uint8_t> bytes = store_.snapshot();
        std::optional<EventStore> restored = EventStore::restore(bytes, options_);
        if (!restored) return "restore rejected a snapshot";
        if (restored->snapshot() != bytes) return "the restored store snapshots differently";
        if (restored->applied_index() != store_.applied_index())
            return "applied_index not restored";
        store_ = std::move(*restored);
        return std::nullopt;
    }

    // A client resending an earlier append, perhaps with another expectation.
    std::optional<std::string> retry(const Op& op) {
        if (history_.empty()) return std::nullopt;
        AppendCommand c = history_[static_cast<size_t>(op.a) % history_.size()];
        if (op.b % 3 != 0) c.expected = expected_from(op.b / 3);
        return apply(c);
    }

    // Every command goes the way Raft sends it: encoded, decoded, applied at the next index.
    std::pair<AppendResult, std::optional<std::string>> apply_bytes(const Command& command) {
        const std::optional<Command> decoded = decode_command(encode_command(command));
        if (decoded != std::optional<Command>(command))
            return {AppendResult{}, "the command did not survive encoding"};
        const uint64_t index = store_.applied_index() + 1 + index_gap_++ % 2;
        const AppendResult r = store_.apply(index, *decoded);
        if (store_.applied_index() != index) return {r, "applied_index not advanced"};
        return {r, std::nullopt};
    }

    std::optional<std::string> apply(const AppendCommand& c) {
        const auto [got, error] = apply_bytes(c);
        if (error) return error;
        const AppendResult want = model_.append(c);
        count(want);
        if (got != want)
            return "append to " + c.stream + " expecting " + to_string(c.expected) + ": got " +
                   describe(got) + ", want " + describe(want);
        if (store_.version(c.stream) != static_cast<int64_t>(model_.ids(c.stream).size()) - 1)
            return "version of " + c.stream + " differs";
        if (store_.head() != model_.all.size()) return "head differs";
        return std::nullopt;
    }

    void count(const AppendResult& r) {
        coverage.written += r.status == AppendStatus::ok && !r.replay;
        coverage.replays += r.replay;
        coverage.conflicts += r.status == AppendStatus::idempotency_conflict;
        coverage.wrong_version += r.status == AppendStatus::wrong_expected_version;
    }

    std::optional<std::string> read(const Op& op) {
        const std::string stream = stream_name(op.a);
        const int64_t from = op.b % 6;
        const size_t max = static_cast<size_t>(op.c % 5);
        const std::vector<RecordedEvent> got = store_.read(stream, from, max);
        coverage.nonempty_reads += !got.empty();
        if (got != model_.read(stream, from, max))
            return "read " + stream + " from " + std::to_string(from) + " differs";
        return std::nullopt;
    }

    std::optional<std::string> read_all(const Op& op) {
        const uint64_t from = static_cast<uint64_t>(op.a) % (model_.all.size() + 2);
        const size_t max = static_cast<size_t>(op.b % 6);
        if (store_.read_all(from, max) != model_.read_all(from, max))
            return "read_all from " + std::to_string(from) + " differs";
        return std::nullopt;
    }

    std::optional<std::string> check_everything() const {
        const std::vector<RecordedEvent> all = store_.read_all(0, model_.all.size() + 1);
        if (all != model_.all) return "the all-stream differs";
        for (size_t g = 0; g < all.size(); ++g)
            if (all[g].global_position != g) return "a gap in global positions";
        if (store_.streams() != model_.streams.size()) return "the number of streams differs";
        for (const auto& [name, ids] : model_.streams) {
            if (store_.read(name, 0, ids.size() + 1) != model_.read(name, 0, ids.size() + 1))
                return "stream " + name + " differs";
        }
        return std::nullopt;
    }

    EventStoreOptions options_;
    EventStore store_;
    Model model_;
    std::vector<AppendCommand> history_;
    // Indices need only increase (Raft also applies entries that never reach this state machine,
    // such as configuration changes), so every other command skips one.
    uint64_t index_gap_ = 0;
};

rc::Gen<std::vector<Op>> gen_ops() {
    return rc::gen::container<std::vector<Op>>(
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 100), rc::gen::inRange(0, 1000),
                                    rc::gen::inRange(0, 1000), rc::gen::inRange(0, 1000)),
                     [](const std::tuple<int, int, int, int>& t) {
                         return Op{std::get<0>(t), std::get<1>(t), std::get<2>(t), std::get<3>(t)};
                     }));
}

RC_GTEST_PROP(EventStoreProperty, AgreesWithTheReferenceModelOnEveryResultAndRead, ()) {
    const auto ops = *gen_ops();
    const auto violation = Runner(EventStoreOptions{}).run(ops);
    RC_ASSERT(!violation.has_value());
}

// ---- Snapshots -----------------------------------------------------------------------------

// Appends through client sessions (few clients, request ids that repeat and go back), so the
// sessions a snapshot must carry hold replays and stale requests.
std::vector<AppendCommand> gen_session_appends(const std::vector<Op>& ops) {
    std::vector<AppendCommand> out;
    for (size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        AppendCommand c{stream_name(op.a), expected_from(op.b), events_from(op.c, i)};
        c.client = static_cast<uint64_t>(op.kind % 4);  // 0: no session
        c.request = static_cast<uint64_t>(op.b % 7);
        out.push_back(std::move(c));
    }
    return out;
}

RC_GTEST_PROP(EventStoreSnapshot, ARestoredStoreCarriesOnExactlyLikeTheOriginal, ()) {
    const auto commands = gen_session_appends(*gen_ops());
    const size_t cut = *rc::gen::inRange<size_t>(0, commands.size() + 1);
    EventStore original;
    uint64_t index = 0;
    for (size_t i = 0; i < cut; ++i) (void)original.apply(++index, commands[i]);
    const std::vector<uint8_t> bytes = original.snapshot();
    std::optional<EventStore> restored = EventStore::restore(bytes);
    RC_ASSERT(restored.has_value());
    RC_ASSERT(restored->applied_index() == original.applied_index());
    RC_ASSERT(restored->snapshot() == bytes);
    for (size_t i = cut; i < commands.size(); ++i) {
        ++index;
        RC_ASSERT(original.apply(index, commands[i]) == restored->apply(index, commands[i]));
    }
    RC_ASSERT(original.snapshot() == restored->snapshot());
    RC_ASSERT(original.read_all(0, original.head() + 1) ==
              restored->read_all(0, restored->head() + 1));
}

RC_GTEST_PROP(EventStoreSnapshot, RestoreIsTotalOnArbitraryAndDamagedBytes, ()) {
    const auto commands = gen_session_appends(*gen_ops());
    EventStore store;
    uint64_t index = 0;
    for (const AppendCommand& c : commands) (void)store.apply(++index, c);
    std::vector<uint8_t> bytes = store.snapshot();
    const auto noise = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
    (void)EventStore::restore(noise);  // must not crash or over-allocate (ASan builds check)
    const size_t at = *rc::gen::inRange<size_t>(0, bytes.size());
    const auto mask = *rc::gen::inRange<int>(1, 256);
    bytes[at] ^= static_cast<uint8_t>(mask);
    RC_ASSERT(!EventStore::restore(bytes).has_value());  // CRC-32C catches every 1-byte change
    bytes[at] ^= static_cast<uint8_t>(mask);
    const size_t keep = *rc::gen::inRange<size_t>(0, bytes.size());
    RC_ASSERT(!EventStore::restore(std::span(bytes).first(keep)).has_value());
}

// ---- The comparison catches deliberate bugs within a few seeds -----------------------------

std::vector<Op> seeded_ops(uint64_t seed, size_t n) {
    sim::Rng rng = sim::Rng::root(seed).fork("ops");
    std::vector<Op> ops(n);
    for (Op& op : ops) {
        op.kind = static_cast<int>(rng.below(100));
        op.a = static_cast<int>(rng.below(1000));
        op.b = static_cast<int>(rng.below(1000));
        op.c = static_cast<int>(rng.below(1000));
    }
    return ops;
}

// The first violation over seeds 1..k_seeds_max, or nullopt.
std::optional<std::string> first_violation(const EventStoreOptions& options,
                                           Coverage* total = nullptr) {
    constexpr uint64_t k_seeds_max = 30;
    for (uint64_t seed = 1; seed <= k_seeds_max; ++seed) {
        Runner runner(options);
        auto v = runner.run(seeded_ops(seed, 80));
        if (total != nullptr) {
            total->written += runner.coverage.written;
            total->replays += runner.coverage.replays;
            total->conflicts += runner.coverage.conflicts;
            total->wrong_version += runner.coverage.wrong_version;
            total->nonempty_reads += runner.coverage.nonempty_reads;
        }
        if (v) return "seed " + std::to_string(seed) + ": " + *v;
    }
    return std::nullopt;
}

TEST(EventStoreDeliberateBug, TheComparisonPassesTheCorrectStoreAndReachesEveryCase) {
    Coverage c;
    EXPECT_EQ(first_violation(EventStoreOptions{}, &c), std::nullopt);
    EXPECT_GT(c.written, 100u);
    EXPECT_GT(c.replays, 20u);
    EXPECT_GT(c.conflicts, 20u);
    EXPECT_GT(c.wrong_version, 100u);
    EXPECT_GT(c.nonempty_reads, 100u);
    std::printf("coverage: written=%lu replays=%lu conflicts=%lu wrong_version=%lu reads=%lu\n",
                static_cast<unsigned long>(c.written), static_cast<unsigned long>(c.replays),
                static_cast<unsigned long>(c.conflicts),
                static_cast<unsigned long>(c.wrong_version),
                static_cast<unsigned long>(c.nonempty_reads));
}

TEST(EventStoreDeliberateBug, SkippingIdempotenceIsCaught) {
    EventStoreOptions o;
    o.bug_skip_idempotency = true;
    const auto v = first_violation(o);
    ASSERT_TRUE(v.has_value());
    EXPECT_NE(v->find("append"), std::string::npos) << *v;
}

TEST(EventStoreDeliberateBug, IgnoringTheExpectedVersionIsCaught) {
    EventStoreOptions o;
    o.bug_ignore_expected_version = true;
    const auto v = first_violation(o);
    ASSERT_TRUE(v.has_value());
    EXPECT_NE(v->find("want wrong_expected_version"), std::string::npos) << *v;
}

}  // namespace
}  // namespace stormlog::system::store
