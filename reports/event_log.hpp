#pragma once
// Event logs: the observable events of one run - the records its trace hash folds - as JSON lines
// (`stormlog run --events FILE`), and reading them back (`stormlog diff-events`). One line per
// event, in trace order, line N being event N:
//
//   {"t_ns":2000000000,"t":"2.000000000s","node":"-","kind":"fault.apply",
//    "digest":"9c1e0f3a5b7d2e41","detail":"crash (scripted) on [n2]: crash for 1s"}
//
//   t_ns    simulated time in nanoseconds; t the same, readable
//   node    the node's name, "-" for the kernel and the fault injector (sim::k_no_node)
//   kind    the kind's name (sim::trace_kind_named), "kind#<16 hex digits>" if it has none
//   digest  the payload digest the hash folds, 16 hex digits
//   detail  a readable payload, where the recording site offers one (absent otherwise)
//
// Two runs agree on an event when t_ns, node, kind and digest agree: what the hash folds. The
// readable fields are derived and may change between builds without the run changing.

#include <cstdint>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/trace.hpp"

namespace stormlog::reports {

// Writes each record as a line as the run goes, so a long run's log never sits in memory. It
// only observes: the run is the same run with and without it. `out` must outlive the writer.
class EventLogWriter final : public sim::TraceSink {
  public:
    explicit EventLogWriter(std::ostream& out) : out_(out) {}
    void on_node(uint32_t id, std::string_view name) override;
    void on_record(const sim::TraceRecord& r, std::string_view detail) override;
    uint64_t events() const { return events_; }

  private:
    std::ostream& out_;
    std::vector<std::string> nodes_;  // by node id
    std::string line_;                // reused: one allocation for the whole log
    uint64_t events_ = 0;
};

// The readable time of an event: seconds with nine decimals, "2.000000000s", as logs print it.
std::string event_time(int64_t t_ns);

// The name an event log gives `kind_id`: its registered name, or "kind#<16 hex digits>".
std::string event_kind_name(uint64_t kind_id);

// One event read back from a log.
struct Event {
    uint64_t line = 0;  // 1-based line number in its file
    int64_t t_ns = 0;
    std::string node;
    std::string kind;
    std::string digest;
    std::string detail;
};

// Whether two events are the same event of the run (what the trace hash folds).
bool same_event(const Event& a, const Event& b);

// Parses one line of an event log. On failure returns false and sets `error` to what is wrong
// with it (without file and line).
bool parse_event(std::string_view text, Event& out, std::string& error);

// Reads an event log one line at a time: memory stays flat however long the log.
class EventLogReader {
  public:
    // On failure returns false and sets `error` to "<path>: cannot read".
    bool open(const std::string& path, std::string& error);
    // The next event: true, or false at the end of the file (error empty) or on a line that is
    // not an event (error "<path>:<line>: what").
    bool next(Event& out, std::string& error);
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    std::ifstream in_;
    std::string text_;
    uint64_t line_ = 0;
};

}  // namespace stormlog::reports
