#include "workloads/messaging.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "properties/catalogue.hpp"
#include "sim/env.hpp"
#include "sim/future.hpp"
#include "workloads/cluster.hpp"

namespace stormlog::workloads {
namespace {

using sim::Bytes;
using sim::Duration;
using sim::NodeId;
using sim::Time;

const uint64_t k_trace_accept = sim::trace_kind_named("messaging.accept");

const std::string k_journal = "journal";
constexpr Duration k_sync_interval = Duration::millis(20);
constexpr Duration k_ack_timeout = Duration::millis(300);
constexpr size_t k_header_bytes = 16;  // u32 length, u32 crc32c(seq, payload), u64 seq
constexpr uint32_t k_payload_max = 4096;
constexpr uint8_t k_type_message = 1;
constexpr uint8_t k_type_ack = 2;
constexpr size_t k_wire_header = 13;  // u8 type, u64 id, u32 from

void put(Bytes& b, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t get(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}

Bytes wire(uint8_t type, uint64_t id, NodeId from, const Bytes& payload) {
    Bytes b;
    b.reserve(k_wire_header + payload.size());
    put(b, type, 1);
    put(b, id, 8);
    put(b, from, 4);
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}

uint32_t record_crc(uint64_t seq, const Bytes& payload) {
    Bytes b;
    put(b, seq, 8);
    b.insert(b.end(), payload.begin(), payload.end());
    return sim::crc32c(b);
}

// What the workload knows for certain about each node: the tap the properties read.
struct NodeTruth {
    std::map<uint64_t, Bytes> written;  // journal seq -> payload, for records that may exist
    uint64_t durable_seq = 0;           // every record up to here was reported fsynced
    uint64_t highest_seq = 0;           // never reused, across incarnations
    Time last_receive;
    Time last_ack;
};

// One incarnation of a peer; its fibers share it. Dies with the incarnation.
struct PeerState {
    uint64_t write_offset = 0;
    uint64_t last_written_seq = 0;
    std::map<uint64_t, std::shared_ptr<sim::Promise<bool>>> pending_acks;
};

class Messaging {
  public:
    Messaging(const Scenario& scenario, const RunOptions& options, const MessagingBugs& bugs)
        : cluster_(scenario, options), bugs_(bugs), truth_(cluster_.size()) {
        for (const std::string& p : scenario.properties) enabled_.insert(p);
        for (NodeId i = 0; i < cluster_.size(); ++i) {
            sim::Node& node = cluster_.sim().node(i);
            cluster_.sim().start(cluster_.sim().add_process(
                node, "peer", [this, i](sim::Env& env) { peer(env, i); }));
        }
    }

    RunResult run() {
        cluster_.start_faults();
        cluster_.sim().run_until(cluster_.end());
        cluster_.sim().run_checks([this] {
            if (!cluster_.sim().failed()) check_liveness();
        });
        RunResult r = cluster_.result();
        r.summary.push_back("messaging: sent=" + std::to_string(messages_sent_) + " accepted=" +
                            std::to_string(messages_accepted_) + " acked=" + std::to_string(acks_) +
                            " rejected_corrupt=" + std::to_string(rejected_corrupt_) +
                            " journal_recoveries=" + std::to_string(recoveries_) +
                            " corrupt_records_detected=" + std::to_string(corruption_detected_) +
                            " appends_refused=" + std::to_string(appends_refused_));
        return r;
    }

  private:
    bool enabled(const char* property) const {
        return enabled_.empty() || enabled_.count(property) > 0;
    }

    void violate(const char* property, NodeId node, const std::string& evidence) {
        if (enabled(property))
            cluster_.sim().fail(property, cluster_.sim().node(node).name(), evidence);
    }

    void peer(sim::Env& env, NodeId self) {
        auto state = std::make_shared<PeerState>();
        recover(env, self, *state);
        env.spawn([this, &env, self, state] { receive_loop(env, self, *state); });
        env.spawn([this, &env, self, state] { sync_loop(env, self, *state); });
        for (int c = 0; c < cluster_.scenario().workload.clients; ++c) {
            env.spawn([this, &env, self, state] { send_loop(env, self, *state); });
        }
    }

    // ---- The journal ------------------------------------------------------------------------

    void recover(sim::Env& env, NodeId self, PeerState& st) {
        sim::Disk& disk = cluster_.disk(self);
        NodeTruth& truth = truth_[self];
        uint64_t offset = 0, last_seq = 0;
        for (;;) {
            Bytes payload;
            uint64_t seq = 0;
            if (!read_record(disk, offset, last_seq, seq, payload)) break;
            auto it = truth.written.find(seq);
            if (it == truth.written.end() || it->second != payload) {
                violate(properties::property::journal_no_silent_corruption.name, self,
                        "recovered record seq " + std::to_string(seq) +
                            " is not what was written there");
            }
            offset += k_header_bytes + payload.size();
            last_seq = seq;
        }
        ++recoveries_;
        const bool corrupted = cluster_.had_corrupting_fault(self, cluster_.sim().now());
        if (last_seq < truth.durable_seq && !corrupted) {
            violate(properties::property::journal_durable.name, self,
                    "records up to seq " + std::to_string(truth.durable_seq) +
                        " were fsynced but only " + std::to_string(last_seq) +
                        " survived the crash");
        }
        // Whatever did not survive is gone for good; new records take fresh sequence numbers.
        truth.written.erase(truth.written.upper_bound(last_seq), truth.written.end());
        truth.durable_seq = last_seq;
        st.write_offset = offset;
        st.last_written_seq = last_seq;
        if (disk.truncate(k_journal, offset).ok()) (void)disk.fsync(k_journal);
        env.log().info("journal recovered: {} bytes, last seq {}", offset, last_seq);
    }

    // Reads the record at `offset`; false at the end, a torn tail or detected corruption.
    bool read_record(sim::Disk& disk, uint64_t offset, uint64_t last_seq, uint64_t& seq,
                     Bytes& payload) {
        uint8_t header[k_header_bytes];
        sim::IoResult r = disk.read(k_journal, offset, header);
        if (r.error == sim::IoError::io_error) ++corruption_detected_;
        if (!r.ok() || r.bytes < k_header_bytes) return false;
        const auto length = static_cast<uint32_t>(get(header, 4));
        const auto crc = static_cast<uint32_t>(get(header + 4, 4));
        seq = get(header + 8, 8);
        if (length == 0 || length > k_payload_max)
            return length != 0 && ++corruption_detected_ && false;
        payload.resize(length);
        r = disk.read(k_journal, offset + k_header_bytes, payload);
        if (r.error == sim::IoError::io_error) ++corruption_detected_;
        if (!r.ok() || r.bytes < length) return false;
        if (!bugs_.skip_record_checksum && (record_crc(seq, payload) != crc || seq <= last_seq)) {
            ++corruption_detected_;  // or a torn tail: the same thing to recovery
            return false;
        }
        return true;
    }

    bool append(NodeId self, PeerState& st, const Bytes& payload) {
        NodeTruth& truth = truth_[self];
        const uint64_t seq = ++truth.highest_seq;
        Bytes record;
        put(record, payload.size(), 4);
        put(record, record_crc(seq, payload), 4);
        put(record, seq, 8);
        record.insert(record.end(), payload.begin(), payload.end());
        // Known before the write: a crash during it may still leave the record on the medium.
        truth.written[seq] = payload;
        const uint64_t offset = st.write_offset;
        st.write_offset += record.size();
        const sim::IoResult r = cluster_.disk(self).write(k_journal, offset, record);
        if (!r.ok()) {
            ++appends_refused_;
            truth.written.erase(seq);
            st.write_offset = offset;
            return false;
        }
        st.last_written_seq = std::max(st.last_written_seq, seq);
        return true;
    }

    void sync_loop(sim::Env& env, NodeId self, PeerState& st) {
        NodeTruth& truth = truth_[self];
        for (;;) {
            env.sleep(k_sync_interval);
            const uint64_t target = st.last_written_seq;
            if (target <= truth.durable_seq) continue;
            if (bugs_.report_sync_before_fsync) truth.durable_seq = target;
            if (cluster_.disk(self).fsync(k_journal).ok()) {
                truth.durable_seq = std::max(truth.durable_seq, target);
            } else if (!bugs_.retry_failed_fsync) {
                // After a failed fsync the unsynced records may be gone from the cache while a
                // later fsync succeeds: only a restart, which reads back what the journal holds,
                // knows what is durable (PostgreSQL's answer to fsyncgate).
                env.kernel().restart(env.process());
                env.kernel().throw_if_killed();
            }
        }
    }

    // ---- Traffic ----------------------------------------------------------------------------

    void send_loop(sim::Env& env, NodeId self, PeerState& st) {
        const Duration mean =
            Duration::nanos(static_cast<int64_t>(1e9 / cluster_.scenario().workload.rate));
        for (;;) {
            env.sleep(env.rng().exponential(mean) + Duration::micros(1));
            const auto to = static_cast<NodeId>((self + 1 + env.rng().below(cluster_.size() - 1)) %
                                                cluster_.size());
            const uint64_t id = ++next_message_id_;
            Bytes payload(8 + env.rng().below(56));
            for (uint8_t& b : payload) b = static_cast<uint8_t>(env.rng().next_u64());
            SL_ASSERT(id == sent_.size() + 1);  // ids are dense: message id k is sent_[k - 1]
            sent_.push_back(payload);
            ++messages_sent_;
            auto promise = std::make_shared<sim::Promise<bool>>(cluster_.sim());
            sim::Future<bool> acked = promise->get_future();
            st.pending_acks[id] = promise;
            cluster_.network().send(self, to, wire(k_type_message, id, self, payload));
            if (acked.wait_for(k_ack_timeout) == sim::FutureStatus::ready) {
                ++acks_;
                truth_[self].last_ack = cluster_.sim().now();
            }
            st.pending_acks.erase(id);
        }
    }

    void receive_loop(sim::Env& env, NodeId self, PeerState& st) {
        for (;;) {
            sim::Packet p;
            if (cluster_.network().receive(self, p) != sim::ChannelStatus::ok) return;
            if (!bugs_.skip_packet_checksum && !p.intact()) {
                ++rejected_corrupt_;
                continue;
            }
            if (p.payload.size() < k_wire_header) {
                violate(properties::property::net_no_phantom.name, self,
                        "accepted a malformed packet of " + std::to_string(p.payload.size()) +
                            " bytes");
                continue;
            }
            const auto type = static_cast<uint8_t>(get(p.payload.data(), 1));
            const uint64_t id = get(p.payload.data() + 1, 8);
            const auto from = static_cast<NodeId>(get(p.payload.data() + 9, 4));
            if (type == k_type_ack) {
                auto it = st.pending_acks.find(id);
                if (it != st.pending_acks.end()) it->second->set_value(true);
                continue;
            }
            const Bytes body(p.payload.begin() + k_wire_header, p.payload.end());
            const Bytes* sent = id >= 1 && id <= sent_.size() ? &sent_[id - 1] : nullptr;
            if (type != k_type_message || sent == nullptr || *sent != body ||
                from >= cluster_.size()) {
                violate(
                    properties::property::net_no_phantom.name, self,
                    "accepted message " + std::to_string(id) + " that was never sent as received");
                continue;
            }
            ++messages_accepted_;
            truth_[self].last_receive = cluster_.sim().now();
            env.record(k_trace_accept, id);
            if (append(self, st, body) && !bugs_.never_ack) {
                cluster_.network().send(self, from, wire(k_type_ack, id, self, {}));
            }
        }
    }

    void check_liveness() {
        const Scenario& s = cluster_.scenario();
        if (s.budget != Budget::within || s.quiet_period.ns() == 0) return;
        const Time healed = std::max(cluster_.injector().last_heal(), Time::zero());
        for (NodeId i = 0; i < cluster_.size(); ++i) {
            const NodeTruth& t = truth_[i];
            if (t.last_receive <= healed || t.last_ack <= healed) {
                violate(
                    properties::property::liveness_messaging.name, i,
                    "no message received and acked in the quiet period after the last heal at " +
                        sim::format_duration(healed - Time::zero()));
            }
        }
    }

    Cluster cluster_;
    MessagingBugs bugs_;
    std::set<std::string> enabled_;
    std::vector<NodeTruth> truth_;
    // Every message sent, by id - 1: the oracle net_no_phantom compares deliveries against. A
    // vector, not a map: a lookup per delivery stays O(1) however many messages a run sends (the
    // map's depth made a message at 101 nodes cost 1.6x one at 5).
    std::vector<Bytes> sent_;
    uint64_t next_message_id_ = 0;
    uint64_t messages_sent_ = 0, messages_accepted_ = 0, acks_ = 0, rejected_corrupt_ = 0;
    uint64_t recoveries_ = 0, corruption_detected_ = 0, appends_refused_ = 0;
};

}  // namespace

RunResult run_messaging(const Scenario& scenario, const RunOptions& options,
                        const MessagingBugs& bugs) {
    return Messaging(scenario, options, bugs).run();
}

const Workload& messaging_workload() {
    using namespace properties::property;
    static const Workload w{
        .name = "messaging",
        .summary = "peers exchange acked messages and journal them to disk",
        .properties = {net_no_phantom.name, journal_durable.name, journal_no_silent_corruption.name,
                       liveness_messaging.name},
        .settings = {"clients", "rate"},
        .application_faults = {},
        .records_history = false,
        .has_leader = false,
        // Peers only: nothing in it is quadratic per message, so the bound is the kernel's
        // network (a link record per ordered pair of nodes: about 1M at 1024).
        .nodes_max = 1024,
        .probes = {},
        .run = [](const Scenario& s,
                  const RunOptions& options) { return run_messaging(s, options); },
    };
    return w;
}

}  // namespace stormlog::workloads
