#include "bench/checker_stream_history.hpp"

#include <nlohmann/json.hpp>
#include <queue>
#include <random>
#include <vector>

namespace stormlog::bench {

namespace {

using nlohmann::json;

constexpr std::uint64_t k_latency_max_us = 2'000;
constexpr std::uint64_t k_think_max_us = 3'000;
constexpr std::uint64_t k_read_window = 20;

struct Client {
    std::int64_t process;
    json invoke;                 // the operation in flight
    std::optional<json> result;  // its ok result, or nullopt if it failed
    bool timed_out = false;
    std::vector<std::int64_t> seen_version;  // last version this client saw, per stream
};

// What happens next: a client invokes, its operation takes effect, or it completes.
enum class Phase { invoke, effect, complete };
struct Step {
    std::uint64_t time_us;
    std::uint64_t sequence;  // ties broken by insertion order: deterministic
    std::size_t client;
    Phase phase;
    bool operator>(const Step& o) const {
        return time_us != o.time_us ? time_us > o.time_us : sequence > o.sequence;
    }
};

class Generator {
  public:
    explicit Generator(const StreamHistoryShape& shape)
        : shape_(shape), rng_(shape.seed), streams_(shape.streams), clients_(shape.clients) {
        for (std::size_t c = 0; c < clients_.size(); ++c) {
            clients_[c].process = static_cast<std::int64_t>(c);
            clients_[c].seen_version.assign(shape.streams, -1);
            schedule(below(k_think_max_us), c, Phase::invoke);
        }
    }

    std::string run() {
        while (!steps_.empty()) {
            const Step step = steps_.top();
            steps_.pop();
            now_ = step.time_us;
            switch (step.phase) {
                case Phase::invoke:
                    invoke(step.client);
                    break;
                case Phase::effect:
                    take_effect(step.client);
                    break;
                case Phase::complete:
                    complete(step.client);
                    break;
            }
        }
        return std::move(out_);
    }

  private:
    std::uint64_t below(std::uint64_t bound) { return rng_() % bound; }

    void schedule(std::uint64_t delay_us, std::size_t client, Phase phase) {
        steps_.push(Step{now_ + delay_us, sequence_++, client, phase});
    }

    void emit(const Client& c, const char* type, const json& value) {
        json line = {{"process", c.process},   {"type", type},   {"f", c.invoke["f"]},
                     {"key", c.invoke["key"]}, {"value", value}, {"time", now_ * 1000}};
        out_.append(line.dump()).push_back('\n');
    }

    json plan_append(Client& c, std::size_t stream) {
        json events = json::array();
        const std::uint64_t count = 1 + below(3);
        for (std::uint64_t i = 0; i < count; ++i) events.push_back(next_event_++);
        json expected = "any";
        const std::uint64_t pick = below(10);
        if (pick < 3) expected = c.seen_version[stream];  // may be stale by the time it lands
        if (pick == 3) expected = c.seen_version[stream] < 0 ? "no_stream" : "stream_exists";
        return {{"expected", expected}, {"events", events}};
    }

    json plan_read(std::size_t stream) {
        const auto length = static_cast<std::uint64_t>(streams_[stream].size());
        const std::uint64_t from =
            length > k_read_window ? length - below(k_read_window) : below(length + 1);
        return {{"from", from}, {"max", 1 + below(10)}};
    }

    void invoke(std::size_t index) {
        Client& c = clients_[index];
        if (started_ == shape_.operations) return;
        ++started_;
        const std::size_t stream = below(shape_.streams);
        const bool append = below(10) < 6;
        c.invoke = {{"f", append ? "append" : "read"}, {"key", "stream-" + std::to_string(stream)}};
        c.invoke["value"] = append ? plan_append(c, stream) : plan_read(stream);
        c.timed_out = below(1000) < shape_.timeout_per_mille;
        emit(c, "invoke", c.invoke["value"]);
        // A timed-out operation may or may not take effect.
        if (!c.timed_out || below(2) == 0)
            schedule(1 + below(k_latency_max_us), index, Phase::effect);
        schedule(k_latency_max_us + 1 + below(k_latency_max_us), index, Phase::complete);
    }

    std::size_t stream_of(const Client& c) const {
        return std::stoul(c.invoke["key"].get<std::string>().substr(7));
    }

    void take_effect(std::size_t index) {
        Client& c = clients_[index];
        const std::size_t s = stream_of(c);
        std::vector<std::int64_t>& stream = streams_[s];
        const json& value = c.invoke["value"];
        const auto length = static_cast<std::int64_t>(stream.size());
        if (c.invoke["f"] == "read") {
            json events = json::array();
            const auto from = value["from"].get<std::int64_t>();
            const auto max = value["max"].get<std::int64_t>();
            for (std::int64_t i = from; i < length && i < from + max; ++i) {
                events.push_back(stream[static_cast<std::size_t>(i)]);
            }
            c.result = events;
            c.seen_version[s] = length - 1;
            return;
        }
        const json& expected = value["expected"];
        const bool holds =
            expected == "any" || (expected == "no_stream" && length == 0) ||
            (expected == "stream_exists" && length > 0) ||
            (expected.is_number_integer() && expected.get<std::int64_t>() == length - 1);
        c.seen_version[s] = length - 1;
        if (!holds) {
            c.result.reset();
            return;
        }
        for (const json& e : value["events"]) stream.push_back(e.get<std::int64_t>());
        const auto count = static_cast<std::int64_t>(value["events"].size());
        c.result = json{{"first", length}, {"last", length + count - 1}};
        c.seen_version[s] = length + count - 1;
    }

    void complete(std::size_t index) {
        Client& c = clients_[index];
        if (c.timed_out) {
            emit(c, "info", nullptr);
            c.process += static_cast<std::int64_t>(shape_.clients);  // Jepsen: a fresh process
        } else if (c.result) {
            emit(c, "ok", *c.result);
        } else {
            emit(c, "fail", c.invoke["value"]);
        }
        c.result.reset();
        schedule(1 + below(k_think_max_us), index, Phase::invoke);
    }

    StreamHistoryShape shape_;
    std::mt19937_64 rng_;
    std::vector<std::vector<std::int64_t>> streams_;
    std::vector<Client> clients_;
    std::priority_queue<Step, std::vector<Step>, std::greater<>> steps_;
    std::uint64_t now_ = 0;
    std::uint64_t sequence_ = 0;
    std::size_t started_ = 0;
    std::int64_t next_event_ = 0;
    std::string out_;
};

}  // namespace

std::string synthetic_stream_history(const StreamHistoryShape& shape) {
    return Generator(shape).run();
}

}  // namespace stormlog::bench
