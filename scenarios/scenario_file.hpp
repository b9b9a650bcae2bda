#pragma once
// Scenario files: JSON text -> a validated Scenario, or one line per problem found.
//
// THE FORMAT. A scenario file is one JSON object. Keys are snake_case; a key not listed here is an
// error (with the closest valid key suggested). Only `name`, `description` and `duration` are
// required; every other key may be left out and then takes the default of scenario.hpp.
//
//   key                      value                                        default
//   name                     string of 1..64 [a-z0-9-], required
//   description              non-empty string, required
//   duration                 duration > 0 and <= 24h, required
//   cluster                  object:
//     nodes                  integer 1..15 (messaging: 1..1024)           3
//     heartbeat              duration > 0                                 "50ms"
//     election_timeout       range, min > 0                               ["300ms", "600ms"]
//     snapshot_every         integer 1..1000000 (store: applied entries     1024
//                            between a node's snapshots)
//   network                  object:
//     latency                range                                        ["500us", "5ms"]
//     latency_shape          number 0.1..10 (1 uniform, > 1 long tail)    1
//     loss                   number 0..1 (probability per packet)         0
//     duplicate              number 0..1                                  0
//     corrupt                number 0..1                                  0
//   disk                     object:
//     write_latency          range                                        ["50us", "200us"]
//     read_latency           range                                        ["20us", "100us"]
//     fsync_latency          range                                        ["1ms", "5ms"]
//     capacity               size 1MiB..1TiB (see below)                  "1GiB"
//     torn_write_probability number 0..1                                  0.5
//   workload                 object:
//     type                   a workload of workloads/registry.hpp         "messaging"
//     clients                integer 1..100                               3
//     rate                   number > 0, <= 100000 (ops/s per client)     50
//     streams                integer 1..1000 (store: streams clients use)  4
//     read_fraction          number 0..1 (store: share of reads)           0.3
//     reads                  "leader" or "any" (store: where reads go first) "leader"
//     event_bytes            [min, max] integers 1..65536 (store: each     [8, 31]
//                            event's payload size, uniform)
//     accounts               integer 2..1000 (ledger: accounts opened)    8
//   faults                   array of at most 10000 objects:              []
//     kind                   a fault kind of faults::catalogue(), required
//     at                     duration before the end of the run, required
//     for                    duration > 0, with at + for <= duration; required if the kind
//                            takes a duration, absent otherwise
//     target                 "n<i>" (1 <= i <= cluster.nodes), "leader", "follower", "random",
//                            "minority", "majority", "all", or an array of distinct "n<i>"
//                            (exactly those nodes); required if the kind takes a target, absent
//                            otherwise - except that with `sides` it defaults to the first
//                            side's cluster nodes
//     sides                  partitions only (partition, partition-halves, -minority, -bridge,
//                            -ring, isolate, partition-one-way); required for "partition": the
//                            exact layout instead of a drawn one, an array of >= 2 non-empty
//                            arrays of node names ("n<i>", or the workload's other nodes such
//                            as clients "c1"). Two named nodes talk iff some side holds both; a
//                            node named in no side keeps its links; two non-cluster nodes are
//                            never cut apart. partition-one-way: exactly [from, to], and only
//                            links from -> to are cut
//     params                 object: the kind's parameters, each optional (absent: the
//                            catalogue's default). Durations are duration strings ("-500ms"
//                            allowed where the range is negative), stored in nanoseconds; numbers
//                            and integers lie within the catalogue's range.
//   nemesis                  object; present means enabled:               disabled
//     window                 range with max <= duration, required: faults start in [min, max)
//     kinds                  non-empty object, required: fault kind -> weight (number > 0)
//     mean_interval          duration > 0 (mean of exponential gaps)      "2s"
//     fault_duration         range, min > 0                               ["500ms", "3s"]
//     client_partitions      number in [0, 1]: the probability a         0
//                            partition it draws puts the client nodes
//                            on its sides (the kind's `clients` 1)
//   budget                   "within" or "beyond"                         "within"
//   quiet_period             duration (fault-free tail for liveness)      "5s", at most
//                                                                         half the duration
//   properties               array of at most 1000 names of properties    [] (all the workload's)
//                            the workload checks
//   expect                   "pass" or "fail"                             "pass"
//   schedule                 "fuzz" (ready fibers in a seeded shuffle) or  "fuzz"
//                            "fifo" (as `stormlog run --schedule fifo`)
//   swarm                    true: each seed draws its own cluster size,  false
//                            timings, workload knobs and nemesis mix
//                            (scenarios/swarm.hpp); needs a nemesis and
//                            no scripted faults
//   probes                   array of at most 1000 names of sometimes-    [] (none required)
//                            probes the workload reaches (stormlog list
//                            probes), or "all": what `suite
//                            --require-probes` requires a hit of
//
// A duration is a string for sim::parse_duration: "250ns", "300us", "150ms", "1.5s", "2m", "1h"; a
// bare number is an error (units are never guessed). A range is a two-element array of durations
// [min, max] with min <= max. A size is a string for sim::parse_size, "<integer><unit>" with unit
// B, KiB, MiB, GiB, TiB, KB, MB, GB or TB ("512MiB", "2GB"), or an integer count of bytes.
//
// The workload (its registry entry) decides what else is valid: the properties a scenario may
// name, the application faults it may schedule (scripted or in the nemesis), and whether the
// targets "leader" and "follower" mean anything.
//
// Budget "within" promises a fault-free tail in which liveness must hold, so: quiet_period <
// duration; every scripted fault heals by the time the quiet period starts (at + for <= duration -
// quiet_period; an instant fault happens before it); the nemesis window ends by then too.
//
// ERRORS. Malformed JSON is one line, `FILE:LINE:COLUMN: malformed JSON: REASON`. Otherwise every
// problem is reported, one line each, `FILE: PATH: expected WHAT, got FOUND` (or `unknown key`,
// `missing (required)`, ...), with PATH like `faults[2].at`; a value is shown as JSON (strings
// quoted and cut short, arrays and objects by their type).
//
// LIMITS (hostile or broken input must not crash, hang or exhaust memory): 4 MiB of text, nesting
// 64 deep, 10000 faults, 1000 properties, 100 error lines (then a count of the rest).

#include <string>
#include <vector>

#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"

namespace stormlog::scenarios {

// The in-memory scenario is what a workload runs (workloads/scenario.hpp); this layer reads it.
using workloads::Budget;
using workloads::ClusterSpec;
using workloads::DiskSpec;
using workloads::Duration;
using workloads::FaultSpec;
using workloads::NemesisSpec;
using workloads::NetworkSpec;
using workloads::RunOptions;
using workloads::RunResult;
using workloads::Scenario;
using workloads::TargetKind;
using workloads::TargetSpec;
using workloads::WorkloadSpec;

struct ScenarioErrors {
    std::vector<std::string> lines;  // each a complete message, as above
};

// Parses `text` (the contents of a file called `file_label`, used in messages). Returns true and
// fills `out` on success; on failure fills `errors` and leaves `out` unspecified.
bool parse_scenario(const std::string& text, const std::string& file_label, Scenario& out,
                    ScenarioErrors& errors);

// Reads and parses the file at `path` (file_label: the path as given). A file that cannot be read
// is one error line.
bool load_scenario_file(const std::string& path, Scenario& out, ScenarioErrors& errors);

}  // namespace stormlog::scenarios
