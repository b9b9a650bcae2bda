#include "properties/ledger/committed_log.hpp"

namespace stormlog::properties::ledger {

void CommittedLog::on_store_apply(system::store::NodeId, system::store::Index index,
                                  const system::store::AppendCommand& command,
                                  const system::store::AppendResult& result) {
    if (index.value <= applied_) return;
    applied_ = index.value;
    if (result.status != system::store::AppendStatus::ok || result.replay) return;
    // Positions come from the result; a gap would be the store's fault, which store.durability
    // reports - here it only stops the log from growing out of order.
    if (result.first_global != events_.size()) return;
    for (size_t i = 0; i < command.events.size(); ++i) {
        const system::store::EventData& e = command.events[i];
        events_.push_back(system::store::RecordedEvent{command.stream,
                                                       result.first + static_cast<int64_t>(i),
                                                       result.first_global + i, e.id, e.data});
        for (const Listener& l : listeners_) l(events_.back());
    }
}

}  // namespace stormlog::properties::ledger
