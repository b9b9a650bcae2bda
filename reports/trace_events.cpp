#include "reports/trace_events.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace stormlog::reports {
namespace {

using json = nlohmann::ordered_json;

enum Pid : int { k_nodes = 1, k_faults = 2, k_breakers = 3, k_metrics = 4 };
// Alert lanes' threads in the faults process start here, past any fault lane.
constexpr int k_alert_tid = 100000;

// Simulated seconds -> whole trace microseconds.
int64_t micros(const json& seconds) {
    return static_cast<int64_t>(std::llround(seconds.get<double>() * 1e6));
}

class Events {
  public:
    void process(int pid, const std::string& name) {
        metadata("process_name", pid, 0, {{"name", name}});
    }
    void thread(int pid, int tid, const std::string& name) {
        metadata("thread_name", pid, tid, {{"name", name}});
        metadata("thread_sort_index", pid, tid, {{"sort_index", tid}});
    }
    void slice(int pid, int tid, const std::string& name, const json& start, const json& end,
               json args = json::object()) {
        const int64_t ts = micros(start);
        out_.push_back({{"name", name},
                        {"cat", "stormlog"},
                        {"ph", "X"},
                        {"ts", ts},
                        {"dur", std::max<int64_t>(0, micros(end) - ts)},
                        {"pid", pid},
                        {"tid", tid},
                        {"args", std::move(args)}});
    }
    void instant(int pid, int tid, const std::string& name, const json& at, json args) {
        out_.push_back({{"name", name},
                        {"cat", "stormlog"},
                        {"ph", "i"},
                        {"s", "t"},
                        {"ts", micros(at)},
                        {"pid", pid},
                        {"tid", tid},
                        {"args", std::move(args)}});
    }
    void counter(const std::string& name, const json& at, const json& value) {
        out_.push_back({{"name", name},
                        {"ph", "C"},
                        {"ts", micros(at)},
                        {"pid", k_metrics},
                        {"tid", 0},
                        {"args", {{"value", value}}}});
    }
    json take() { return std::move(out_); }

  private:
    // A metadata event ("ph": "M"): names and orders processes and threads in the viewer.
    void metadata(const char* name, int pid, int tid, json args) {
        out_.push_back({{"name", name},
                        {"ph", "M"},
                        {"ts", 0},
                        {"pid", pid},
                        {"tid", tid},
                        {"args", std::move(args)}});
    }

    json out_ = json::array();
};

void node_tracks(const json& report, Events& ev) {
    ev.process(k_nodes, "nodes");
    int tid = 1;
    for (const json& n : report["tracks"]["nodes"]) {
        const std::string name = n["node"];
        ev.thread(k_nodes, tid, name);
        for (const json& s : n["states"])
            ev.slice(k_nodes, tid, s["state"], s["start_s"], s["end_s"]);
        ev.thread(k_nodes, tid + 1, name + " leadership");
        for (const json& r : n["roles"]) {
            ev.slice(k_nodes, tid + 1, "leader t" + std::to_string(r["term"].get<uint64_t>()),
                     r["start_s"], r["end_s"], {{"term", r["term"]}});
        }
        tid += 2;
    }
}

// The first lane (of `lanes`: when each one's last slice ends) free at `start`, made if none is;
// names a new lane's thread `label N`.
int free_lane(std::vector<double>& lanes, double start, double end, int pid, int first_tid,
              const std::string& label, Events& ev) {
    size_t lane = 0;
    while (lane < lanes.size() && lanes[lane] > start) ++lane;
    if (lane == lanes.size()) {
        lanes.push_back(0);
        ev.thread(pid, first_tid + static_cast<int>(lane), label + " " + std::to_string(lane + 1));
    }
    lanes[lane] = end;
    return first_tid + static_cast<int>(lane);
}

// Faults overlap, and so do alerts: each goes on the first lane free at its start.
void fault_tracks(const json& report, Events& ev) {
    ev.process(k_faults, "faults");
    const double end = report["sim_time_s"];
    std::vector<double> lanes;
    for (const json& f : report["faults"]) {
        json args = {{"id", f["id"]},
                     {"category", f["category"]},
                     {"origin", f["origin"]},
                     {"targets", f["targets"]},
                     {"detail", f["detail"]}};
        const double start = f["start_s"];
        const json heal = f["heal_s"].is_null() ? json(end) : f["heal_s"];
        if (heal.get<double>() == start) {
            ev.instant(k_faults, 0, f["kind"], f["start_s"], std::move(args));
            continue;
        }
        const int tid = free_lane(lanes, start, heal.get<double>(), k_faults, 1, "faults", ev);
        ev.slice(k_faults, tid, f["kind"], f["start_s"], heal, std::move(args));
    }
    ev.thread(k_faults, 0, "instant faults");
    std::vector<double> alert_lanes;
    for (const json& a : report["alerts"]) {
        const json until = a["resolved_s"].is_null() ? json(end) : a["resolved_s"];
        const int tid = free_lane(alert_lanes, a["fired_s"].get<double>(), until.get<double>(),
                                  k_faults, k_alert_tid, "alerts", ev);
        ev.slice(k_faults, tid, a["rule"], a["fired_s"], until, {{"value", a["value"]}});
    }
}

void breaker_tracks(const json& report, Events& ev) {
    ev.process(k_breakers, "breakers");
    int tid = 1;
    for (const json& b : report["tracks"]["breakers"]) {
        ev.thread(k_breakers, tid, b["name"]);
        for (const json& s : b["states"])
            ev.slice(k_breakers, tid, s["state"], s["start_s"], s["end_s"]);
        ++tid;
    }
}

// A counter per series, with an event where its value changes (a counter holds its value until
// the next event); an unset value (null) is left out rather than drawn as 0.
void counters(const json& report, Events& ev) {
    ev.process(k_metrics, "metrics");
    const json& s = report["series"];
    const json& t = s["t_s"];
    auto emit = [&](const std::string& name, const json& values) {
        const json* last = nullptr;
        for (size_t i = 0; i < values.size(); ++i) {
            if (values[i].is_null() || (last && *last == values[i])) continue;
            ev.counter(name, t[i], values[i]);
            last = &values[i];
        }
    };
    emit("commit index", s["commit_index"]);
    emit("term", s["term"]);
    emit("ops ok", s["ops_ok"]);
    emit("ops failed", s["ops_fail"]);
    emit("ops unknown", s["ops_unknown"]);
    for (const auto& [name, values] : s["gauges"].items()) emit(name, values);
}

}  // namespace

nlohmann::ordered_json trace_events(const nlohmann::ordered_json& report) {
    Events ev;
    node_tracks(report, ev);
    fault_tracks(report, ev);
    breaker_tracks(report, ev);
    counters(report, ev);
    json j;
    j["traceEvents"] = ev.take();
    j["displayTimeUnit"] = "ms";
    j["otherData"] = {{"scenario", report["scenario"]["name"]},
                      {"seed", report["seed"]},
                      {"hash", report["hash"]},
                      {"clock", "simulated"}};
    return j;
}

}  // namespace stormlog::reports
