#pragma once
// The committed all-stream as the store's apply tap reports it: every event with its data, by
// global position. The first node to apply a Raft index is the one recorded (the store checkers
// make sure every other node agrees), so the log grows in global order without gaps. The ledger
// and projection checkers read it; they never ask the system under test.

#include <cstdint>
#include <functional>
#include <vector>

#include "system/store/event_store.hpp"
#include "system/store/server.hpp"

namespace stormlog::properties::ledger {

class CommittedLog final : public system::store::StoreObserver {
  public:
    using Listener = std::function<void(const system::store::RecordedEvent&)>;

    void on_store_apply(system::store::NodeId node, system::store::Index index,
                        const system::store::AppendCommand& command,
                        const system::store::AppendResult& result) override;
    // Called for each newly committed event, in global order.
    void listen(Listener l) { listeners_.push_back(std::move(l)); }

    const std::vector<system::store::RecordedEvent>& events() const { return events_; }
    uint64_t head() const { return events_.size(); }

  private:
    uint64_t applied_ = 0;  // the highest Raft index recorded
    std::vector<system::store::RecordedEvent> events_;
    std::vector<Listener> listeners_;
};

}  // namespace stormlog::properties::ledger
