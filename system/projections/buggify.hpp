#pragma once
// BUGGIFY points of the projection runners (sim/buggify.hpp): reads that return one event, a
// handler that fails now and then (a database hiccup), a checkpoint write the disk refuses - the
// paths behind retries, dead letters and unsaved tails, taken on purpose.

#include "sim/buggify.hpp"

namespace stormlog::system::projections::buggify {

inline constexpr sim::BuggifyPoint one_event_reads{"projection.one_event_reads",
                                                   "the subscription reads one event at a time"};
inline constexpr sim::BuggifyPoint handler_error{
    "projection.handler_error",
    "a handler attempt fails before its side effect (a transient error): retried, and parked "
    "when every attempt fails - the replay after the heal must then apply it"};
inline constexpr sim::BuggifyPoint checkpoint_write_refused{
    "projection.checkpoint_write_refused",
    "the disk refuses a checkpoint write (an I/O error): the tail stays unsaved, saved later"};

}  // namespace stormlog::system::projections::buggify
