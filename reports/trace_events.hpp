#pragma once
// trace.json: a run's report in Chrome's trace-event format, which Perfetto (ui.perfetto.dev,
// "Open trace file") and chrome://tracing open. Rendered from report.json, so the trace and the
// report cannot disagree:
//   process "nodes":    per node, a track of its states (up/crashed/paused) and a track of its
//                       leaderships ("leader t<term>");
//   process "faults":   the faults as slices (overlapping faults on separate lanes; instant
//                       faults as instant events), and the alerts (on lanes of their own, from
//                       thread 100000 on);
//   process "breakers": a track per circuit breaker, its states as slices;
//   process "metrics":  counters - commit index, term, operations, each gauge (lag, depth).
// Timestamps are simulated microseconds. Slices are complete events ("ph": "X"); slices of one
// track never overlap.

#include <nlohmann/json.hpp>

namespace stormlog::reports {

// REQUIRES: `report` is a run_report_json() document.
nlohmann::ordered_json trace_events(const nlohmann::ordered_json& report);

}  // namespace stormlog::reports
