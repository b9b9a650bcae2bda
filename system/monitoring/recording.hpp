#pragma once
// What a run records for its report (reports/run_report.hpp), while it goes: the time series
// (series.hpp), state tracks (each node up/crashed/paused, each breaker's state), leadership
// spans with their terms, the highest commit index and term, and fault windows with their
// recovery figures - all on simulated time, all observation: recording never acts on the world,
// so a run with a recording is the same run (the same trace hash) as one without.
//
// Recovery of a window (a fault, from its start to its heal): the client operations that
// completed while it was open and how many of them succeeded; the time from its heal to the first
// commit after it (the cluster's commit index rising); and the time from its heal until a stable
// leader - one that holds the highest term for at least k_stable_for from then on.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.hpp"
#include "system/monitoring/series.hpp"

namespace stormlog::system::monitoring {

class Recording {
  public:
    static constexpr sim::Duration k_stable_for = sim::Duration::seconds(1);
    // State spans beyond this many are counted, not kept: a report stays small whatever the run.
    static constexpr size_t k_max_spans = 20'000;
    // Leaderships have a budget of their own, so that flapping states cannot starve the stable
    // leader figures; past it, recovery windows that close later get no stable-leader time.
    static constexpr size_t k_max_leaderships = 20'000;
    // Fault windows likewise (a 24-hour run with a fault a minute opens about 1,500).
    static constexpr size_t k_max_windows = 50'000;

    struct Span {
        uint32_t state;  // index into state_names()
        sim::Time start;
    };
    struct Track {
        std::string group;  // "nodes", "breakers"
        std::string name;
        std::vector<Span> spans;  // a span lasts until the next one's start (the last: the end)
    };
    struct Leadership {
        uint32_t node;
        uint64_t term;
        sim::Time start;
        sim::Time end = sim::Time::max();  // max: still leading
    };
    struct Window {
        sim::Time open;
        sim::Time close = sim::Time::max();  // max: never closed
        uint64_t ops = 0;
        uint64_t ops_ok = 0;
        std::optional<sim::Duration> first_commit;  // from close to the first commit after it
    };

    Recording() = default;
    Recording(const Recording&) = delete;
    Recording& operator=(const Recording&) = delete;

    Series& series() { return series_; }
    const Series& series() const { return series_; }

    // ---- Client operations ---------------------------------------------------------------
    void op(sim::Time start, sim::Time end, OpOutcome outcome);

    // ---- State tracks --------------------------------------------------------------------
    // A new track in `initial` state from `at`. Returns its id.
    size_t add_track(std::string group, std::string name, sim::Time at, std::string_view initial);
    // The track's state from `at` on; the same state again is no change.
    void set_state(size_t track, sim::Time at, std::string_view state);
    const std::vector<Track>& tracks() const { return tracks_; }
    const std::vector<std::string>& state_names() const { return state_names_; }

    // ---- Raft ----------------------------------------------------------------------------
    // `node` leads `term` from `at` (ending a leadership it still held).
    void leader_started(uint32_t node, uint64_t term, sim::Time at);
    // `node` no longer leads (stepped down, or crashed). No-op if it did not lead.
    void leader_ended(uint32_t node, sim::Time at);
    const std::vector<Leadership>& leaderships() const { return leaderships_; }
    // Some node learned that entries up to `index` are committed; the highest rises.
    void commit(uint32_t node, uint64_t index, sim::Time at);
    void term(uint64_t term, sim::Time at);

    // ---- Fault windows -------------------------------------------------------------------
    // Returns the window's id: 0, 1, ... in opening order; k_no_window past k_max_windows (the
    // window is counted in dropped(), not kept).
    static constexpr size_t k_no_window = SIZE_MAX;
    size_t open_window(sim::Time at);
    // No-op for k_no_window.
    void close_window(size_t id, sim::Time at);
    const std::vector<Window>& windows() const { return windows_; }
    // Seconds from `heal` until a stable leader, given the leaderships recorded until `end`;
    // nullopt if none came by the end.
    std::optional<sim::Duration> stable_leader_after(sim::Time heal, sim::Time end) const;

    // Spans and leaderships left out past their budgets.
    uint64_t dropped() const { return dropped_; }
    // Whether leaderships were left out: stable-leader times after that are unknown.
    bool leaderships_dropped() const { return leaderships_dropped_; }

  private:
    uint32_t state_id(std::string_view state);
    bool room();

    Series series_;
    std::vector<Track> tracks_;
    std::vector<std::string> state_names_;
    std::vector<Leadership> leaderships_;
    std::vector<size_t> leading_;  // per node: index into leaderships_ + 1 (0: not leading)
    uint64_t commit_ = 0;
    uint64_t term_ = 0;
    size_t commit_gauge_ = SIZE_MAX;
    size_t term_gauge_ = SIZE_MAX;
    std::vector<Window> windows_;
    std::vector<size_t> open_;             // windows open now
    std::vector<size_t> awaiting_commit_;  // closed windows without a commit since
    size_t spans_ = 0;
    uint64_t dropped_ = 0;
    bool leaderships_dropped_ = false;
};

}  // namespace stormlog::system::monitoring
