#include "cli/progress.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace stormlog::cli {
namespace {

constexpr int bar_width = 30;
// A suite may finish hundreds of runs a second; redrawing each would make the terminal, not the
// simulator, the bottleneck.
constexpr auto redraw_interval = std::chrono::milliseconds(100);

std::string duration_text(double seconds) {
    const auto s = static_cast<uint64_t>(seconds + 0.5);
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

}  // namespace

Progress::Progress(uint64_t total, bool terminal)
    : total_(total), terminal_(terminal), start_(Clock::now()), last_draw_(start_) {}

double Progress::elapsed_seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string Progress::eta_text() const {
    if (done_ == 0) return "eta ?";
    const double per_run = elapsed_seconds() / static_cast<double>(done_);
    return "eta " + duration_text(per_run * static_cast<double>(total_ - done_));
}

void Progress::run_done(const std::string& failure) {
    ++done_;
    if (!failure.empty()) ++failed_;
    if (terminal_) {
        // A failure goes on its own line above the bar, so it stays visible after the bar moves on.
        if (!failure.empty()) std::fprintf(stderr, "\r\033[K%s\n", failure.c_str());
        draw_bar(!failure.empty() || done_ == total_);
        return;
    }
    if (!failure.empty()) std::fprintf(stderr, "suite: %s\n", failure.c_str());
    if (total_ > 0 && done_ * 10 >= next_plain_tenth_ * total_) {
        print_plain_line();
        while (done_ * 10 >= next_plain_tenth_ * total_ && next_plain_tenth_ <= 10)
            ++next_plain_tenth_;
    }
}

void Progress::draw_bar(bool force) {
    const Clock::time_point now = Clock::now();
    if (!force && drawn_ && now - last_draw_ < redraw_interval) return;
    last_draw_ = now;
    drawn_ = true;
    const int filled = total_ == 0 ? bar_width : static_cast<int>(done_ * bar_width / total_);
    std::string bar(static_cast<size_t>(filled), '=');
    if (filled < bar_width) bar += '>';
    bar.resize(bar_width, ' ');
    // \033[K clears what a longer previous line left behind.
    std::fprintf(stderr, "\r[%s] %llu/%llu failed=%llu %s\033[K", bar.c_str(),
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 static_cast<unsigned long long>(failed_), eta_text().c_str());
    std::fflush(stderr);
}

void Progress::print_plain_line() {
    std::fprintf(stderr, "suite: %llu/%llu runs done, failed=%llu, %s\n",
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 static_cast<unsigned long long>(failed_), eta_text().c_str());
}

void Progress::finish() {
    if (terminal_ && drawn_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
}

}  // namespace stormlog::cli
