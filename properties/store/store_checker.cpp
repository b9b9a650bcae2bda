#include "properties/store/store_checker.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "properties/catalogue.hpp"
#include "sim/assert.hpp"
#include "sim/hash.hpp"

namespace stormlog::properties::store {
namespace {

using system::store::AppendStatus;
using system::store::ExpectedKind;

const std::array<std::string, 3> k_names = {property::store_expected_version.name,
                                            property::store_idempotent_append.name,
                                            property::store_durability.name};

std::string describe(const AppendResult& r) {
    std::string s = to_string(r.status);
    if (r.status == AppendStatus::ok) {
        s += " at " + std::to_string(r.first) + ".." + std::to_string(r.last);
        if (r.replay) s += " (replay)";
    } else {
        s += " (version " + std::to_string(r.actual_version) + ")";
    }
    return s;
}

// The reference's own reading of an expectation (model_stream.hpp), written out here rather than
// borrowed from the store's Expected::holds: a bug there must not be invisible to its judge.
bool expectation_met(const system::store::Expected& e, int64_t version) {
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
    SL_ASSERT(false && "unknown expectation kind");
    return false;
}

}  // namespace

// One lookup per acknowledged event: finish() makes one for each of them.
int64_t StoreChecker::committed_position(const RefStream& stream, const std::string& id) {
    const auto it = stream.position.find(id);
    return it == stream.position.end() ? -1 : it->second;
}

uint64_t command_digest(const AppendCommand& c) {
    uint64_t h =
        sim::hash_combine(sim::hash_combine(c.client, c.request), sim::hash_string(c.stream));
    h = sim::hash_combine(h, static_cast<uint64_t>(c.expected.kind));
    h = sim::hash_combine(h, static_cast<uint64_t>(c.expected.version));
    for (const auto& e : c.events) {
        h = sim::hash_combine(h, sim::hash_string(e.id));
        h = sim::hash_combine(h, system::store::entry_digest(e.data));
    }
    return h;
}

StoreChecker::StoreChecker(size_t nodes, Report report, Name name)
    : report_(std::move(report)), name_(std::move(name)) {
    SL_ASSERT(nodes >= 1);  // a cluster to observe; the checker keeps per-node state by NodeId
    enabled_.fill(true);
}

const std::vector<std::string>& StoreChecker::property_names() {
    static const std::vector<std::string> names(k_names.begin(), k_names.end());
    return names;
}

void StoreChecker::enable(const std::vector<std::string>& properties) {
    for (size_t p = 0; p < property_count; ++p) {
        enabled_[p] =
            std::find(properties.begin(), properties.end(), k_names[p]) != properties.end();
    }
}

std::string StoreChecker::name(NodeId n) const {
    return name_ ? name_(n) : "n" + std::to_string(n + 1);
}

void StoreChecker::violate(Property p, NodeId node, const std::string& evidence) {
    if (!enabled_[p] || reported_[p]) return;
    reported_[p] = true;
    report_(Violation{k_names[p], node, evidence});
}

// Client sessions: only the first copy of a request is evaluated; its copies get its result,
// and copies of requests older than the client's latest are not evaluated at all.
AppendResult StoreChecker::reference_apply(uint64_t index, const AppendCommand& c) {
    if (c.client == 0) return reference_append(index, c);
    auto [it, fresh] = sessions_.try_emplace(c.client);
    Session& s = it->second;
    if (!fresh && c.request < s.request) {
        AppendResult stale;
        stale.status = AppendStatus::stale_request;
        return stale;
    }
    if (!fresh && c.request == s.request) return s.result;
    s.request = c.request;
    s.result = reference_append(index, c);
    return s.result;
}

// The reference semantics (model_stream.hpp): a retry (first id already present) is a replay
// if all its events are there consecutively in order, else a conflict; otherwise the
// expectation decides.
AppendResult StoreChecker::reference_append(uint64_t index, const AppendCommand& c) {
    RefStream& s = streams_[c.stream];
    AppendResult r;
    r.actual_version = static_cast<int64_t>(s.events.size()) - 1;
    if (c.events.empty()) return r;
    const auto first = s.position.find(c.events.front().id);
    if (first != s.position.end()) {
        const int64_t p0 = first->second;
        bool all =
            p0 + static_cast<int64_t>(c.events.size()) <= static_cast<int64_t>(s.events.size());
        for (size_t k = 0; all && k < c.events.size(); ++k)
            all = s.events[p0 + k].id == c.events[k].id;
        if (!all) {
            r.status = AppendStatus::idempotency_conflict;
            return r;
        }
        r.first = p0;
        r.last = p0 + static_cast<int64_t>(c.events.size()) - 1;
        r.replay = true;
        return r;  // global positions are not compared for replays (see compare)
    }
    for (const auto& e : c.events) {
        if (s.position.count(e.id)) {
            r.status = AppendStatus::idempotency_conflict;
            return r;
        }
    }
    if (!expectation_met(c.expected, r.actual_version)) {
        r.status = AppendStatus::wrong_expected_version;
        return r;
    }
    r.first = static_cast<int64_t>(s.events.size());
    r.first_global = head_;
    for (const auto& e : c.events) {
        s.position[e.id] = static_cast<int64_t>(s.events.size());
        s.events.push_back(RefEvent{e.id, system::store::entry_digest(e.data), index});
        global_.push_back(GlobalEvent{c.stream, e.id, s.events.back().digest});
        ++head_;
    }
    r.last = static_cast<int64_t>(s.events.size()) - 1;
    r.last_global = head_ - 1;
    return r;
}

void StoreChecker::on_store_apply(NodeId node, Index index, const AppendCommand& command,
                                  const AppendResult& result) {
    const uint64_t digest = command_digest(command);
    if (index.value >= reference_.size()) reference_.resize(index.value + 1);
    std::optional<Committed>& ref = reference_[index.value];
    if (!ref) {
        ref = Committed{digest, reference_apply(index.value, command)};
        ++committed_appends_;
    } else if (ref->command_digest != digest) {
        // Raft's state machine safety says this cannot happen; the store's data would diverge.
        violate(durability, node,
                name(node) + " applied a different append at index " + std::to_string(index.value) +
                    " than the one committed there first");
        return;
    }
    compare(node, index.value, command, result, ref->result);
}

void StoreChecker::compare(NodeId node, uint64_t index, const AppendCommand& c,
                           const AppendResult& got, const AppendResult& want) {
    // Evidence is built only for a violation: this runs for every node at every apply.
    const auto evidence = [&](const std::string& extra = {}) {
        return name(node) + " applied the append at index " + std::to_string(index) + " to \"" +
               c.stream + "\" (expected " + system::store::to_string(c.expected) +
               ", first event " + (c.events.empty() ? std::string("-") : c.events.front().id) +
               "): " + describe(got) + ", but the reference says " + describe(want) + extra;
    };
    if (want.replay || want.status == AppendStatus::idempotency_conflict) {
        if (got.status != want.status || got.replay != want.replay || got.first != want.first) {
            violate(idempotent_append, node, evidence());
        }
        return;
    }
    if (got.status != want.status) {
        violate(got.replay ? idempotent_append : expected_version, node, evidence());
        return;
    }
    if (got.status == AppendStatus::ok && (got.first != want.first || got.last != want.last ||
                                           got.first_global != want.first_global)) {
        violate(durability, node,
                evidence(" (global " + std::to_string(got.first_global) + " vs " +
                         std::to_string(want.first_global) + ")"));
    }
}

void StoreChecker::acknowledged(Acknowledged ack) {
    acks_.push_back(std::move(ack));
}

void StoreChecker::subscribed(NodeId subscriber, const std::string& who,
                              const system::store::RecordedEvent& e) {
    subscribed_.push_back(Seen{subscriber, who, e});
}

void StoreChecker::subscription_broken(NodeId subscriber, const std::string& who,
                                       const std::string& why) {
    violate(durability, subscriber, who + "'s subscription to the all-stream: " + why);
}

// What a subscriber read is the committed all-stream: each global position holds the event the
// log committed there.
void StoreChecker::check_subscribed() {
    for (const Seen& s : subscribed_) {
        const uint64_t g = s.event.global_position;
        if (g >= global_.size() || global_[g].stream != s.event.stream ||
            global_[g].id != s.event.id ||
            global_[g].digest != system::store::entry_digest(s.event.data)) {
            violate(durability, s.subscriber,
                    s.name + " read event " + s.event.id + " of \"" + s.event.stream +
                        "\" at global position " + std::to_string(g) + ", but the log committed " +
                        (g < global_.size() ? global_[g].id + " of \"" + global_[g].stream + "\""
                                            : std::string("nothing")) +
                        " there");
            return;
        }
    }
}

void StoreChecker::finish(const system::store::EventStore* final_leader_state,
                          const std::string& leader_name) {
    check_subscribed();
    for (const Acknowledged& a : acks_) check_ack(a);
    if (final_leader_state) check_final_state(*final_leader_state, leader_name);
}

uint64_t StoreChecker::acknowledged_lost() const {
    uint64_t lost = 0;
    for (const Acknowledged& a : acks_) {
        const auto s = streams_.find(a.command.stream);
        for (const auto& e : a.command.events) {
            if (s == streams_.end() || !s->second.position.count(e.id)) {
                ++lost;
                break;
            }
        }
    }
    return lost;
}

// The acknowledged events are in the log as committed, at the acknowledged positions, once.
void StoreChecker::check_ack(const Acknowledged& a) {
    const auto fail = [&](const std::string& why) {
        violate(durability, a.client,
                a.client_name + "'s append to \"" + a.command.stream +
                    "\" acknowledged at positions " + std::to_string(a.result.first) + ".." +
                    std::to_string(a.result.last) + " " + why);
    };
    const auto s = streams_.find(a.command.stream);
    for (size_t k = 0; k < a.command.events.size(); ++k) {
        const auto& e = a.command.events[k];
        const int64_t want = a.result.first + static_cast<int64_t>(k);
        const int64_t at = s == streams_.end() ? -1 : committed_position(s->second, e.id);
        if (at < 0) {
            fail("but event " + e.id + " was never committed");
            return;
        }
        if (at != want) {
            fail("but event " + e.id + " was committed at position " + std::to_string(at));
            return;
        }
        if (s->second.events[static_cast<size_t>(at)].digest !=
            system::store::entry_digest(e.data)) {
            fail("but event " + e.id + " was committed with other data");
            return;
        }
    }
}

// The final leader's state machine holds the acknowledged events where they were acknowledged,
// with their data, and each acknowledged event id once in its stream. Each stream is read once.
void StoreChecker::check_final_state(const system::store::EventStore& state,
                                     const std::string& who) {
    std::map<std::string, std::vector<system::store::RecordedEvent>> final_streams;
    std::map<std::string, std::unordered_map<std::string, int>> counts;
    for (const Acknowledged& a : acks_) {
        if (final_streams.count(a.command.stream)) continue;
        auto& events = final_streams[a.command.stream];
        events = state.read(a.command.stream, 0, std::numeric_limits<uint32_t>::max());
        auto& c = counts[a.command.stream];
        for (const auto& e : events) ++c[e.id];
    }
    for (const Acknowledged& a : acks_) {
        const auto& events = final_streams.at(a.command.stream);
        const auto& c = counts.at(a.command.stream);
        for (size_t k = 0; k < a.command.events.size(); ++k) {
            const auto& e = a.command.events[k];
            const int64_t pos = a.result.first + static_cast<int64_t>(k);
            const bool present = pos >= 0 && static_cast<size_t>(pos) < events.size();
            if (!present || events[static_cast<size_t>(pos)].id != e.id ||
                events[static_cast<size_t>(pos)].data != e.data) {
                violate(durability, a.client,
                        a.client_name + "'s acknowledged event " + e.id + " (\"" +
                            a.command.stream + "\" position " + std::to_string(pos) + ") is " +
                            (!present ? std::string("missing")
                                      : "replaced by " + events[static_cast<size_t>(pos)].id) +
                            " in the final leader " + who + "'s state");
                return;
            }
            if (c.at(e.id) > 1) {
                violate(idempotent_append, a.client,
                        "event " + e.id + " of " + a.client_name +
                            "'s acknowledged append is in \"" + a.command.stream + "\" " +
                            std::to_string(c.at(e.id)) + " times in the final leader " + who +
                            "'s state");
                return;
            }
        }
    }
}

}  // namespace stormlog::properties::store
