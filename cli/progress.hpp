#pragma once
// How far a suite has come, on stderr, so that stdout keeps only the results. On a terminal one
// line redraws itself in place:
//   [=================>            ] 57/120 failed=1 eta 12s
// Elsewhere (CI logs, pipes, files), where \r would pile up into garbage, a plain line each ~10%
// and one for each failure. Wall time is measured here, which is why this lives in cli/.

#include <chrono>
#include <cstdint>
#include <string>

namespace stormlog::cli {

class Progress {
  public:
    // `total`: the runs to come; `terminal`: stderr is a terminal (isatty).
    Progress(uint64_t total, bool terminal);

    // One run finished; `failure` is empty for a run that did not fail, else a one-line
    // description. Not thread-safe: the caller serialises calls.
    void run_done(const std::string& failure);

    // Ends the display (the terminal line is finished with a newline).
    void finish();

    // Seconds since construction.
    double elapsed_seconds() const;

  private:
    using Clock = std::chrono::steady_clock;

    void draw_bar(bool force);
    void print_plain_line();
    std::string eta_text() const;

    uint64_t total_;
    uint64_t done_ = 0;
    uint64_t failed_ = 0;
    bool terminal_;
    uint64_t next_plain_tenth_ = 1;  // the next 10% step that earns a plain line
    Clock::time_point start_;
    Clock::time_point last_draw_;
    bool drawn_ = false;
};

}  // namespace stormlog::cli
