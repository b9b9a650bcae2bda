#pragma once
// The `messaging` workload: the system under test until the event store lands, small but real
// enough for every network, node, disk and clock fault to matter.
//
// Every node runs a peer. Its senders (workload.clients of them, at workload.rate messages per
// simulated second each) send messages to random peers and wait for an ack. Its receiver checks
// each packet's checksum, appends the message to a journal on its disk as a checksummed record,
// and acks; a syncer fsyncs the journal every 20 ms. A restarted peer recovers its journal: it
// reads records until the first that fails its checksum (a torn tail, or detected corruption)
// and truncates the rest.
//
// Properties:
//   net.no_phantom            every accepted message was sent, with exactly the content sent
//   journal.durable           every record reported as fsynced is recovered after a crash,
//                             unless the node's disk was corrupted by a fault (then detection
//                             is all that can be asked)
//   journal.no_silent_corruption  every recovered record is exactly what was written
//   liveness.messaging        after the last fault heals (within the quiet period), every node
//                             receives a message and gets an ack

#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"
#include "workloads/workload.hpp"

namespace stormlog::workloads {

// Deliberate bugs, switched on only by tests, to show that each property can fail.
struct MessagingBugs {
    bool skip_packet_checksum = false;      // accept corrupted packets
    bool report_sync_before_fsync = false;  // call records durable before the fsync completes
    bool retry_failed_fsync = false;  // after a failed fsync, carry on and fsync again (fsyncgate)
    bool skip_record_checksum = false;  // trust journal records without checking their CRC
    bool never_ack = false;             // receivers stay silent
};

RunResult run_messaging(const Scenario& scenario, const RunOptions& options,
                        const MessagingBugs& bugs = {});

const Workload& messaging_workload();

}  // namespace stormlog::workloads
