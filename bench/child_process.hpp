#pragma once
// Runs a measurement in a child process, so that the peak RSS it reports is the measurement's own
// and not the high-water mark of an earlier, larger run (the kernel reports a child's through
// wait4). The result crosses back through a pipe, so it must be trivially copyable.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <type_traits>

namespace stormlog::bench {

template <class T>
struct ChildResult {
    std::optional<T> value;  // empty: the child died before answering
    double rss_peak_kib = 0;
};

// Runs `measure()` (returning a T) in a child; if the process cannot fork, runs it here (its
// RSS then unknown: 0).
template <class T, class Measure>
ChildResult<T> run_in_child(Measure&& measure) {
    static_assert(std::is_trivially_copyable_v<T>);
    int fds[2];
    if (pipe(fds) != 0) return ChildResult<T>{measure(), 0};
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return ChildResult<T>{measure(), 0};
    }
    if (pid == 0) {
        close(fds[0]);
        const T m = measure();
        const bool sent = write(fds[1], &m, sizeof m) == static_cast<ssize_t>(sizeof m);
        _exit(sent ? 0 : 1);
    }
    close(fds[1]);
    T m;
    const bool got = read(fds[0], &m, sizeof m) == static_cast<ssize_t>(sizeof m);
    close(fds[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    ChildResult<T> r;
    if (got) r.value = m;
    r.rss_peak_kib = static_cast<double>(usage.ru_maxrss);  // KiB on Linux
    return r;
}

}  // namespace stormlog::bench
