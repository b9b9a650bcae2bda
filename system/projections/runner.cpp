#include "system/projections/runner.hpp"

#include <nlohmann/json.hpp>

#include "sim/assert.hpp"
#include "system/projections/buggify.hpp"
#include "system/projections/probes.hpp"

namespace stormlog::system::projections {

using store::CallResult;
using store::Outcome;
using store::RecordedEvent;

namespace {

// Only a blocking queue shrinks: a rejecting one would offer again a poll interval later, two
// events per interval, and the runner would stay that slow into the quiet period (a BUGGIFY
// point must not outlast the faults).
ProjectionConfig buggified(ProjectionConfig c) {
    if (c.queue.overflow == resilience::OverflowPolicy::block && SL_BUGGIFY(buggify::tiny_queue)) {
        c.queue.capacity = 2;
        c.queue.high_watermark = 2;
        c.queue.low_watermark = 1;
    }
    return c;
}

}  // namespace

ProjectionRunner::ProjectionRunner(sim::Env& env, store::StoreClient& client, sim::Disk& disk,
                                   ProjectionConfig config, ReadModel& model, SideEffect effect,
                                   ProjectionObserver* observer)
    : env_(&env),
      client_(&client),
      store_(disk, config.name),
      config_(buggified(std::move(config))),
      model_(&model),
      effect_(std::move(effect)),
      observer_(observer),
      queue_(env.kernel(), config_.queue),
      client_token_(env.kernel(), 1) {
    SL_ASSERT(!config_.name.empty() && "it names the files and the dead-letter stream");
    SL_ASSERT(config_.batch >= 1 && "a read of 0 events never moves the subscription");
    SL_ASSERT(config_.checkpoint_every >= 1);
    uint8_t token = 1;
    (void)client_token_.try_send(token);
}

// The subscription and the handler share one store client; a call holds it to the end.
template <class F>
auto ProjectionRunner::with_client(F f) {
    uint8_t token = 0;
    client_token_.receive(token);
    // The one token is ours now: no other fiber of this runner is inside a call.
    SL_ASSERT(client_token_.size() == 0);
    struct Release {
        sim::Channel<uint8_t>* c;
        ~Release() {
            uint8_t t = 1;
            const sim::ChannelStatus s = c->try_send(t);
            SL_ASSERT_FATAL(s == sim::ChannelStatus::ok);  // never closed; one token, one slot
        }
    } release{&client_token_};
    return f(*client_);
}

void ProjectionRunner::erase_durable_state() {
    // Before run() only: under a running incarnation the memory would stay ahead of the disk.
    SL_ASSERT(sequence_ == 0);
    SL_ASSERT(applied_ == 0);
    // Declared before it is done: a crash halfway leaves a state older than the last durable one.
    if (observer_) observer_->on_rebuild(config_.name);
    SL_PROBE(probes::rebuild_started);
    rebuilding_ = true;
    store_.erase();
    model_->clear();
}

void ProjectionRunner::run(std::shared_ptr<void> keep_alive) {
    recover();
    env_->spawn([this, keep_alive] { subscribe(); });
    handle_loop();
    // Stopped by policy: the process stays up, idle, so its state can still be queried.
    queue_.close();
    for (;;) env_->sleep(sim::Duration::seconds(3600));
}

void ProjectionRunner::recover() {
    model_->clear();
    const std::optional<Durable> d = store_.load(config_.bug_load_oldest_slot);
    // Even a record whose model cannot be used ranks: the next save must outrank it, or a crash
    // between the next two saves would let it (or the slot beside it) win again.
    if (d) sequence_ = d->sequence;
    if (d && model_->decode(d->state)) {
        SL_ASSERT(d->sequence >= 1);  // decode_record's: sequence 0 is "nothing durable"
        // Every record save() wrote has its parked positions below its checkpoint (the CRC vouches
        // that this is one of them): twin of projection.consistent; the bug that demonstrates
        // it writes records that break this, and passes.
        SL_ASSERT(d->parked.empty() || *d->parked.rbegin() < d->checkpoint ||
                  config_.bug_in_memory_dedup);
        checkpoint_ = d->checkpoint;
        parked_ = d->parked;
        SL_PROBE(probes::resumed_from_checkpoint);
        if (store_.loaded_older_slot()) SL_PROBE(probes::resumed_from_older_slot);
    } else {
        model_->clear();  // nothing durable (or unreadable): rebuild from position 0
    }
    applied_ = seen_head_ = checkpoint_;
    if (observer_) observer_->on_resume(config_.name, checkpoint_, parked_, *model_);
}

// ---- The subscription ------------------------------------------------------------------------

void ProjectionRunner::subscribe() {
    uint64_t position = checkpoint_;
    for (;;) {
        // The handler applies only what the queue accepted, and everything below `position` is
        // all that was offered: it can never be ahead of the subscription.
        SL_ASSERT(applied_ <= position);
        const uint32_t batch = SL_BUGGIFY(buggify::one_event_reads) ? 1 : config_.batch;
        const CallResult r =
            with_client([&](store::StoreClient& c) { return c.read_all(position, batch); });
        if (r.outcome != Outcome::ok || r.response.events.empty()) {
            if (r.outcome == Outcome::ok && applied_ == seen_head_) {
                caught_up_at_ = env_->now();
                if (rebuilding_) SL_PROBE(probes::rebuild_caught_up);
                rebuilding_ = false;
            }
            env_->sleep(config_.poll_interval);
            continue;
        }
        for (const RecordedEvent& e : r.response.events) {
            // A correct store returns the next positions with no gap; anything else is not
            // handed on (the checkers report the store; the projection must not skip), and read
            // again after a poll interval, not at once: that would spin without time passing.
            if (e.global_position != position) {
                env_->sleep(config_.poll_interval);
                break;
            }
            if (!offer(e)) return;
            ++position;
            seen_head_ = position;
        }
    }
}

// Offers `e` until the queue takes it; false if the queue closed (the projection stopped).
bool ProjectionRunner::offer(RecordedEvent e) {
    const uint64_t position = e.global_position;
    // Offered in order with no gap, each once: twin of queue.no_silent_loss, which sees the
    // handler receive them in the same order.
    SL_ASSERT(position == seen_head_);
    for (;;) {
        if (observer_) observer_->on_offering(config_.name, position);
        const resilience::PushResult r = queue_.push(e);
        if (observer_) observer_->on_offer(config_.name, position, r);
        if (r == resilience::PushResult::accepted) return true;
        if (r == resilience::PushResult::closed) return false;
        env_->sleep(config_.poll_interval);  // rejected: keep the event, offer it again later
    }
}

// ---- The handler -----------------------------------------------------------------------------

void ProjectionRunner::handle_loop() {
    for (;;) {
        if (replay_requested_) replay_parked();
        RecordedEvent e;
        const resilience::PopResult r =
            queue_.pop(e, env_->kernel().now() + sim::Duration::millis(100));
        if (r == resilience::PopResult::closed) return;
        if (r == resilience::PopResult::timeout) {
            if (unsaved_ > 0 && !config_.bug_checkpoint_only_every_n) save(true);
            continue;
        }
        if (observer_) observer_->on_deliver(config_.name, e.global_position);
        // Each position is handled once per incarnation, none skipped: twin of
        // projection.consistent and queue.no_silent_loss; the bugs that demonstrate them skip
        // positions (the dedup, the dropping queue), and pass.
        SL_ASSERT(e.global_position == applied_ || config_.bug_in_memory_dedup ||
                  config_.queue.bug_drop_when_full);
        if (config_.bug_in_memory_dedup && !handled_ids_.insert(e.id).second) continue;
        const bool applied = handle(e);
        if (!applied && stopped_) return;
        // Handled means applied or parked, never both: the parked set holds exactly the positions
        // parked (twin of projection.consistent, whose fold leaves out exactly those).
        SL_ASSERT(applied || parked_.count(e.global_position) == 1);
        SL_ASSERT(!applied || parked_.count(e.global_position) == 0 || config_.bug_in_memory_dedup);
        applied_ = e.global_position + 1;
        ++unsaved_;
        if (config_.bug_in_memory_dedup) {
            save(unsaved_ >= config_.checkpoint_every);
        } else if (unsaved_ >= config_.checkpoint_every ||
                   (queue_.depth() == 0 && !config_.bug_checkpoint_only_every_n)) {
            save(true);
        }
    }
}

bool ProjectionRunner::attempt(const RecordedEvent& e, std::string& error, bool retried) {
    SL_ASSERT(!stopped_);  // a stopped projection applies nothing more
    if (handler_delay_.ns() > 0) env_->sleep(handler_delay_);
    // Only where another attempt follows: a transient error must not park a good event (the
    // checker holds that only poison is parked).
    if (retried && SL_BUGGIFY(buggify::handler_error)) {
        error = "a transient handler error (buggify)";
        return false;
    }
    try {
        if (effect_) with_client([&](store::StoreClient& c) { effect_(*env_, c, e); });
        model_->apply(e);
        return true;
    } catch (const HandlerError& err) {
        error = err.what();
        return false;
    }
}

bool ProjectionRunner::handle(const RecordedEvent& e) {
    resilience::RetryState retry(config_.handler_retry, env_->now(), config_.retry_observer);
    uint32_t waits = 0;
    bool failed = false;  // an attempt threw HandlerError
    for (;;) {
        retry.attempt(env_->now());
        std::string error;
        const uint32_t most = config_.handler_retry.attempts_max;
        try {
            if (attempt(e, error, most == 0 || retry.attempts() < most)) {
                if (failed) SL_PROBE(probes::handler_error_recovered);
                return true;
            }
            failed = true;
        } catch (const Transient&) {
            // The dependency is down or its breaker open: wait (jittered, growing), no attempt.
            SL_PROBE(probes::waited_on_dependency);
            env_->sleep(resilience::backoff(config_.transient_wait, std::min<uint32_t>(++waits, 16),
                                            env_->rng()) +
                        sim::Duration::millis(1));
            continue;
        }
        const std::optional<sim::Duration> delay = retry.next(env_->now(), env_->rng());
        if (delay) {
            if (!config_.bug_retry_without_backoff) env_->sleep(*delay);
            continue;
        }
        // Out of attempts (or time): the policy's limit held.
        SL_ASSERT(retry.exhausted());
        if (config_.stop_on_park) {
            stopped_ = true;
            SL_PROBE(probes::stopped_at_event);
            save(true);
            if (observer_) observer_->on_stopped(config_.name, e.global_position, error);
            return false;
        }
        park(e, error, retry.attempts());
        return false;
    }
}

void ProjectionRunner::park(const RecordedEvent& e, const std::string& error, uint32_t attempts) {
    SL_ASSERT(!config_.stop_on_park);  // that policy stops at the event instead
    // Parked once per incarnation: a position below the checkpoint is never delivered again.
    SL_ASSERT(parked_.count(e.global_position) == 0 || config_.bug_in_memory_dedup);
    const nlohmann::json record = {{"position", e.global_position},
                                   {"stream", e.stream},
                                   {"id", e.id},
                                   {"error", error},
                                   {"attempts", attempts}};
    const std::string text = record.dump();
    store::AppendCommand cmd;
    cmd.stream = "$parked-" + config_.name;
    cmd.events.push_back(
        store::EventData{config_.name + "-parked-" + std::to_string(e.global_position),
                         std::vector<uint8_t>(text.begin(), text.end())});
    // The dead letter must be in the store before the checkpoint passes the event.
    for (uint32_t attempt = 1; !config_.bug_park_without_dead_letter; ++attempt) {
        const CallResult r = with_client([&](store::StoreClient& c) { return c.append(cmd); });
        if (r.outcome == Outcome::ok) break;
        env_->sleep(resilience::backoff(config_.handler_retry, std::min<uint32_t>(attempt, 8),
                                        env_->rng()));
    }
    parked_.insert(e.global_position);
    SL_PROBE(probes::event_parked);
    if (observer_) observer_->on_parked(config_.name, e.global_position, error, attempts);
}

void ProjectionRunner::replay_parked() {
    if (replay_not_before_ && env_->now() < *replay_not_before_) return;
    replay_requested_ = false;
    if (config_.bug_drop_replay_request) return;
    bool again = false;  // a position that could not be read or reached its dependency
    const std::set<uint64_t> parked = parked_;
    for (uint64_t p : parked) {
        // Parked positions were handled (given up on) before: replaying one never runs ahead.
        SL_ASSERT(p < applied_ || config_.bug_in_memory_dedup);
        const CallResult r = with_client([&](store::StoreClient& c) { return c.read_all(p, 1); });
        if (r.outcome != Outcome::ok || r.response.events.size() != 1 ||
            r.response.events[0].global_position != p) {
            again = true;
            continue;
        }
        SL_PROBE(probes::parked_event_replayed);
        std::string error;
        bool ok = false;
        try {
            ok = attempt(r.response.events[0], error, false);
        } catch (const Transient&) {
            again = true;
            continue;
        }
        if (observer_) observer_->on_replayed(config_.name, p, ok);
        if (!ok) continue;
        // Only this fiber changes the parked set, so the snapshot's position is still in it.
        const size_t erased = parked_.erase(p);
        SL_ASSERT(erased == 1);
        SL_PROBE(probes::parked_event_recovered);
        save(true);
    }
    // The request stands until every parked event was read and tried: a store still electing
    // after the heal must not cost the replay (it used to drop the request).
    if (again) {
        replay_requested_ = true;
        replay_not_before_ = env_->now() + config_.poll_interval * 10;
    }
}

void ProjectionRunner::save(bool position) {
    Durable d;
    d.sequence = sequence_ + 1;
    d.checkpoint = position ? applied_ : checkpoint_;
    // Within an incarnation the checkpoint only moves on: twin of
    // projection.checkpoint_monotonic (whose bug goes back across incarnations, in recover).
    SL_ASSERT(d.checkpoint >= checkpoint_);
    // A parked position is below the checkpoint that records it: twin of projection.consistent;
    // the bug that demonstrates it saves the parked set without the position, and passes.
    SL_ASSERT(parked_.empty() || *parked_.rbegin() < d.checkpoint || config_.bug_in_memory_dedup);
    d.parked = parked_;
    d.state = model_->encode();  // moved on into the record (checkpoint.cpp)
    if (!store_.save(d)) {
        SL_PROBE(probes::checkpoint_save_failed);
        return;  // an I/O error: the tail stays unsaved and is tried again
    }
    sequence_ = d.sequence;
    checkpoint_ = d.checkpoint;
    SL_ASSERT(checkpoint_ <= applied_);  // durable never ahead of memory
    if (position) unsaved_ = 0;
    if (observer_) observer_->on_checkpoint(config_.name, checkpoint_, parked_, *model_);
}

}  // namespace stormlog::system::projections
