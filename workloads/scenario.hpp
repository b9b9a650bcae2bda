#pragma once
// A scenario in memory: everything one run needs besides its seed - what a workload runs. The
// scenarios/ layer loads it from a JSON file (see the README's "Scenario files" for the format) and
// validates it before anything runs; the built-in ones are the files in scenarios/builtin/.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "faults/schedule.hpp"
#include "sim/disk.hpp"
#include "sim/network.hpp"
#include "sim/time.hpp"

namespace stormlog::workloads {

using sim::Duration;

struct ClusterSpec {
    int nodes = 3;                              // 1..15
    Duration heartbeat = Duration::millis(50);  // for the store (leader heartbeats)
    Duration election_timeout_min = Duration::millis(300);
    Duration election_timeout_max = Duration::millis(600);
    int snapshot_every = 1024;  // store: applied entries between snapshots
};

// The network's default link settings and each node's disk, exactly as the simulator takes them.
using NetworkSpec = sim::LinkSettings;
using DiskSpec = sim::DiskOptions;

struct WorkloadSpec {
    std::string type;    // a registry name (workloads/registry.hpp); files default to the first
    int clients = 3;     // concurrent clients (or senders per node)
    double rate = 50.0;  // operations per simulated second, per client
    int streams = 4;     // store: the streams clients append to and read
    double read_fraction = 0.3;   // store: the share of operations that are reads
    bool reads_anywhere = false;  // store: reads go to a random node first, not the leader
    int accounts = 8;             // ledger: the accounts the clients open and move money between
    // kernel-smoke: a test of the testbed itself - at this time a fiber fails an SL_ASSERT, and
    // the run must fail with property "assert" (tests/cli shows it does, in every build type).
    std::optional<Duration> fail_assertion_at;
    // store: each event's payload is uniform in [min, max] bytes. The default keeps records
    // within one sector; events of 1-8 KiB make records span several, so a torn write can cut
    // one in the middle.
    int event_bytes_min = 8;
    int event_bytes_max = 31;
};

using faults::Budget;
using faults::FaultSpec;
using faults::NemesisSpec;
using faults::TargetKind;
using faults::TargetSpec;

struct Scenario {
    std::string name;
    std::string description;
    std::string source;  // the file it was loaded from
    ClusterSpec cluster;
    NetworkSpec network;
    DiskSpec disk;
    WorkloadSpec workload;
    Duration duration = Duration::seconds(30);
    std::vector<FaultSpec> faults;  // scripted
    NemesisSpec nemesis;
    Budget budget = Budget::within;
    Duration quiet_period = Duration::seconds(5);  // fault-free tail in which liveness must hold
    std::vector<std::string> properties;           // empty: every property the workload knows
    // Sometimes-probes (sim/probe.hpp) this scenario declares it reaches: `suite --require-probes`
    // fails when one was hit in none of the scenario's runs. Empty: none required.
    std::vector<std::string> probes;
    // Swarm testing (scenarios/swarm.hpp): each seed draws its own configuration from this one.
    bool swarm = false;
    // BUGGIFY (sim/buggify.hpp): points in the system code misbehave, legally, in seeded runs.
    bool buggify = false;
    // `"schedule": "fifo"`: ready fibers run in FIFO order, not a seeded shuffle (as `--schedule
    // fifo` does); a shrunk failure that still fails without the shuffle says so in its file.
    bool fifo_scheduling = false;
    bool expect_pass = true;
};

}  // namespace stormlog::workloads
