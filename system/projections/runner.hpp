#pragma once
// A projection runner (EventStoreDB's persistent subscription, Axon's tracking processor,
// Marten's async daemon): one process that follows the all-stream from its checkpoint and folds
// the events into a read model.
//
//   subscription fiber --(bounded queue: block or reject, never drop)--> handler fiber
//
// The subscription reads committed events in global order and offers them to the queue; under
// the reject policy it keeps a refused event and offers it again later. The handler applies each
// event (after its side effect, if any: a downstream call, a command), and every
// `checkpoint_every` events - or when the queue runs dry - writes checkpoint, parked set and model
// as one record (checkpoint.hpp). A crash loses the queue and the unsaved tail; the next
// incarnation resumes from the record and the subscription redelivers the tail: at-least-once
// delivery with an exactly-once effect.
//
// A handler error is retried with exponential backoff and full jitter; when the attempts run out
// the event is parked - appended to the dead-letter stream "$parked-<name>" with the error and
// attempt count - and the projection goes on, or (policy `stop`) stops there. Parked events are
// replayed on request. A side effect whose dependency is down (Transient) waits, with backoff:
// that is not the event's fault and costs no attempt. Dead letters are not sequenced (unlike
// Axon's): later events of the parked event's stream go on being handled. That is sound for read
// models that are commutative folds (read_model.hpp); an order-sensitive one would have to park
// the rest of the stream behind its first dead letter.

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/channel.hpp"
#include "sim/disk.hpp"
#include "sim/env.hpp"
#include "system/projections/checkpoint.hpp"
#include "system/projections/observer.hpp"
#include "system/projections/read_model.hpp"
#include "system/resilience/bounded_queue.hpp"
#include "system/resilience/retry.hpp"
#include "system/store/client.hpp"

namespace stormlog::system::projections {

// Thrown by a side effect whose dependency is down or whose circuit breaker refused the call:
// not the event's fault, so the handler waits and tries again without spending an attempt.
class Transient : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What a handler does besides folding the event, with the projection's store client (held for
// the call). Throws HandlerError (an attempt) or Transient (a wait). It may run more than once
// for one event (a crash before the checkpoint), so it must be idempotent.
using SideEffect = std::function<void(sim::Env&, store::StoreClient&, const store::RecordedEvent&)>;

struct ProjectionConfig {
    std::string name;  // its files and its dead-letter stream "$parked-<name>"
    resilience::QueueConfig queue;
    resilience::RetryPolicy handler_retry{5, sim::Duration::millis(20), 2.0,
                                          sim::Duration::millis(400), sim::Duration::max()};
    bool stop_on_park = false;  // policy: park and go on (false), or stop at the event (true)
    uint32_t batch = 64;        // events per read
    sim::Duration poll_interval = sim::Duration::millis(50);
    uint32_t checkpoint_every = 16;
    resilience::RetryPolicy transient_wait{0, sim::Duration::millis(50), 2.0,
                                           sim::Duration::seconds(1), sim::Duration::max()};
    // Test-only bug: a failed handler is retried at once, without handler_retry's backoff.
    bool bug_retry_without_backoff = false;
    // Watches the handler's retry loops (retry.backoff); null: nobody does.
    resilience::RetryObserver* retry_observer = nullptr;
    // Test-only cautionary design (a): the read model is saved after every event and the position
    // only every checkpoint_every events, with an in-memory set of handled ids against duplicates.
    bool bug_in_memory_dedup = false;
    // Test-only bug: recovery takes the oldest intact checkpoint slot instead of the newest.
    bool bug_load_oldest_slot = false;
    // Test-only bug: the checkpoint is written only every checkpoint_every events, never when
    // the queue runs dry - so a quiet projection never reports its last events handled.
    bool bug_checkpoint_only_every_n = false;
    // Test-only bug: a parked event goes into the parked set, but no dead letter is written.
    bool bug_park_without_dead_letter = false;
    // Test-only bug: a request to replay the parked events is dropped unserved.
    bool bug_drop_replay_request = false;
};

class ProjectionRunner {
  public:
    ProjectionRunner(sim::Env& env, store::StoreClient& client, sim::Disk& disk,
                     ProjectionConfig config, ReadModel& model, SideEffect effect,
                     ProjectionObserver* observer);

    // Recovers, then runs until the process dies (or, under the stop policy, idles once stopped).
    // `keep_alive` owns what the runner uses (itself, its client, its model): the subscription
    // fiber holds it, so a crash that unwinds the calling fiber first cannot free them under the
    // subscription fiber's feet.
    void run(std::shared_ptr<void> keep_alive);
    // A rebuild: drops the durable state and the model, so that run() replays the log from
    // position 0 (a new read model version, or one that cannot be trusted). Blocks on the disk.
    void erase_durable_state();

    // ---- Controls, from other fibers of the simulation ------------------------------------
    void request_replay_parked() { replay_requested_ = true; }
    void set_handler_delay(sim::Duration d) { handler_delay_ = d; }

    // ---- Status ------------------------------------------------------------------------
    const std::string& name() const { return config_.name; }
    uint64_t checkpoint() const { return checkpoint_; }  // durable: every event below is handled
    uint64_t applied() const { return applied_; }        // in memory
    uint64_t seen_head() const { return seen_head_; }    // the subscription has read up to here
    const std::set<uint64_t>& parked() const { return parked_; }
    bool stopped() const { return stopped_; }
    std::optional<sim::Time> caught_up_at() const { return caught_up_at_; }  // its own clock
    // How long since the model was last caught up, on this runner's own clock (the one that
    // stamped caught_up_at: a staleness never mixes two nodes' clocks); since its clock's zero
    // if it never was.
    sim::Duration caught_up_age() const {
        return env_->now() - caught_up_at_.value_or(sim::Time::zero());
    }
    size_t queue_depth() const { return queue_.depth(); }
    const resilience::BoundedQueue<store::RecordedEvent>& queue() const { return queue_; }
    const ReadModel& model() const { return *model_; }

  private:
    void recover();
    void subscribe();
    bool offer(store::RecordedEvent e);
    void handle_loop();
    // Applies `e` (retrying); false if it was parked, or stopped the projection.
    bool handle(const store::RecordedEvent& e);
    // One attempt; `retried`: another follows if this one fails (a BUGGIFY error may strike).
    bool attempt(const store::RecordedEvent& e, std::string& error, bool retried);
    void park(const store::RecordedEvent& e, const std::string& error, uint32_t attempts);
    void replay_parked();
    void save(bool position);
    template <class F>
    auto with_client(F f);

    sim::Env* env_;
    store::StoreClient* client_;
    CheckpointStore store_;
    ProjectionConfig config_;
    ReadModel* model_;
    SideEffect effect_;
    ProjectionObserver* observer_;
    resilience::BoundedQueue<store::RecordedEvent> queue_;
    sim::Channel<uint8_t> client_token_;  // one call at a time on the shared client

    uint64_t sequence_ = 0;
    uint64_t checkpoint_ = 0;
    uint64_t applied_ = 0;
    uint64_t seen_head_ = 0;
    uint32_t unsaved_ = 0;
    std::set<uint64_t> parked_;
    std::set<std::string> handled_ids_;  // only under bug_in_memory_dedup
    bool stopped_ = false;
    bool replay_requested_ = false;
    std::optional<sim::Time> replay_not_before_;  // local time: a failed replay waits a while
    bool rebuilding_ = false;  // erased for a rebuild and not caught up since (for a probe only)
    sim::Duration handler_delay_;
    std::optional<sim::Time> caught_up_at_;
};

}  // namespace stormlog::system::projections
