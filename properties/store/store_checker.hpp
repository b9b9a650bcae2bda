#pragma once
// The event store's own properties, judged against a reference model of its semantics.
//
// The checker folds every committed append, the first time any node applies its index, into a
// reference store (a second, deliberately simple implementation of the semantics documented in
// properties/linearizability/model_stream.hpp). Every node's result for that index must equal the
// reference's:
//   store.expected_version   no append is committed against a version it did not expect (and
//                            none is refused when its expectation held)
//   store.idempotent_append  an append whose events are already in the stream is a replay: it
//                            reports the original positions and adds nothing
//   store.durability         every acknowledged append is in the final committed log exactly
//                            once, in order, at the positions it was acknowledged with, with its
//                            data intact - checked against the reference (the log as committed)
//                            and against the state machine of the final leader
// The first violation of each property is reported; later ones of the same property are not.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "system/store/event_store.hpp"
#include "system/store/server.hpp"

namespace stormlog::properties::store {

using system::store::AppendCommand;
using system::store::AppendResult;
using system::store::Index;
using system::store::NodeId;

struct Violation {
    std::string property;
    NodeId node = 0;
    std::string evidence;
};

// An append a client saw succeed.
struct Acknowledged {
    NodeId client = 0;
    std::string client_name;
    AppendCommand command;
    AppendResult result;
};

class StoreChecker final : public system::store::StoreObserver {
  public:
    using Report = std::function<void(const Violation&)>;
    using Name = std::function<std::string(NodeId)>;

    StoreChecker(size_t nodes, Report report, Name name = {});
    void enable(const std::vector<std::string>& properties);
    static const std::vector<std::string>& property_names();

    void on_store_apply(NodeId node, Index index, const AppendCommand& command,
                        const AppendResult& result) override;
    // A client's append was acknowledged (ok).
    void acknowledged(Acknowledged ack);
    // A subscriber to the all-stream received `e` (in order, gap-free: the subscription checks).
    void subscribed(NodeId subscriber, const std::string& name,
                    const system::store::RecordedEvent& e);
    // The subscription broke its contract (a gap or a repeat).
    void subscription_broken(NodeId subscriber, const std::string& name, const std::string& why);
    // End of run: every acknowledged append against the committed log, and, if the run ended
    // with a serving leader, against that leader's state machine.
    void finish(const system::store::EventStore* final_leader_state,
                const std::string& leader_name);

    uint64_t committed_appends() const { return committed_appends_; }
    uint64_t acknowledged_appends() const { return acks_.size(); }
    // Acknowledged appends with an event the committed log does not hold: a report's
    // "acknowledged writes lost" (store.durability judges them, and more).
    uint64_t acknowledged_lost() const;

  private:
    enum Property : uint8_t { expected_version, idempotent_append, durability, property_count };

    struct RefEvent {
        std::string id;
        uint64_t digest = 0;
        uint64_t index = 0;  // the Raft index of the append that wrote it
    };
    struct RefStream {
        std::vector<RefEvent> events;
        std::unordered_map<std::string, int64_t> position;  // id -> stream position
    };
    struct Committed {
        uint64_t command_digest = 0;
        AppendResult result;  // what the reference says applying it yields
    };

    AppendResult reference_apply(uint64_t index, const AppendCommand& command);
    AppendResult reference_append(uint64_t index, const AppendCommand& command);
    void compare(NodeId node, uint64_t index, const AppendCommand& command, const AppendResult& got,
                 const AppendResult& want);
    void check_ack(const Acknowledged& ack);
    // The event's position in the reference stream, -1 if it was never committed there.
    static int64_t committed_position(const RefStream& stream, const std::string& id);
    void check_final_state(const system::store::EventStore& state, const std::string& who);
    void violate(Property p, NodeId node, const std::string& evidence);
    std::string name(NodeId n) const;

    Report report_;
    Name name_;
    std::array<bool, property_count> enabled_{};
    std::array<bool, property_count> reported_{};
    std::vector<std::optional<Committed>> reference_;  // by Raft index (no-ops leave gaps)
    uint64_t committed_appends_ = 0;
    struct Session {
        uint64_t request = 0;
        AppendResult result;
    };
    std::map<std::string, RefStream> streams_;
    std::map<uint64_t, Session> sessions_;  // client sessions, by client
    struct GlobalEvent {
        std::string stream;
        std::string id;
        uint64_t digest = 0;
    };
    std::vector<GlobalEvent> global_;  // the reference's all-stream, by global position
    struct Seen {
        NodeId subscriber = 0;
        std::string name;
        system::store::RecordedEvent event;
    };
    std::vector<Seen> subscribed_;
    void check_subscribed();
    uint64_t head_ = 0;
    std::vector<Acknowledged> acks_;
};

// A digest of an append command's stream, expectation and events (ids and data).
uint64_t command_digest(const AppendCommand& c);

}  // namespace stormlog::properties::store
