#include "workloads/kernel_smoke.hpp"

#include <memory>
#include <string>
#include <unordered_set>

#include "properties/catalogue.hpp"
#include "sim/assert.hpp"
#include "sim/channel.hpp"
#include "sim/env.hpp"
#include "sim/future.hpp"
#include "sim/timer.hpp"

namespace stormlog::workloads {
namespace {

using sim::Duration;
using sim::Time;

const uint64_t k_trace_send = sim::trace_kind_named("smoke.send");
const uint64_t k_trace_receive = sim::trace_kind_named("smoke.receive");

constexpr int k_nodes = 4;
constexpr size_t k_inbox_capacity = 8;
constexpr int k_crashing_node = 1;  // n2
constexpr int k_pausing_node = 2;   // n3
constexpr Duration k_run_length = Duration::seconds(10);
constexpr Time k_crash_at = Time::zero() + Duration::seconds(3);
constexpr Time k_restart_at = Time::zero() + Duration::seconds(4);
constexpr Time k_pause_at = Time::zero() + Duration::seconds(6);
constexpr Time k_resume_at = Time::zero() + Duration::millis(6500);
constexpr Duration k_send_interval_mean = Duration::millis(20);
constexpr Duration k_reply_timeout = Duration::millis(100);
constexpr Duration k_receive_timeout = Duration::millis(200);
constexpr Duration k_silence_timeout = Duration::millis(300);

struct Message {
    uint64_t id = 0;  // node, incarnation and sequence number: unique in the run
    int from = 0;
    int to = 0;
    std::shared_ptr<sim::Promise<uint64_t>> reply;  // set for requests
};

uint64_t expected_reply(uint64_t request_id) {
    return request_id * 2 + 1;
}

struct Counters {
    uint64_t sent = 0, received = 0, lost_to_down_node = 0, dropped_inbox_full = 0;
    uint64_t replies_ok = 0, replies_timeout = 0, replies_broken = 0;
    uint64_t silence_fired = 0, received_after_restart = 0, receive_timeouts = 0;
};

class KernelSmoke {
  public:
    KernelSmoke(const RunOptions& options, std::optional<Duration> fail_assertion_at)
        : fail_assertion_at_(fail_assertion_at), sim_(simulation_options(options)) {
        for (int i = 0; i < k_nodes; ++i) {
            inboxes_.push_back(std::make_unique<sim::Channel<Message>>(sim_, k_inbox_capacity));
            sim::Node& node = sim_.add_node("n" + std::to_string(i + 1));
            peers_.push_back(
                &sim_.add_process(node, "peer", [this, i](sim::Env& env) { start_peer(env, i); }));
        }
    }

    RunResult run() {
        for (sim::Process* p : peers_) sim_.start(*p);
        sim::Process& crashing = *peers_[k_crashing_node];
        sim::Process& pausing = *peers_[k_pausing_node];
        sim_.schedule_at(k_crash_at, [this, &crashing] { sim_.crash(crashing); });
        sim_.schedule_at(k_restart_at, [this, &crashing] { sim_.restart(crashing); });
        sim_.schedule_at(k_pause_at, [this, &pausing] { sim_.pause(pausing); });
        sim_.schedule_at(k_resume_at, [this, &pausing] { sim_.resume(pausing); });
        sim_.run_until(Time::zero() + k_run_length);
        sim_.run_checks([this] {
            if (!sim_.failed()) check_end();
        });
        return result();
    }

  private:
    void start_peer(sim::Env env, int self) {
        env.log().info("peer starting, incarnation {}", env.incarnation());
        env.spawn([this, env, self] { send_loop(env, self); });
        env.spawn([this, env, self] { receive_loop(env, self); });
        if (self == 0 && fail_assertion_at_) env.spawn([this, env] { fail_assertion(env); });
    }

    // The test trigger of always-on assertions: a fiber that fails an SL_ASSERT at a set time.
    void fail_assertion(sim::Env env) {
        const Time at = Time::zero() + *fail_assertion_at_;
        if (sim_.now() < at) env.sleep(at - sim_.now());
        SL_ASSERT(sim_.now() < at &&
                  "workload.fail_assertion_at: no fiber of the smoke test runs past it");
    }

    void send_loop(sim::Env env, int self) {
        for (uint64_t seq = 0;; ++seq) {
            env.sleep(env.rng().exponential(k_send_interval_mean) + Duration::millis(1));
            Message m;
            m.id = (static_cast<uint64_t>(self) << 48) | (env.incarnation() << 32) | seq;
            m.from = self;
            m.to = static_cast<int>(
                (static_cast<uint64_t>(self) + 1 + env.rng().below(k_nodes - 1)) % k_nodes);
            const bool request = env.rng().below(5) == 0;
            sim::Future<uint64_t> reply;
            if (request) {
                m.reply = std::make_shared<sim::Promise<uint64_t>>(sim_);
                reply = m.reply->get_future();
            }
            sent_.insert(m.id);
            ++counters_.sent;
            env.record(k_trace_send, m.id);
            // The network: delivery after a seeded delay, even if the sender crashes meanwhile.
            const Duration delay = env.rng().between(Duration::millis(1), Duration::millis(15));
            sim_.schedule_after(delay,
                                [this, m = std::move(m)]() mutable { deliver(std::move(m)); });
            if (request) await_reply(env, m.id, reply);
        }
    }

    void await_reply(sim::Env env, uint64_t request_id, sim::Future<uint64_t>& reply) {
        switch (reply.wait_for(k_reply_timeout)) {
            case sim::FutureStatus::ready:
                ++counters_.replies_ok;
                check(reply.value() == expected_reply(request_id), env,
                      properties::property::smoke_reply_matches.name,
                      "request " + std::to_string(request_id) + " got reply " +
                          std::to_string(reply.value()));
                break;
            case sim::FutureStatus::timeout:
                ++counters_.replies_timeout;
                break;
            case sim::FutureStatus::broken:
                ++counters_.replies_broken;
                break;
        }
    }

    void deliver(Message m) {
        if (peers_[m.to]->state() != sim::Process::State::running) {
            ++counters_.lost_to_down_node;  // the dropped promise breaks the requester's future
            return;
        }
        if (inboxes_[m.to]->try_send(m) != sim::ChannelStatus::ok) ++counters_.dropped_inbox_full;
    }

    void receive_loop(sim::Env env, int self) {
        sim::Timer silence(env);
        auto rearm = [&] { silence.arm(k_silence_timeout, [this] { ++counters_.silence_fired; }); };
        rearm();
        for (;;) {
            Message m;
            if (inboxes_[self]->receive_for(m, k_receive_timeout) == sim::ChannelStatus::timeout) {
                ++counters_.receive_timeouts;
                continue;
            }
            on_receive(env, self, m);
            rearm();
            if (m.reply) {
                env.spawn([env, m] {
                    env.sleep(env.rng().between(Duration::nanos(0), Duration::millis(30)));
                    m.reply->set_value(expected_reply(m.id));
                });
            }
        }
    }

    void on_receive(sim::Env env, int self, const Message& m) {
        ++counters_.received;
        env.record(k_trace_receive, m.id);
        const std::string id = std::to_string(m.id);
        check(sent_.count(m.id) == 1, env, properties::property::smoke_no_phantom.name,
              "received message " + id + " that was never sent");
        check(received_.insert(m.id).second, env, properties::property::smoke_no_duplicate.name,
              "received message " + id + " twice");
        check(m.to == self, env, properties::property::smoke_addressed.name,
              "message " + id + " for n" + std::to_string(m.to + 1));
        const Time now = sim_.now();
        if (self == k_crashing_node) {
            check(now < k_crash_at || now >= k_restart_at, env,
                  properties::property::smoke_down_node_silent.name,
                  "received " + id + " while crashed");
            if (now >= k_restart_at) ++counters_.received_after_restart;
        }
        if (self == k_pausing_node) {
            check(now <= k_pause_at || now >= k_resume_at, env,
                  properties::property::smoke_paused_node_silent.name,
                  "received " + id + " while paused");
        }
    }

    void check(bool ok, sim::Env env, const char* property, const std::string& evidence) {
        if (!ok) sim_.fail(property, env.node().name(), evidence);
    }

    void check_end() {
        if (counters_.received_after_restart == 0) {
            sim_.fail(properties::property::smoke_restart_liveness.name, "n2",
                      "the restarted node received nothing after its restart");
        }
        if (counters_.replies_ok == 0)
            sim_.fail(properties::property::smoke_liveness.name, "-", "no request got its reply");
    }

    RunResult result() const {
        RunResult r;
        r.scenario =
            std::string(kernel_smoke_workload().name);  // run_scenario names it after its scenario
        r.seed = sim_.seed();
        r.pass = !sim_.failed();
        r.hash = sim_.trace().hash();
        r.sim_time = sim_.now();
        r.events = sim_.events();
        r.failures = sim_.failures();
        r.probes = sim_.probe_hits().sorted();
        const Counters& c = counters_;
        r.summary.push_back("messages: sent=" + std::to_string(c.sent) +
                            " received=" + std::to_string(c.received) +
                            " lost_to_down_node=" + std::to_string(c.lost_to_down_node) +
                            " dropped_inbox_full=" + std::to_string(c.dropped_inbox_full));
        r.summary.push_back("requests: replied=" + std::to_string(c.replies_ok) +
                            " timed_out=" + std::to_string(c.replies_timeout) +
                            " broken=" + std::to_string(c.replies_broken));
        r.summary.push_back(
            "timers: silence_fired=" + std::to_string(c.silence_fired) +
            " receive_timeouts=" + std::to_string(c.receive_timeouts) +
            "; n2 received after restart: " + std::to_string(c.received_after_restart));
        return r;
    }

    std::vector<std::unique_ptr<sim::Channel<Message>>> inboxes_;
    std::vector<sim::Process*> peers_;
    // Membership only: their iteration order never reaches behaviour or output.
    std::unordered_set<uint64_t> sent_;
    std::unordered_set<uint64_t> received_;
    Counters counters_;
    std::optional<Duration> fail_assertion_at_;
    // Declared last, destroyed first: the fibers it unwinds still find the channels they use.
    sim::Simulation sim_;
};

}  // namespace

RunResult run_kernel_smoke(const RunOptions& options, std::optional<Duration> fail_assertion_at) {
    return KernelSmoke(options, fail_assertion_at).run();
}

const Workload& kernel_smoke_workload() {
    using namespace properties::property;
    static const Workload w{
        .name = "kernel-smoke",
        .summary = "4 nodes exchange messages and requests through the kernel's primitives",
        .properties = {smoke_no_phantom.name, smoke_no_duplicate.name, smoke_addressed.name,
                       smoke_down_node_silent.name, smoke_paused_node_silent.name,
                       smoke_reply_matches.name, smoke_restart_liveness.name, smoke_liveness.name},
        .settings = {"fail_assertion_at"},
        .application_faults = {},
        .records_history = false,
        .has_leader = false,
        .probes = {},
        .run =
            [](const Scenario& s, const RunOptions& options) {
                return run_kernel_smoke(options, s.workload.fail_assertion_at);
            },
    };
    return w;
}

}  // namespace stormlog::workloads
