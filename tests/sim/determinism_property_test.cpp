// Determinism of the kernel: random programs of fibers (sleep, send, receive, spawn, crash,
// restart) give the same trace hash for the same seed — twice in one process and in two
// processes — and different seeds explore different interleavings.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "sim/channel.hpp"
#include "sim/env.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

struct Op {
    enum Kind : int { sleep, send, receive, spawn, crash, restart, yield };
    int kind = sleep;
    int arg = 0;     // milliseconds, a value, or how many following ops a spawned fiber runs
    int target = 0;  // a process index
};

struct Program {
    int processes = 1;
    std::vector<std::vector<Op>> scripts;  // one per process
};

// Runs `program` under `seed` and returns the trace hash.
class Interpreter {
  public:
    Interpreter(const Program& program, uint64_t seed)
        : program_(program), sim_(testing::options(seed, true)) {
        for (int i = 0; i < program.processes; ++i) {
            channels_.push_back(std::make_unique<Channel<int>>(sim_, 2));
            Node& node = sim_.add_node("n" + std::to_string(i));
            processes_.push_back(&sim_.add_process(node, "p", [this, i](Env& env) {
                execute(env, i, 0, program_.scripts[i].size());
            }));
        }
        for (Process* p : processes_) sim_.start(*p);
    }

    uint64_t run() {
        sim_.run_until(Time::zero() + Duration::seconds(10));
        return sim_.trace().hash();
    }

  private:
    void execute(Env env, int self, size_t begin, size_t end) {
        const auto& script = program_.scripts[self];
        for (size_t i = begin; i < end && i < script.size(); ++i) {
            const Op& op = script[i];
            const int target = op.target % program_.processes;
            switch (op.kind) {
                case Op::sleep:
                    env.sleep(Duration::millis(op.arg) +
                              Duration::micros(static_cast<int64_t>(env.rng().below(500))));
                    break;
                case Op::send:
                    channels_[target]->send_for(op.arg, Duration::millis(5));
                    env.record(trace_kind("test.sent"), static_cast<uint64_t>(op.arg));
                    break;
                case Op::receive: {
                    int v = -1;
                    ChannelStatus s = channels_[self]->receive_for(v, Duration::millis(op.arg + 1));
                    env.record(trace_kind("test.received"),
                               (static_cast<uint64_t>(s) << 32) ^ static_cast<uint32_t>(v));
                    break;
                }
                case Op::spawn: {
                    const size_t sub_end = i + 1 + static_cast<size_t>(op.arg);
                    env.spawn(
                        [this, env, self, i, sub_end] { execute(env, self, i + 1, sub_end); });
                    break;
                }
                case Op::crash:
                    if (target != self) sim_.crash(*processes_[target]);
                    break;
                case Op::restart:
                    if (target != self) sim_.restart(*processes_[target]);
                    break;
                case Op::yield:
                    env.yield();
                    break;
            }
        }
    }

    const Program& program_;
    Simulation sim_;
    std::vector<std::unique_ptr<Channel<int>>> channels_;
    std::vector<Process*> processes_;
};

uint64_t run_program(const Program& program, uint64_t seed) {
    return Interpreter(program, seed).run();
}

}  // namespace
}  // namespace stormlog::sim

namespace rc {
template <>
struct Arbitrary<stormlog::sim::Op> {
    static Gen<stormlog::sim::Op> arbitrary() {
        return gen::build<stormlog::sim::Op>(
            gen::set(&stormlog::sim::Op::kind, gen::inRange(0, 7)),
            gen::set(&stormlog::sim::Op::arg, gen::inRange(0, 20)),
            gen::set(&stormlog::sim::Op::target, gen::inRange(0, 4)));
    }
};
template <>
struct Arbitrary<stormlog::sim::Program> {
    static Gen<stormlog::sim::Program> arbitrary() {
        return gen::mapcat(gen::inRange(1, 5), [](int n) {
            return gen::map(gen::container<std::vector<std::vector<stormlog::sim::Op>>>(
                                static_cast<size_t>(n),
                                gen::resize(30, gen::arbitrary<std::vector<stormlog::sim::Op>>())),
                            [n](std::vector<std::vector<stormlog::sim::Op>> scripts) {
                                return stormlog::sim::Program{n, std::move(scripts)};
                            });
        });
    }
};
}  // namespace rc

namespace stormlog::sim {
namespace {

RC_GTEST_PROP(Determinism, SameSeedSameTraceHashTwiceInOneProcess,
              (const Program& program, uint64_t seed)) {
    RC_ASSERT(run_program(program, seed) == run_program(program, seed));
}

RC_GTEST_PROP(Determinism, DifferentSeedsExploreDifferentInterleavings, (const Program& program)) {
    // Every process sleeps a seeded number of microseconds, so the seed must show in the hash.
    Program p = program;
    for (auto& script : p.scripts) script.insert(script.begin(), Op{Op::sleep, 1, 0});
    std::set<uint64_t> hashes;
    for (uint64_t seed = 1; seed <= 4; ++seed) hashes.insert(run_program(p, seed));
    RC_ASSERT(hashes.size() > 1u);
}

// A fixed program, for the cross-process check: the hash printed by a child process (this same
// binary, re-run with STORMLOG_DETERMINISM_CHILD set) equals the one computed here.
Program fixed_program() {
    Program p;
    p.processes = 3;
    p.scripts = {
        {{Op::spawn, 3, 0},
         {Op::send, 1, 1},
         {Op::sleep, 3, 0},
         {Op::send, 2, 2},
         {Op::receive, 9, 0},
         {Op::crash, 0, 2}},
        {{Op::receive, 20, 0},
         {Op::send, 5, 0},
         {Op::yield, 0, 0},
         {Op::sleep, 4, 0},
         {Op::restart, 0, 2},
         {Op::receive, 3, 0}},
        {{Op::sleep, 2, 0},
         {Op::receive, 30, 0},
         {Op::send, 7, 0},
         {Op::spawn, 2, 0},
         {Op::sleep, 9, 0},
         {Op::send, 8, 1}},
    };
    return p;
}

TEST(Determinism, SameSeedSameTraceHashInTwoProcesses) {
    if (const char* child = std::getenv("STORMLOG_DETERMINISM_CHILD")) {
        std::printf("HASH %016llx\n", static_cast<unsigned long long>(run_program(
                                          fixed_program(), std::strtoull(child, nullptr, 10))));
        return;
    }
    char self[4096] = {};
    ASSERT_GT(readlink("/proc/self/exe", self, sizeof self - 1), 0);
    for (uint64_t seed : {1ULL, 7ULL, 1234567ULL}) {
        const std::string cmd = "STORMLOG_DETERMINISM_CHILD=" + std::to_string(seed) + " '" + self +
                                "' --gtest_filter=Determinism.SameSeedSameTraceHashInTwoProcesses";
        FILE* pipe = popen(cmd.c_str(), "r");
        ASSERT_NE(pipe, nullptr);
        char line[256];
        std::string child_hash;
        while (std::fgets(line, sizeof line, pipe)) {
            if (std::strncmp(line, "HASH ", 5) == 0) child_hash = std::string(line + 5, 16);
        }
        ASSERT_EQ(pclose(pipe), 0);
        char mine[17];
        std::snprintf(mine, sizeof mine, "%016llx",
                      static_cast<unsigned long long>(run_program(fixed_program(), seed)));
        EXPECT_EQ(child_hash, std::string(mine)) << "seed " << seed;
    }
}

}  // namespace
}  // namespace stormlog::sim
