#pragma once
// Sometimes-probes of the projection runners (sim/probe.hpp): resuming from a durable checkpoint
// (or from the older slot when the newest is damaged), rebuilds, poison events parked and
// replayed, dependencies that are down, checkpoints the disk refused - the moments the runner's
// exactly-once-in-effect argument has to survive. Counting never changes what a runner does.

#include <array>

#include "sim/probe_list.hpp"

namespace stormlog::system::projections::probes {

inline constexpr sim::Probe resumed_from_checkpoint{
    "projection.resumed_from_checkpoint",
    "a projection restarts from a durable checkpoint record instead of position 0"};
inline constexpr sim::Probe resumed_from_older_slot{
    "projection.resumed_from_older_slot",
    "the newest checkpoint slot is damaged (a torn or rotten write): the projection resumes from "
    "the older one"};
inline constexpr sim::Probe rebuild_started{
    "projection.rebuild_started",
    "a projection's durable state is erased: it rebuilds its read model from position 0"};
inline constexpr sim::Probe rebuild_caught_up{
    "projection.rebuild_caught_up",
    "a rebuilding projection has folded the whole log for the first time: the rebuild is done"};
inline constexpr sim::Probe checkpoint_save_failed{
    "projection.checkpoint_save_failed",
    "the disk fails a checkpoint write or fsync: the unsaved tail stays in memory, saved later"};
inline constexpr sim::Probe handler_error_recovered{
    "projection.handler_error_recovered",
    "an event whose handler failed at least once applies on a later attempt"};
inline constexpr sim::Probe waited_on_dependency{
    "projection.waited_on_dependency",
    "a side effect's dependency is down or its breaker open: the handler waits, spending no "
    "attempt"};
inline constexpr sim::Probe event_parked{
    "projection.event_parked",
    "an event failed every handler attempt and is parked in the dead-letter stream"};
inline constexpr sim::Probe parked_event_replayed{
    "projection.parked_event_replayed",
    "a parked event is read back from the log and handed to the handler again (replay on "
    "request)"};
inline constexpr sim::Probe parked_event_recovered{
    "projection.parked_event_recovered",
    "a replayed parked event now applies: it leaves the parked set"};
inline constexpr sim::Probe stopped_at_event{
    "projection.stopped_at_event",
    "under the stop policy, a projection stops at an event that failed every attempt"};

inline constexpr std::array<const sim::Probe*, 11> all{
    &resumed_from_checkpoint, &resumed_from_older_slot, &rebuild_started,      &rebuild_caught_up,
    &checkpoint_save_failed,  &handler_error_recovered, &waited_on_dependency, &event_parked,
    &parked_event_replayed,   &parked_event_recovered,  &stopped_at_event,
};

static_assert(sim::distinct_names(all));  // the coverage counts probes by name

}  // namespace stormlog::system::projections::probes
