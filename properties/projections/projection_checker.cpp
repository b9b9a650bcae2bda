#include "properties/projections/projection_checker.hpp"

#include <nlohmann/json.hpp>

#include "properties/catalogue.hpp"
#include "sim/assert.hpp"

namespace stormlog::properties::projections {

using system::resilience::PushResult;

ProjectionChecker::ProjectionChecker(const ledger::CommittedLog& log, Report report)
    : log_(&log), report_(std::move(report)) {}

const std::vector<std::string>& ProjectionChecker::property_names() {
    static const std::vector<std::string> names = {
        property::projection_consistent.name, property::projection_checkpoint_monotonic.name,
        property::queue_no_silent_loss.name, property::projection_dead_letters.name,
        property::projection_parked_replayed.name};
    return names;
}

void ProjectionChecker::enable(const std::set<std::string>& properties) {
    enabled_ = properties;
}

bool ProjectionChecker::on(const char* property) const {
    return enabled_.empty() || enabled_.count(property) > 0;
}

void ProjectionChecker::add(const std::string& projection, const std::string& kind) {
    Tracked& t = tracked_[projection];
    t.kind = kind;
    t.fold = ReferenceFold(kind);
}

ProjectionChecker::Tracked& ProjectionChecker::get(const std::string& projection) {
    const auto it = tracked_.find(projection);
    SL_ASSERT(it != tracked_.end());
    return it->second;
}

void ProjectionChecker::violate(const char* property, const std::string& projection,
                                const std::string& evidence) {
    if (reported_ || !on(property)) return;
    reported_ = true;
    report_(ProjectionViolation{property, projection, evidence});
}

namespace {

std::string first_difference(const std::map<std::string, int64_t>& got,
                             const std::map<std::string, int64_t>& want) {
    auto g = got.begin();
    auto w = want.begin();
    while (g != got.end() || w != want.end()) {
        if (w == want.end() || (g != got.end() && g->first < w->first)) {
            return g->first + " = " + std::to_string(g->second) +
                   " in the model, absent from the log's fold";
        }
        if (g == got.end() || w->first < g->first) {
            return w->first + " = " + std::to_string(w->second) +
                   " in the log's fold, absent from the model";
        }
        if (g->second != w->second) {
            return g->first + " = " + std::to_string(g->second) + " in the model, " +
                   std::to_string(w->second) + " in the log's fold";
        }
        ++g;
        ++w;
    }
    return {};
}

}  // namespace

// Brings t.fold to the events below `checkpoint` minus the `parked` ones.
void ProjectionChecker::advance_fold(Tracked& t, uint64_t checkpoint,
                                     const std::set<uint64_t>& parked) {
    const auto& events = log_->events();
    // Parked positions the fold already holds, or a checkpoint behind it: fold again from zero.
    bool restart = checkpoint < t.folded;
    for (uint64_t p : parked) {
        if (p < t.folded && t.left_out.count(p) == 0) restart = true;
    }
    if (restart) {
        t.fold.clear();
        t.folded = 0;
        t.left_out.clear();
    }
    for (auto it = t.left_out.begin(); it != t.left_out.end();) {  // replayed since
        if (parked.count(*it) == 0) {
            t.fold.add(events[*it]);
            it = t.left_out.erase(it);
        } else {
            ++it;
        }
    }
    for (; t.folded < checkpoint; ++t.folded) {
        if (parked.count(t.folded) > 0) {
            t.left_out.insert(t.folded);
        } else {
            t.fold.add(events[t.folded]);
        }
    }
}

void ProjectionChecker::check_state(const std::string& projection, Tracked& t, uint64_t checkpoint,
                                    const std::set<uint64_t>& parked,
                                    const system::projections::ReadModel& model,
                                    const char* moment) {
    const auto& events = log_->events();
    if (checkpoint > events.size()) {
        violate(property::projection_consistent.name, projection,
                std::string(moment) + " checkpoint " + std::to_string(checkpoint) +
                    " is past the committed log (" + std::to_string(events.size()) + " events)");
        return;
    }
    advance_fold(t, checkpoint, parked);
    for (uint64_t p : parked) {
        if (p >= checkpoint) {
            violate(property::projection_consistent.name, projection,
                    std::string(moment) + " parked position " + std::to_string(p) +
                        " is not below its checkpoint " + std::to_string(checkpoint));
            return;
        }
    }
    // The whole state the model holds, read in place (no copy), against the reference's view,
    // which the fold keeps current: equal maps compare entry by entry, and only a difference
    // walks them again for the message. Nothing the model says about itself (a count, a digest)
    // stands in for its entries: those are what a bug in it would get wrong.
    system::projections::ReadModel::View scratch;
    const system::projections::ReadModel::View& got = model.view_ref(scratch);
    if (got != t.fold.view()) {
        const std::string diff = first_difference(got, t.fold.view());
        SL_ASSERT(!diff.empty());
        violate(property::projection_consistent.name, projection,
                std::string(moment) + " at checkpoint " + std::to_string(checkpoint) + " (" +
                    std::to_string(parked.size()) + " parked): " + diff);
        return;
    }
    if (t.kind == "balances") {
        int64_t sum = 0;
        for (const auto& [k, v] : got) sum += v;
        const int64_t want = t.fold.deposits_minus_withdrawals() - t.fold.in_flight();
        if (sum != want && on(property::ledger_conservation.name)) {
            reported_ = true;
            report_(ProjectionViolation{
                property::ledger_conservation.name, projection,
                std::string(moment) + " at checkpoint " + std::to_string(checkpoint) +
                    ": the balances sum to " + std::to_string(sum) +
                    ", deposits - withdrawals - in flight = " + std::to_string(want)});
        }
    }
}

void ProjectionChecker::check_monotonic(const std::string& projection, Tracked& t,
                                        uint64_t checkpoint, const char* moment) {
    if (t.durable && checkpoint < *t.durable) {
        violate(property::projection_checkpoint_monotonic.name, projection,
                std::string(moment) + " checkpoint " + std::to_string(checkpoint) +
                    " is behind the durable checkpoint " + std::to_string(*t.durable));
    }
    t.durable = checkpoint;
}

void ProjectionChecker::on_resume(const std::string& projection, uint64_t checkpoint,
                                  const std::set<uint64_t>& parked,
                                  const system::projections::ReadModel& model) {
    Tracked& t = get(projection);
    ++resumes_;
    // The queue died with the last incarnation; what it held comes back from the checkpoint.
    t.queued.clear();
    t.offering.reset();
    t.delivered_early.reset();
    check_monotonic(projection, t, checkpoint, "resumed at");
    check_state(projection, t, checkpoint, parked, model, "resumed:");
}

void ProjectionChecker::on_offering(const std::string& projection, uint64_t position) {
    Tracked& t = get(projection);
    t.offering = position;
    t.delivered_early.reset();
}

void ProjectionChecker::on_offer(const std::string& projection, uint64_t position,
                                 PushResult result) {
    Tracked& t = get(projection);
    const bool early = t.delivered_early == position;
    t.offering.reset();
    t.delivered_early.reset();
    if (early && result != PushResult::accepted) {
        violate(property::queue_no_silent_loss.name, projection,
                "the handler received position " + std::to_string(position) +
                    ", whose offer the queue then answered " + to_string(result));
        return;
    }
    if (result == PushResult::accepted && !early) t.queued.push_back(position);
}

void ProjectionChecker::on_deliver(const std::string& projection, uint64_t position) {
    Tracked& t = get(projection);
    if (t.queued.empty() && t.offering == position && !t.delivered_early) {
        t.delivered_early = position;  // a blocked offer handed straight over
        return;
    }
    if (t.queued.empty() || t.queued.front() != position) {
        violate(
            property::queue_no_silent_loss.name, projection,
            "the handler received position " + std::to_string(position) +
                " but the queue had accepted " +
                (t.queued.empty() ? std::string("nothing else")
                                  : "position " + std::to_string(t.queued.front()) + " before it") +
                ": an accepted event was lost");
        return;
    }
    t.queued.pop_front();
}

void ProjectionChecker::on_parked(const std::string& projection, uint64_t position,
                                  const std::string& error, uint32_t attempts) {
    ++parked_;
    Tracked& t = get(projection);
    t.parked_ever.insert(position);
    // Parked again after the heal: a fault-free handler gave up on it; no replay is owed.
    if (healed_) {
        t.awaiting_replay.erase(position);
    } else {
        t.awaiting_replay.insert(position);
    }
    // Parking is for events no handler can take (poison); parking a good one skips it.
    const auto& events = log_->events();
    if (position < events.size() && ReferenceFold::handleable(events[position])) {
        violate(property::projection_consistent.name, projection,
                "parked position " + std::to_string(position) + " (event " + events[position].id +
                    "), which is a well-formed ledger event, after " + std::to_string(attempts) +
                    " attempts: " + error);
    }
}

void ProjectionChecker::on_checkpoint(const std::string& projection, uint64_t checkpoint,
                                      const std::set<uint64_t>& parked,
                                      const system::projections::ReadModel& model) {
    Tracked& t = get(projection);
    check_monotonic(projection, t, checkpoint, "wrote");
    check_state(projection, t, checkpoint, parked, model, "wrote:");
}

void ProjectionChecker::on_replayed(const std::string& projection, uint64_t position, bool) {
    if (healed_) get(projection).awaiting_replay.erase(position);
}

namespace {

// The dead letters in the committed log: (projection, position) -> the record's stream and id.
// A record is the JSON object the dead-letter stream's contract names (runner.hpp): position,
// stream, id, error, attempts. Anything else in such a stream is no dead letter.
std::map<std::pair<std::string, uint64_t>, std::pair<std::string, std::string>> dead_letters(
    const std::vector<system::store::RecordedEvent>& events) {
    static constexpr std::string_view k_prefix = "$parked-";
    std::map<std::pair<std::string, uint64_t>, std::pair<std::string, std::string>> out;
    for (const system::store::RecordedEvent& e : events) {
        if (e.stream.rfind(k_prefix, 0) != 0) continue;
        const nlohmann::json j = nlohmann::json::parse(e.data.begin(), e.data.end(), nullptr,
                                                       /*allow_exceptions=*/false);
        if (!j.is_object() || !j.contains("position") || !j["position"].is_number_unsigned() ||
            !j.contains("stream") || !j["stream"].is_string() || !j.contains("id") ||
            !j["id"].is_string()) {
            continue;
        }
        out[{e.stream.substr(k_prefix.size()), j["position"].get<uint64_t>()}] = {
            j["stream"].get<std::string>(), j["id"].get<std::string>()};
    }
    return out;
}

}  // namespace

void ProjectionChecker::finish_parked(bool after_heal) {
    const auto& events = log_->events();
    const auto letters = dead_letters(events);
    for (const auto& [name, t] : tracked_) {
        for (uint64_t p : t.parked_ever) {
            const auto it = letters.find({name, p});
            const std::string what = "position " + std::to_string(p) +
                                     (p < events.size() ? " (event " + events[p].id + ")" : "");
            if (it == letters.end()) {
                violate(property::projection_dead_letters.name, name,
                        "parked " + what +
                            ", but no record of it is in the committed stream $parked-" + name +
                            ": the event was dropped, not dead-lettered");
                return;
            }
            if (p < events.size() &&
                (it->second.first != events[p].stream || it->second.second != events[p].id)) {
                violate(property::projection_dead_letters.name, name,
                        "the dead letter of " + what + " names event " + it->second.second +
                            " of " + it->second.first + ", but the log holds " + events[p].id +
                            " of " + events[p].stream + " there");
                return;
            }
        }
        if (after_heal && !t.awaiting_replay.empty()) {
            violate(property::projection_parked_replayed.name, name,
                    std::to_string(t.awaiting_replay.size()) +
                        " events parked before the heal were never replayed after it (first: "
                        "position " +
                        std::to_string(*t.awaiting_replay.begin()) + ")");
            return;
        }
    }
}

void ProjectionChecker::on_stopped(const std::string&, uint64_t, const std::string&) {}

void ProjectionChecker::on_rebuild(const std::string& projection) {
    get(projection).durable.reset();
    ++rebuilds_;
}

void ProjectionChecker::finish_queue(const std::string& projection, size_t depth) {
    Tracked& t = get(projection);
    if (t.queued.size() != depth) {
        violate(property::queue_no_silent_loss.name, projection,
                std::to_string(t.queued.size()) +
                    " accepted events were never delivered, but the queue holds " +
                    std::to_string(depth) + " (first missing: position " +
                    (t.queued.empty() ? std::string("-") : std::to_string(t.queued.front())) + ")");
    }
}

}  // namespace stormlog::properties::projections
