#pragma once
// BUGGIFY points of the projection runners (sim/buggify.hpp): reads that return one event, a
// handler that fails now and then (a database hiccup), a tiny queue, a dependency slower than its
// caller's time limit, a checkpoint write the disk refuses - the paths behind backpressure,
// retries, dead letters and unsaved tails, taken on purpose.

#include "sim/buggify.hpp"

namespace stormlog::system::projections::buggify {

inline constexpr sim::BuggifyPoint one_event_reads{"projection.one_event_reads",
                                                   "the subscription reads one event at a time"};
inline constexpr sim::BuggifyPoint handler_error{
    "projection.handler_error",
    "a handler attempt fails before its side effect (a transient error): retried, and parked "
    "when every attempt fails - the replay after the heal must then apply it"};
inline constexpr sim::BuggifyPoint tiny_queue{
    "projection.tiny_queue",
    "a runner with a blocking queue starts with room for two events: its producer blocks at "
    "once, and the watermarks flap",
    0.5};
inline constexpr sim::BuggifyPoint slow_dependency{
    "projection.slow_dependency",
    "a downstream call answers a quarter of a second late, past its caller's time limit: the "
    "handler gives up (and may retry) while the call still lands",
    0.05};
inline constexpr sim::BuggifyPoint checkpoint_write_refused{
    "projection.checkpoint_write_refused",
    "the disk refuses a checkpoint write (an I/O error): the tail stays unsaved, saved later"};

}  // namespace stormlog::system::projections::buggify
