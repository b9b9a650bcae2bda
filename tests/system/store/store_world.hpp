#pragma once
// Test scaffolding for the store: one node with a disk, a process whose fiber runs each step, and
// crash / reopen helpers. Every store call runs inside that fiber (disk calls sleep).

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "sim/disk.hpp"
#include "sim/env.hpp"
#include "sim/simulation.hpp"
#include "system/store/log_store.hpp"

namespace stormlog::system::store::testing {

inline sim::SimulationOptions sim_options(uint64_t seed) {
    sim::SimulationOptions o;
    o.seed = seed;
    return o;
}

// Deterministic payload bytes that depend on index, term and length.
inline Entry make_entry(uint64_t index, uint64_t term, size_t len = 100) {
    Entry e{Index{index}, Term{term}, std::vector<uint8_t>(len)};
    for (size_t k = 0; k < len; ++k) e.data[k] = static_cast<uint8_t>(index * 31 + term * 7 + k);
    return e;
}

struct StoreWorld {
    explicit StoreWorld(uint64_t seed = 1,
                        sim::DiskOptions disk_options = sim::DiskOptions::instant())
        : sim(sim_options(seed)),
          node(sim.add_node("n1")),
          disk(sim, node.id(), node.rng().fork("disk"), disk_options) {
        process = &sim.add_process(node, "store", [this](sim::Env&) {
            std::function<void()> fn = std::move(step);
            step = nullptr;
            fn();
            step_done = true;
        });
    }
    ~StoreWorld() { sim.shutdown(); }

    // Runs `fn` in a fresh incarnation of the store process until it returns.
    void run(std::function<void()> fn) {
        step = std::move(fn);
        step_done = false;
        sim.restart(*process);
        sim.run_for(sim::Duration::seconds(60));
        ASSERT_TRUE(step_done) << "the step did not finish";
    }

    // Power loss: the process dies, the disk keeps what its fault model says survived.
    void crash() {
        sim.crash(node);
        disk.crash();
    }

    // A new store (memory is gone after a crash) and its recovery.
    Recovered reopen(LogStoreOptions options = {}) {
        store = std::make_unique<LogStore>(disk, std::move(options));
        Recovered r;
        run([&] { r = store->recover(); });
        return r;
    }

    Status append(std::vector<Entry> entries) {
        Status s = Status::io_error;
        run([&] { s = store->append(entries); });
        return s;
    }
    Status sync() {
        Status s = Status::io_error;
        run([&] { s = store->sync(); });
        return s;
    }
    Status call(const std::function<Status(LogStore&)>& fn) {
        Status s = Status::io_error;
        run([&] { s = fn(*store); });
        return s;
    }

    // Appends entries [from, to] of `term` with `len`-byte payloads, then syncs.
    void append_synced(uint64_t from, uint64_t to, uint64_t term, size_t len = 100) {
        std::vector<Entry> es;
        for (uint64_t i = from; i <= to; ++i) es.push_back(make_entry(i, term, len));
        ASSERT_EQ(append(es), Status::ok);
        ASSERT_EQ(sync(), Status::ok);
    }

    sim::Simulation sim;
    sim::Node& node;
    sim::Disk disk;
    sim::Process* process = nullptr;
    std::unique_ptr<LogStore> store;
    std::function<void()> step;
    bool step_done = false;
};

}  // namespace stormlog::system::store::testing
