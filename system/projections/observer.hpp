#pragma once
// The projections' observation tap: what a runner reports for the checkers (projection.*,
// queue.no_silent_loss) and the metrics. A runner never learns who listens; null skips it all.
//
// Order for one runner incarnation: on_rebuild (only when rebuilding), then on_resume; then, per
// event, on_offering then on_offer (the subscription hands it to the queue: accepted or
// rejected; see on_offering for a blocked offer), on_deliver (the
// handler took it from the queue), and either on_parked or nothing; on_checkpoint after every
// durable write.

#include <cstdint>
#include <set>
#include <string>

#include "sim/time.hpp"
#include "system/projections/read_model.hpp"
#include "system/resilience/bounded_queue.hpp"

namespace stormlog::system::projections {

class ProjectionObserver {
  public:
    virtual ~ProjectionObserver() = default;
    // A new incarnation recovered (checkpoint 0 and an empty model if nothing was durable).
    virtual void on_resume(const std::string& projection, uint64_t checkpoint,
                           const std::set<uint64_t>& parked, const ReadModel& model) = 0;
    // The subscription is about to offer the event at `position` to the queue. A blocked offer's
    // event may enter the queue (and even reach the handler) before the subscription learns the
    // result: on_offer(accepted) can come after on_deliver of the same position.
    virtual void on_offering(const std::string& projection, uint64_t position) = 0;
    virtual void on_offer(const std::string& projection, uint64_t position,
                          resilience::PushResult result) = 0;
    virtual void on_deliver(const std::string& projection, uint64_t position) = 0;
    virtual void on_parked(const std::string& projection, uint64_t position,
                           const std::string& error, uint32_t attempts) = 0;
    // A parked event was read back and handed to its handler again (a replay): `applied`, or
    // still failing (it stays parked).
    virtual void on_replayed(const std::string& projection, uint64_t position, bool applied) = 0;
    // The state that is now durable.
    virtual void on_checkpoint(const std::string& projection, uint64_t checkpoint,
                               const std::set<uint64_t>& parked, const ReadModel& model) = 0;
    virtual void on_stopped(const std::string& projection, uint64_t position,
                            const std::string& why) = 0;
    // The durable state was dropped on purpose: the next resume starts over from position 0.
    virtual void on_rebuild(const std::string& projection) = 0;
};

}  // namespace stormlog::system::projections
