#include "sim/simulation.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/scheduler.hpp>
#include <exception>

#include "sim/asan.hpp"
#include "sim/assert.hpp"
#include "sim/env.hpp"
#include "sim/log.hpp"
#include "sim/scheduler.hpp"
#include "sim/stack_pool.hpp"

namespace stormlog::sim {
namespace {

// A fiber that keeps waiting after its process crashed has swallowed FiberKilled; past this many
// attempts it is a bug in the system under test, not something to spin on forever.
constexpr uint32_t k_waits_after_kill_max = 1000;

// The simulation inside run_until on this thread: where failed assertions go. Per thread, because
// parallel suites run one simulation per thread; set and cleared by attach/detach, which never
// nest, so no run ever sees another's.
thread_local Simulation* t_running = nullptr;

// An event log's payload for a process event: which process, which life of it.
std::string incarnation_detail(const Process& p) {
    return p.name() + " incarnation " + std::to_string(p.incarnation());
}

}  // namespace

Simulation* Simulation::running() {
    return t_running;
}

Simulation::Simulation(SimulationOptions options)
    : options_(std::move(options)),
      rng_root_(Rng::root(options_.seed)),
      rng_schedule_(rng_root_.fork("scheduler")),
      buggify_(options_.buggify, rng_root_.fork("buggify")),
      stacks_(std::make_shared<StackPool>(options_.stack_size_bytes)) {
    sink_ =
        options_.log_sink ? options_.log_sink : std::make_shared<spdlog::sinks::stderr_sink_st>();
    logger_ = make_logger("sim");
    trace_.keep_records(options_.keep_trace);
    trace_.set_sink(options_.trace_sink);
}

Simulation::~Simulation() {
    shutdown();
}

void Simulation::shutdown() {
    // Unwind every fiber, so that their destructors run and Boost frees their stacks.
    for (auto& node : nodes_) {
        for (auto& p : node->processes_) {
            crash(*p);
            p->restart_pending_ = false;
        }
    }
    drain();
}

std::shared_ptr<spdlog::logger> Simulation::make_logger(const std::string& name) const {
    return make_sim_logger(*this, name, sink_, options_.log_level);
}

// ---- The world ----------------------------------------------------------------------------------

Node& Simulation::add_node(std::string name) {
    const auto id = static_cast<NodeId>(nodes_.size());
    auto node = std::unique_ptr<Node>(new Node(id, name, rng_root_.fork("node/" + name)));
    node->logger_ = make_logger(name);
    trace_.name_node(id, name);
    nodes_.push_back(std::move(node));
    return *nodes_.back();
}

Process& Simulation::add_process(Node& node, std::string name, ProcessEntry entry) {
    SL_ASSERT(node.find_process(name) == nullptr && "process names are unique per node");
    Rng base = node.rng_.fork("process/" + name);
    node.processes_.push_back(
        std::unique_ptr<Process>(new Process(&node, std::move(name), std::move(entry), base)));
    Process& p = *node.processes_.back();
    p.env_ = std::make_unique<Env>(*this, p);
    return p;
}

uint32_t Simulation::node_id_of(const Process& p) const {
    return p.node_->id_;
}

// ---- Running ------------------------------------------------------------------------------------

void Simulation::attach() {
    SL_ASSERT_FATAL(algorithm_ == nullptr && "run_until calls must not nest");
    SL_ASSERT_FATAL(t_running == nullptr && "one simulation at a time runs on a thread");
    t_running = this;
    algorithm_ = new SimAlgorithm(this);
    boost::fibers::context::active()->get_scheduler()->set_algo(algorithm_);
    main_ctx_ = boost::fibers::context::active();
}

void Simulation::detach() {
    // Boost moves the dispatcher, the only context our algorithm still holds, to round_robin.
    algorithm_->detach();
    boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
    algorithm_ = nullptr;
    main_ctx_ = nullptr;
    current_ = nullptr;
    front_selected_ = false;
    t_running = nullptr;
}

bool Simulation::run_checks(const std::function<void()>& checks) {
    SL_ASSERT_FATAL(!in_fiber() && "run_checks is called from outside the simulation");
    SL_ASSERT_FATAL(t_running == nullptr && "one simulation at a time runs on a thread");
    // Restored however `checks` ends: an exception other than a failed assertion is the
    // caller's to handle, and must not leave this simulation attached to the thread.
    struct Running {
        explicit Running(Simulation* sim) { t_running = sim; }
        ~Running() { t_running = nullptr; }
        Running(const Running&) = delete;
        Running& operator=(const Running&) = delete;
    } running(this);
    try {
        checks();
        return true;
    } catch (const AssertionFailed&) {
        return false;  // recorded by fail_assertion
    }
}

void Simulation::run_until(Time until) {
    SL_ASSERT_FATAL(!in_fiber() && "run_until is called from outside the simulation");
    stop_time_ = until;
    stop_requested_ = false;
    attach();
    fire_until_ready();
    if (!stop_requested_ && (!ready_.empty() || pending_terminations_ > 0)) {
        select_front();
        front_selected_ = !ready_.empty();
        main_waiting_ = true;
        main_ctx_->suspend();  // back here once nothing is ready and nothing is due
        switched_in();
    }
    detach();
    if (!stop_requested_ && now_ < until) now_ = until;
}

void Simulation::drain() {
    const bool any_alive =
        std::any_of(fibers_.begin(), fibers_.end(), [](auto& f) { return f->alive; });
    if (!any_alive && pending_terminations_ == 0) return;
    firing_enabled_ = false;
    stop_requested_ = false;
    attach();
    select_front();
    front_selected_ = !ready_.empty();
    main_waiting_ = true;
    main_ctx_->suspend();
    switched_in();
    detach();
    firing_enabled_ = true;
    SL_ASSERT_FATAL(std::none_of(fibers_.begin(), fibers_.end(), [](auto& f) { return f->alive; }));
}

void Simulation::fire_until_ready() {
    if (!firing_enabled_) return;
    Event e;
    while (ready_.empty() && !stop_requested_ && events_queue_.pop_due(stop_time_, e)) {
        SL_ASSERT_FATAL(e.at >= now_ && "time never runs backwards");
        now_ = e.at;
        fire(e);
        if (++window_events_ >= options_.runaway_events) check_runaway();
    }
}

void Simulation::check_runaway() {
    const Duration span = now_ - window_start_;
    if (span < Duration::seconds(1)) {
        fail("sim.runaway", "-",
             fmt::format("{} events fired in {} of simulated time: a message storm, or a loop that "
                         "never lets time pass",
                         window_events_, format_duration(span)));
    }
    window_events_ = 0;
    window_start_ = now_;
}

void Simulation::fire(const Event& e) {
    switch (e.kind) {
        case EventKind::wake_fiber: {
            Fiber* f = fibers_[e.index].get();
            if (!f->alive || f->life != e.generation) return;
            if (f->armed == e.at) f->armed = Time::max();
            // Any queued wake-up at the deadline of the current wait ends it.
            if (f->blocked && f->deadline == e.at) {
                ++events_;
                wake(f, Wake::timeout);
            }
            return;
        }
        case EventKind::timer:
            fire_timer(e.index, e.generation);
            return;
    }
}

void Simulation::push_event(Time at, EventKind kind, uint32_t index, uint64_t generation) {
    events_queue_.push(Event{std::max(at, now_), next_seq_++, generation, index, kind});
}

// ---- Scheduling ---------------------------------------------------------------------------------

void Simulation::select_front() {
    if (options_.fuzz_scheduling && ready_.size() > 1) {
        ready_.swap_to_front(rng_schedule_.below(ready_.size()));
    }
}

boost::fibers::context* Simulation::pick_next() noexcept {
    // A fiber ended: let the dispatcher free it before anything else runs.
#if defined(STORMLOG_ASAN)
    if (asan_dispatcher_resumed_) {  // the dispatcher was switched to and is now running
        asan_dispatcher_resumed_ = false;
        switched_in();
    }
#endif
    if (pending_terminations_ > 0 && algorithm_->holds_dispatcher()) {
        pending_terminations_ = 0;
        return switch_to(algorithm_->take_dispatcher(), dispatcher_stack_);
    }
    if (!front_selected_) {
        if (ready_.empty()) fire_until_ready();
        select_front();
    }
    front_selected_ = false;
    if (!ready_.empty() && !stop_requested_) {
        Fiber* f = ready_.pop_front();
        f->queued = false;
        current_ = f;
        trace_.record(now_, node_id_of(*f->process), kind::fiber_run, f->serial);
        return switch_to(f->ctx, f->stack);
    }
    current_ = nullptr;
    if (main_waiting_) {
        main_waiting_ = false;
        return switch_to(main_ctx_, main_stack_);
    }
    // Only the dispatcher can be asking now (main is running otherwise), and it is never null.
    return switch_to(algorithm_->take_dispatcher(), dispatcher_stack_);
}

boost::fibers::context* Simulation::switch_to(boost::fibers::context* to, StackBounds stack) {
#if defined(STORMLOG_ASAN)
    // Which stack we leave, decided now: after the switch the context may already be freed.
    boost::fibers::context* from = boost::fibers::context::active();
    switch_from_ = from == main_ctx_ ? SwitchFrom::main
                   : from->is_context(boost::fibers::type::dispatcher_context)
                       ? SwitchFrom::dispatcher
                       : SwitchFrom::worker;
    if (to->is_context(boost::fibers::type::dispatcher_context)) asan_dispatcher_resumed_ = true;
    asan_start_switch(stack);
#else
    (void)stack;
#endif
    return to;
}

void Simulation::switched_in() {
#if defined(STORMLOG_ASAN)
    // Learn the stacks we did not allocate (main's, the dispatcher's) from the switches out of
    // them.
    const StackBounds from = asan_finish_switch();
    if (from.size == 0) return;
    if (switch_from_ == SwitchFrom::main) main_stack_ = from;
    if (switch_from_ == SwitchFrom::dispatcher) dispatcher_stack_ = from;
#endif
}

void Simulation::suspend_current(Fiber* self) {
    if (ready_.empty()) fire_until_ready();
    if (!stop_requested_ && !ready_.empty()) {
        select_front();
        // The fiber that waits is also the next to run (a lone fiber sleeping): no switch at all.
        if (ready_.front() == self && pending_terminations_ == 0) {
            ready_.pop_front();
            self->queued = false;
            trace_.record(now_, node_id_of(*self->process), kind::fiber_run, self->serial);
            return;
        }
        front_selected_ = true;
    }
    self->ctx->suspend();
    switched_in();
    SL_ASSERT_FATAL(current_ == self);
}

void Simulation::make_ready(Fiber* f) {
    SL_ASSERT_FATAL(!f->queued);
    SL_ASSERT_FATAL(!f->parked);
    if (f->process->paused_ && !f->killed) {
        f->parked = true;
        f->process->parked_.push_back(f);
        return;
    }
    f->queued = true;
    ready_.push_back(f);
}

void Simulation::wake(Fiber* f, Wake reason) {
    SL_ASSERT_FATAL(f->blocked);
    f->blocked = false;
    f->wake = reason;
    make_ready(f);
}

// ---- Fibers -------------------------------------------------------------------------------------

Fiber* Simulation::allocate_fiber(Process& p) {
    uint32_t index;
    if (!free_fibers_.empty()) {
        index = free_fibers_.back();
        free_fibers_.pop_back();
    } else {
        index = static_cast<uint32_t>(fibers_.size());
        fibers_.push_back(std::make_unique<Fiber>());
        fibers_.back()->index = index;
    }
    Fiber* f = fibers_[index].get();
    f->process = &p;
    f->alive = true;
    f->blocked = f->queued = f->parked = f->killed = false;
    f->wake = Wake::none;
    f->waits_after_kill = 0;
    f->serial = ++fiber_serial_;
    ++f->wait_seq;
    ++f->life;
    f->deadline = f->armed = Time::max();
    return f;
}

void Simulation::spawn(Process& p, std::function<void()> fn) {
    throw_if_killed();  // a crashed process's fibers unwind; they do not get to spawn helpers
    spawn_fiber(p, std::move(fn));
}

void Simulation::spawn_fiber(Process& p, std::function<void()> fn) {
    SL_ASSERT(p.state_ == Process::State::running && "spawn into a running process");
    Fiber* f = allocate_fiber(p);
    auto ctx = boost::fibers::make_worker_context(
        boost::fibers::launch::post, PooledStack(stacks_),
        [this, f, fn = std::move(fn)]() mutable { fiber_main(f, fn); });
    f->stack = stacks_->last_allocated();
    boost::fibers::context::active()->attach(ctx.get());
    // The scheduler's terminated queue keeps the last reference; ours drops at the end of scope.
    f->ctx = ctx.get();
    p.fibers_.push_back(f);
    trace_.record(now_, node_id_of(p), kind::fiber_spawn, f->serial);
    make_ready(f);
}

void Simulation::fiber_main(Fiber* f, std::function<void()>& fn) {
    switched_in();
    try {
        // A fiber whose process crashed before it first ran must not run at all: its body may
        // use objects that died with the process's other fibers.
        throw_if_killed();
        fn();
    } catch (const FiberKilled&) {
        // The process crashed; the stack has unwound.
    } catch (const AssertionFailed&) {
        // Recorded by fail_assertion; the run stops at the next scheduling point.
    } catch (const std::exception& e) {
        fail("sim.fiber_exception", f->process->node().name(),
             "uncaught exception in process " + f->process->name() + ": " + e.what());
    } catch (...) {
        fail("sim.fiber_exception", f->process->node().name(),
             "uncaught non-standard exception in process " + f->process->name());
    }
    fn = nullptr;  // captured state dies on this fiber's stack, before it terminates
    on_fiber_exit(f);
}

void Simulation::on_fiber_exit(Fiber* f) {
    Process& p = *f->process;
    p.fibers_.erase(std::find(p.fibers_.begin(), p.fibers_.end(), f));
    trace_.record(now_, node_id_of(p), kind::fiber_exit, f->serial);
    f->alive = false;
    f->ctx = nullptr;
    ++f->wait_seq;
    free_fibers_.push_back(f->index);
    ++pending_terminations_;
    if (p.fibers_.empty() && p.restart_pending_) start(p);
}

WaitToken Simulation::begin_wait() {
    SL_ASSERT(current_ != nullptr && "only a simulated fiber can wait");
    ++current_->wait_seq;
    return WaitToken{current_, current_->wait_seq};
}

Wake Simulation::wait(Time deadline) {
    Fiber* self = current_;
    SL_ASSERT(self != nullptr && "only a simulated fiber can wait");
    SL_ASSERT_FATAL(self->alive);
    SL_ASSERT_FATAL(!self->blocked);
    if (self->killed) {
        // The fiber swallowed FiberKilled and waits again and again: a bug in the system under
        // test.
        ++self->waits_after_kill;
        // Fatal: the fiber swallows what would unwind it, so failing the run could not stop it.
        SL_ASSERT_FATAL(self->waits_after_kill <= k_waits_after_kill_max &&
                        "a crashed process's fiber keeps waiting");
        return Wake::killed;
    }
    self->blocked = true;
    self->wake = Wake::none;
    self->deadline = deadline == Time::max() ? deadline : std::max(deadline, now_);
    if (self->deadline != Time::max() && self->deadline != self->armed) {
        push_event(self->deadline, EventKind::wake_fiber, self->index, self->life);
        self->armed = self->deadline;
    }
    suspend_current(self);
    return self->killed ? Wake::killed : self->wake;
}

bool Simulation::notify(WaitToken token, Wake reason) {
    Fiber* f = token.fiber;
    if (f == nullptr || !f->alive || !f->blocked || f->wait_seq != token.seq) return false;
    wake(f, reason);
    return true;
}

bool Simulation::waiting(WaitToken token) const {
    const Fiber* f = token.fiber;
    return f != nullptr && f->alive && f->blocked && f->wait_seq == token.seq;
}

void Simulation::throw_if_killed() const {
    if (current_ && current_->killed && std::uncaught_exceptions() == 0) throw FiberKilled{};
}

void Simulation::sleep_until(Time deadline) {
    begin_wait();
    if (wait(deadline) == Wake::killed) throw_if_killed();
}

// ---- Process control ----------------------------------------------------------------------------

void Simulation::start(Process& p) {
    SL_ASSERT(p.state_ != Process::State::running);
    p.state_ = Process::State::running;
    p.restart_pending_ = false;
    ++p.incarnation_;
    p.rng_ = p.rng_base_.fork(p.incarnation_);
    trace_.record(now_, node_id_of(p), kind::process_start, p.incarnation_,
                  [&p] { return incarnation_detail(p); });
    if (process_listener_) process_listener_(p, ProcessEvent::start);
    spawn_fiber(p, [&p] { p.entry_(*p.env_); });
}

void Simulation::crash(Process& p) {
    if (p.state_ != Process::State::running) return;
    p.state_ = Process::State::crashed;
    p.paused_ = false;
    p.deferred_.clear();
    trace_.record(now_, node_id_of(p), kind::process_crash, p.incarnation_,
                  [&p] { return incarnation_detail(p); });
    if (process_listener_) process_listener_(p, ProcessEvent::crash);
    // Parked fibers were ready first; keep that order, then wake the blocked ones to unwind.
    for (Fiber* f : p.parked_) {
        f->parked = false;
        f->killed = true;
        f->queued = true;
        ready_.push_back(f);
    }
    p.parked_.clear();
    for (Fiber* f : p.fibers_) {
        f->killed = true;
        if (f->blocked) wake(f, Wake::killed);
    }
}

void Simulation::restart(Process& p) {
    crash(p);
    if (p.fibers_.empty()) {
        start(p);
    } else {
        p.restart_pending_ = true;
    }
}

void Simulation::pause(Process& p) {
    if (p.state_ != Process::State::running || p.paused_) return;
    p.paused_ = true;
    trace_.record(now_, node_id_of(p), kind::process_pause, p.incarnation_,
                  [&p] { return incarnation_detail(p); });
    if (process_listener_) process_listener_(p, ProcessEvent::pause);
}

void Simulation::resume(Process& p) {
    if (!p.paused_) return;
    p.paused_ = false;
    trace_.record(now_, node_id_of(p), kind::process_resume, p.incarnation_,
                  [&p] { return incarnation_detail(p); });
    if (process_listener_) process_listener_(p, ProcessEvent::resume);
    for (Fiber* f : p.parked_) {
        f->parked = false;
        f->queued = true;
        ready_.push_back(f);
    }
    p.parked_.clear();
    for (Callback& cb : p.deferred_) schedule_at(now_, std::move(cb), &p);
    p.deferred_.clear();
}

void Simulation::crash(Node& n) {
    for (auto& p : n.processes_) crash(*p);
    for (auto& listener : node_crash_listeners_) {
        if (listener) listener(n);
    }
}

size_t Simulation::add_node_crash_listener(std::function<void(Node&)> listener) {
    node_crash_listeners_.push_back(std::move(listener));
    return node_crash_listeners_.size() - 1;
}

void Simulation::remove_node_crash_listener(size_t id) {
    node_crash_listeners_.at(id) = nullptr;
}
void Simulation::restart(Node& n) {
    for (auto& p : n.processes_) restart(*p);
}
void Simulation::pause(Node& n) {
    for (auto& p : n.processes_) pause(*p);
}
void Simulation::resume(Node& n) {
    for (auto& p : n.processes_) resume(*p);
}

// ---- Timers -------------------------------------------------------------------------------------

TimerId Simulation::schedule_at(Time at, Callback cb, Process* owner) {
    uint32_t index;
    if (!free_timers_.empty()) {
        index = free_timers_.back();
        free_timers_.pop_back();
    } else {
        index = static_cast<uint32_t>(timers_.size());
        timers_.emplace_back();
    }
    TimerSlot& slot = timers_[index];
    slot.cb = std::move(cb);
    slot.owner = owner;
    slot.owner_incarnation = owner ? owner->incarnation_ : 0;
    slot.armed = true;
    push_event(at, EventKind::timer, index, slot.generation);
    return TimerId{index, slot.generation};
}

void Simulation::release_timer(uint32_t index) {
    TimerSlot& slot = timers_[index];
    slot.armed = false;
    slot.cb.reset();
    slot.owner = nullptr;
    ++slot.generation;
    free_timers_.push_back(index);
}

bool Simulation::cancel(TimerId id) {
    if (!id.valid() || id.index >= timers_.size()) return false;
    const TimerSlot& slot = timers_[id.index];
    if (!slot.armed || slot.generation != id.generation) return false;
    release_timer(id.index);
    return true;
}

void Simulation::fire_timer(uint32_t index, uint64_t generation) {
    TimerSlot& slot = timers_[index];
    if (!slot.armed || slot.generation != generation) return;  // cancelled
    Process* owner = slot.owner;
    const bool owner_gone = owner && (owner->state_ != Process::State::running ||
                                      owner->incarnation_ != slot.owner_incarnation);
    Callback cb = std::move(slot.cb);
    release_timer(index);  // before the call: the callback may schedule timers (and grow timers_)
    if (owner_gone) return;
    if (owner && owner->paused_) {
        owner->deferred_.push_back(std::move(cb));
        return;
    }
    ++events_;
    trace_.record(now_, owner ? node_id_of(*owner) : k_no_node, kind::timer_fire, index);
    // A callback runs on no fiber's behalf, though a fiber may be the one suspending right now:
    // it cannot wait, its failures are nobody's node, and a crash of that fiber is not its own.
    Fiber* const interrupted = current_;
    current_ = nullptr;
    try {
        cb();
    } catch (const AssertionFailed&) {
        // Recorded by fail_assertion; the run stops at the next scheduling point.
    } catch (const std::exception& e) {
        // Out of a callback it would unwind the scheduler itself: a bug of the system under test,
        // found with a seed like any other.
        fail("sim.timer_exception", "-",
             std::string("uncaught exception in a timer callback: ") + e.what());
    } catch (...) {
        fail("sim.timer_exception", "-", "uncaught non-standard exception in a timer callback");
    }
    current_ = interrupted;
}

// ---- Failures -----------------------------------------------------------------------------------

void Simulation::fail(std::string property, std::string node, std::string message) {
    trace_.record(now_, k_no_node, kind::failure, hash_string(property),
                  [&] { return property + " on " + node; });
    logger_->error("{} violated on {}: {}", property, node, message);
    failures_.push_back(Failure{std::move(property), now_, std::move(node), std::move(message)});
    // While shutdown drains, killed fibers must still get to unwind: the run is over anyway.
    if (firing_enabled_) request_stop();
}

void Simulation::fail_assertion(std::string where) {
    const Process* p = current_process();
    fail("assert", p ? p->node().name() : "-", std::move(where));
}

}  // namespace stormlog::sim
