#pragma once
// The simulation: one seed, one thread, virtual time. It owns the world (nodes, processes, fibers,
// timers), the event queue and the ready queue, and drives Boost.Fiber through a custom scheduling
// algorithm: ready fibers run to quiescence (FIFO, or a seeded shuffle under scheduling fuzz), then
// time jumps to the earliest (time, sequence) event. Real time never passes while waiting.
//
// Threading: a Simulation is used from one OS thread. Several simulations may live in one thread
// (run_until calls must not nest); parallel suites use one thread per simulation.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/buggify.hpp"
#include "sim/callback.hpp"
#include "sim/event_queue.hpp"
#include "sim/fiber.hpp"
#include "sim/node.hpp"
#include "sim/probe.hpp"
#include "sim/ready_queue.hpp"
#include "sim/rng.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace spdlog {
class logger;
namespace sinks {
class sink;
}
namespace level {
enum level_enum : int;
}
}  // namespace spdlog

namespace stormlog::sim {

class SimAlgorithm;
class StackPool;

struct SimulationOptions {
    uint64_t seed = 1;
    // Run ready fibers in a seeded shuffled order instead of FIFO.
    bool fuzz_scheduling = false;
    size_t stack_size_bytes = 256 * 1024;
    // Log lines (with simulated time) go to `log_sink` (stderr when null) at this level and above.
    int log_level = 6;  // spdlog::level::off
    std::shared_ptr<spdlog::sinks::sink> log_sink;
    // Keep every trace record in memory (divergence reports, trace exports).
    bool keep_trace = false;
    // Hand every trace record to this sink as it is recorded (an event log). Not owned; it must
    // outlive the simulation. Null: none, and recording costs nothing more.
    TraceSink* trace_sink = nullptr;
    // BUGGIFY points (sim/buggify.hpp) may fire in this run.
    bool buggify = false;
    // A run that fires this many events within one simulated second has run away - a message
    // storm or a loop that never lets time pass - and fails with property "sim.runaway" instead
    // of hanging its suite. (A busy run fires a few hundred thousand a second.)
    uint64_t runaway_events = 20'000'000;
};

// A violated property, an assertion in the system under test, or an exception that escaped a fiber.
struct Failure {
    std::string property;
    Time at;
    std::string node;
    std::string message;
};

struct TimerId {
    uint32_t index = UINT32_MAX;
    uint64_t generation = 0;
    bool valid() const { return index != UINT32_MAX; }
};

class Simulation {
  public:
    explicit Simulation(SimulationOptions options);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // ---- The world ------------------------------------------------------------------------
    Node& add_node(std::string name);
    // A process on `node`, created but not started. Its entry runs in a fiber at start().
    Process& add_process(Node& node, std::string name, ProcessEntry entry);
    const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
    Node& node(NodeId id) { return *nodes_.at(id); }
    const Node& node(NodeId id) const { return *nodes_.at(id); }

    // ---- Running --------------------------------------------------------------------------
    // Runs every event due at or before `until`, then leaves the clock at `until` (or earlier if a
    // stop was requested). REQUIRES: called from outside any simulated fiber.
    void run_until(Time until);
    void run_for(Duration d) { run_until(now_ + d); }
    // Ends the current run_until at the next scheduling point.
    void request_stop() { stop_requested_ = true; }
    // Crashes every process and lets every fiber unwind, without firing further events. The
    // destructor does it too; call it first when objects that fibers use (channels, a network)
    // are destroyed before the simulation. REQUIRES: called from outside any simulated fiber.
    void shutdown();

    Time now() const { return now_; }
    uint64_t seed() const { return options_.seed; }
    uint64_t events() const { return events_; }
    const Trace& trace() const { return trace_; }
    // Folds an observable event into the trace hash at the current time.
    void record(uint32_t node, uint64_t kind_id, uint64_t digest) {
        trace_.record(now_, node, kind_id, digest);
    }
    // The same, with a readable payload for an event log: `describe()` returns a std::string and
    // runs only when a trace sink listens.
    template <class Describe>
    void record(uint32_t node, uint64_t kind_id, uint64_t digest, Describe&& describe) {
        trace_.record(now_, node, kind_id, digest, describe);
    }
    // An independent RNG stream of this run, by name.
    Rng fork_rng(std::string_view name) const { return rng_root_.fork(name); }
    spdlog::logger& log() const { return *logger_; }
    std::shared_ptr<spdlog::logger> make_logger(const std::string& name) const;

    // ---- Process control: callable from fibers, timer callbacks, or between runs ------------
    void start(Process& p);
    // Every fiber of `p` unwinds at its next suspension point; its timers die with it.
    void crash(Process& p);
    // Runs the entry again, as a new incarnation, once the old fibers are gone.
    // REQUIRES: p crashed (or created).
    void restart(Process& p);
    void pause(Process& p);
    void resume(Process& p);
    // A node crash (power loss): every process crashes, then the node-crash listeners run (the
    // network drops the node's buffers, the disk loses what was not synced).
    void crash(Node& n);
    size_t add_node_crash_listener(std::function<void(Node&)> listener);
    void remove_node_crash_listener(size_t id);
    void restart(Node& n);
    void pause(Node& n);
    void resume(Node& n);
    // What a process-state listener hears: every start, crash, pause and resume of a process, as
    // it happens. A listener observes (a run's report draws node states from it); it must not act
    // on the world, so that a run with one is the same run as without.
    enum class ProcessEvent : uint8_t { start, crash, pause, resume };
    void set_process_listener(std::function<void(const Process&, ProcessEvent)> listener) {
        process_listener_ = std::move(listener);
    }

    // ---- Timers ---------------------------------------------------------------------------
    // A callback at true time `at`. With an `owner`, the timer dies when the owner crashes and is
    // deferred while it is paused. Callbacks must not block.
    TimerId schedule_at(Time at, Callback cb, Process* owner = nullptr);
    TimerId schedule_after(Duration d, Callback cb, Process* owner = nullptr) {
        return schedule_at(now_ + d, std::move(cb), owner);
    }
    // True if the timer was pending and now will never fire.
    bool cancel(TimerId id);

    // ---- Fiber side: the primitives are built from these -----------------------------------
    // A new fiber in `p`, made ready now. REQUIRES: p is running.
    void spawn(Process& p, std::function<void()> fn);
    // Blocks the current fiber until true time `deadline`. Throws FiberKilled on crash.
    void sleep_until(Time deadline);
    void sleep_for(Duration d) { sleep_until(now_ + d); }
    // Starts a wait of the current fiber; hand the token to whoever will notify it.
    WaitToken begin_wait();
    // Blocks until notified, until `deadline` (Wake::timeout), or until killed (Wake::killed; the
    // caller must then clean up and call throw_if_killed()). REQUIRES: begin_wait() just before.
    Wake wait(Time deadline = Time::max());
    // Wakes the fiber of `token` if that wait is still in progress. Returns whether it did.
    bool notify(WaitToken token, Wake reason = Wake::signal);
    // Whether the wait of `token` is still in progress (a waiter may have timed out meanwhile).
    bool waiting(WaitToken token) const;
    // Throws FiberKilled if the current fiber's process crashed (unless already unwinding).
    void throw_if_killed() const;
    bool in_fiber() const { return current_ != nullptr; }
    Process* current_process() const { return current_ ? current_->process : nullptr; }

    // ---- Failures -------------------------------------------------------------------------
    // Records a failure and stops the run.
    void fail(std::string property, std::string node, std::string message);
    // A failed SL_ASSERT (sim/assert.hpp): property "assert" on the current fiber's node (or "-"
    // in a timer callback or run_checks), `where` ("file:line: condition") as the evidence.
    void fail_assertion(std::string where);
    // The simulation running on this thread (inside run_until or run_checks, or unwinding in
    // shutdown), or null. Failed assertions are routed to it.
    static Simulation* running();
    // Runs `checks` - code outside any fiber, after run_until returned: end-of-run property
    // checks, summaries - with failed SL_ASSERTs routed to this simulation, so that a bug found
    // there fails this run with its seed instead of aborting every run of a suite: the failure is
    // recorded (property "assert", node "-") and ends `checks`. Returns whether they completed.
    // REQUIRES: called from outside any simulated fiber.
    bool run_checks(const std::function<void()>& checks);
    const std::vector<Failure>& failures() const { return failures_; }
    bool failed() const { return !failures_.empty(); }

    // ---- Coverage ---------------------------------------------------------------------------
    // The sometimes-probes (sim/probe.hpp) this run has hit so far.
    ProbeHits& probe_hits() { return probe_hits_; }
    const ProbeHits& probe_hits() const { return probe_hits_; }
    // The BUGGIFY points of this run (sim/buggify.hpp).
    Buggify& buggify() { return buggify_; }
    const Buggify& buggify() const { return buggify_; }

  private:
    friend class SimAlgorithm;

    // Called by SimAlgorithm: the context to run next. Never the active one, never null.
    boost::fibers::context* pick_next() noexcept;
    // Fires due events until some fiber is ready (or nothing is due).
    void fire_until_ready();
    void fire(const Event& e);
    // Fails the run if it fires options_.runaway_events events within one simulated second.
    void check_runaway();
    void fire_timer(uint32_t index, uint64_t generation);
    // Brings the fiber to run next to the front of the ready queue (seeded under fuzz).
    void select_front();
    // Switches away from the current fiber until it is made ready and picked again.
    void suspend_current(Fiber* self);
    void make_ready(Fiber* f);
    void wake(Fiber* f, Wake reason);
    void fiber_main(Fiber* f, std::function<void()>& fn);
    void on_fiber_exit(Fiber* f);
    // AddressSanitizer bookkeeping of stack switches (no-ops in other builds; see sim/asan.hpp).
    boost::fibers::context* switch_to(boost::fibers::context* to, StackBounds stack);
    void switched_in();
    Fiber* allocate_fiber(Process& p);
    void spawn_fiber(Process& p, std::function<void()> fn);
    void push_event(Time at, EventKind kind, uint32_t index, uint64_t generation);
    void release_timer(uint32_t index);
    // Lets the scheduler run until every killed fiber has unwound and been released.
    void drain();
    void attach();
    void detach();
    uint32_t node_id_of(const Process& p) const;

    SimulationOptions options_;
    Time now_;
    uint64_t next_seq_ = 0;
    uint64_t events_ = 0;
    uint64_t fiber_serial_ = 0;
    Time stop_time_;
    bool stop_requested_ = false;
    bool firing_enabled_ = true;
    uint64_t window_events_ = 0;  // events fired since window_start_ (the runaway check)
    Time window_start_;

    EventQueue events_queue_;
    ReadyQueue ready_;
    std::vector<std::unique_ptr<Fiber>> fibers_;
    std::vector<uint32_t> free_fibers_;

    struct TimerSlot {
        uint64_t generation = 0;
        Callback cb;
        Process* owner = nullptr;
        uint64_t owner_incarnation = 0;
        bool armed = false;
    };
    std::vector<TimerSlot> timers_;
    std::vector<uint32_t> free_timers_;

    std::vector<std::unique_ptr<Node>> nodes_;
    std::vector<std::function<void(Node&)>> node_crash_listeners_;  // emptied, never erased
    std::function<void(const Process&, ProcessEvent)> process_listener_;
    std::vector<Failure> failures_;
    ProbeHits probe_hits_;
    Trace trace_;
    Rng rng_root_;
    Rng rng_schedule_;
    Buggify buggify_;
    std::shared_ptr<spdlog::sinks::sink> sink_;
    std::shared_ptr<spdlog::logger> logger_;
    std::shared_ptr<StackPool> stacks_;

    // Scheduler glue, valid while attached (inside run_until / drain).
    SimAlgorithm* algorithm_ = nullptr;
    boost::fibers::context* main_ctx_ = nullptr;
    Fiber* current_ = nullptr;
    bool main_waiting_ = false;
    bool front_selected_ = false;
    uint32_t pending_terminations_ = 0;
    StackBounds main_stack_;
    StackBounds dispatcher_stack_;
    enum class SwitchFrom : uint8_t { main, dispatcher, worker };
    SwitchFrom switch_from_ = SwitchFrom::worker;
    bool asan_dispatcher_resumed_ = false;
};

}  // namespace stormlog::sim
