#pragma once
// Projection properties, from the projections' observation tap and the committed log:
//   projection.consistent           every durable (checkpoint, parked, model) - at each write and
//                                   at each resume - equals the reference fold of the committed
//                                   events below the checkpoint, minus the parked ones: no event
//                                   skipped, none applied twice; and only events no handler
//                                   can take (poison) are parked
//   projection.checkpoint_monotonic a runner's durable checkpoint never moves back, within an
//                                   incarnation or across a restart (a deliberate rebuild, reported
//                                   as such, starts it over at 0)
//   queue.no_silent_loss            within an incarnation the handler receives exactly the events
//                                   the queue accepted, in order; a crash may discard what was
//                                   queued (the checkpoint brings it back), nothing else may
//   projection.dead_letters         every position a runner reported parked has its dead letter -
//                                   a record naming that position and its event - in the
//                                   committed stream "$parked-<projection>"
//   projection.parked_replayed      every event parked (last) before the faults healed is read
//                                   back and handed to its handler again after the heal
//   ledger.conservation (balances)  the `balances` model's sum equals deposits - withdrawals -
//                                   in-flight transfers of the events it folded

#include <cassert>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "properties/ledger/committed_log.hpp"
#include "properties/projections/reference_fold.hpp"
#include "system/projections/observer.hpp"

namespace stormlog::properties::projections {

struct ProjectionViolation {
    std::string property;
    std::string projection;
    std::string evidence;
};

class ProjectionChecker final : public system::projections::ProjectionObserver {
  public:
    using Report = std::function<void(const ProjectionViolation&)>;
    ProjectionChecker(const ledger::CommittedLog& log, Report report);
    void enable(const std::set<std::string>& properties);  // empty: all
    static const std::vector<std::string>& property_names();
    // A projection and the read model kind it folds into.
    void add(const std::string& projection, const std::string& kind);

    // At the end: what each live runner still holds in its queue (everything else accepted was
    // delivered).
    void finish_queue(const std::string& projection, size_t depth);
    // A fault damaged the projection's durable state (its disk rotted): its next resume may go
    // back to an older durable state, or to 0 - still one that is the fold of its log
    // (projection.consistent checks it), but not the latest.
    void on_damaged(const std::string& projection) { get(projection).durable.reset(); }
    // The faults healed (the quiet period begins): parked events must be replayed from now on.
    void on_heal() { healed_ = true; }
    // At the end of the run: projection.dead_letters against the committed log, and (when the
    // run has a quiet period that judges liveness) projection.parked_replayed.
    void finish_parked(bool after_heal);

    uint64_t parked_events() const { return parked_; }
    uint64_t resumes() const { return resumes_; }
    uint64_t rebuilds() const { return rebuilds_; }

    void on_resume(const std::string& projection, uint64_t checkpoint,
                   const std::set<uint64_t>& parked,
                   const system::projections::ReadModel& model) override;
    void on_offering(const std::string& projection, uint64_t position) override;
    void on_offer(const std::string& projection, uint64_t position,
                  system::resilience::PushResult result) override;
    void on_deliver(const std::string& projection, uint64_t position) override;
    void on_parked(const std::string& projection, uint64_t position, const std::string& error,
                   uint32_t attempts) override;
    void on_replayed(const std::string& projection, uint64_t position, bool applied) override;
    void on_checkpoint(const std::string& projection, uint64_t checkpoint,
                       const std::set<uint64_t>& parked,
                       const system::projections::ReadModel& model) override;
    void on_stopped(const std::string& projection, uint64_t position,
                    const std::string& why) override;
    void on_rebuild(const std::string& projection) override;

  private:
    struct Tracked {
        std::string kind;
        ReferenceFold fold{""};
        uint64_t folded = 0;              // the fold covers [0, folded) minus `left_out`
        std::set<uint64_t> left_out;      // parked positions the fold skipped
        std::optional<uint64_t> durable;  // the last durable checkpoint
        std::deque<uint64_t> queued;  // accepted by the queue, not yet delivered (this incarnation)
        std::optional<uint64_t> offering;         // being offered, its result not yet known
        std::optional<uint64_t> delivered_early;  // ... and already delivered
        std::set<uint64_t> parked_ever;           // every position reported parked
        std::set<uint64_t> awaiting_replay;       // parked before the heal, not replayed since
    };
    Tracked& get(const std::string& projection);
    void check_state(const std::string& projection, Tracked& t, uint64_t checkpoint,
                     const std::set<uint64_t>& parked, const system::projections::ReadModel& model,
                     const char* moment);
    void advance_fold(Tracked& t, uint64_t checkpoint, const std::set<uint64_t>& parked);
    void check_monotonic(const std::string& projection, Tracked& t, uint64_t checkpoint,
                         const char* moment);
    void violate(const char* property, const std::string& projection, const std::string& evidence);
    bool on(const char* property) const;

    const ledger::CommittedLog* log_;
    Report report_;
    std::set<std::string> enabled_;
    std::map<std::string, Tracked> tracked_;
    bool reported_ = false;
    bool healed_ = false;
    uint64_t parked_ = 0, resumes_ = 0, rebuilds_ = 0;
};

}  // namespace stormlog::properties::projections
