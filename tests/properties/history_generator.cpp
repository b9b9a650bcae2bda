#include "history_generator.hpp"

#include <algorithm>

namespace stormlog::properties::linearizability::testing {

namespace {

using nlohmann::json;

class CasRegister : public SequentialModel {
  public:
    PlannedOp plan(Choices& c) override {
        switch (c.next(3)) {
            case 0:
                return {"read", nullptr, nullptr, true};
            case 1:
                return {"write", nullptr, c.next(5), false};
            default:
                return {"cas", nullptr, json::array({c.next(5), c.next(5)}), false};
        }
    }
    std::optional<json> apply(const PlannedOp& op) override {
        if (op.f == "read") return value_;
        if (op.f == "write") {
            value_ = op.value;
            return op.value;
        }
        if (value_ != op.value[0]) return std::nullopt;
        value_ = op.value[1];
        return op.value;
    }
    json impossible_result(const PlannedOp&) const override { return 99; }

  private:
    json value_ = 0;  // the checker is told --initial 0
};

class Kv : public SequentialModel {
  public:
    PlannedOp plan(Choices& c) override {
        const json key = c.next(2) == 0 ? "a" : "b";
        // Every string written ends with ';', so no state can be "NEVER".
        std::string piece = std::to_string(counter_++);
        piece.push_back(';');
        switch (c.next(3)) {
            case 0:
                return {"get", key, nullptr, true};
            case 1: {
                std::string put = "p";
                put += piece;
                return {"put", key, put, false};
            }
            default:
                return {"append", key, piece, false};
        }
    }
    std::optional<json> apply(const PlannedOp& op) override {
        std::string& value = op.key == "a" ? a_ : b_;
        if (op.f == "get") return value;
        if (op.f == "put") value = op.value.get<std::string>();
        if (op.f == "append") value += op.value.get<std::string>();
        return op.value;
    }
    json impossible_result(const PlannedOp&) const override { return "NEVER"; }

  private:
    std::string a_;
    std::string b_;
    int counter_ = 0;
};

std::string event_id(int n) {
    std::string id = "e";
    id += std::to_string(n);
    return id;
}

class Stream : public SequentialModel {
  public:
    PlannedOp plan(Choices& c) override {
        const int s = static_cast<int>(c.next(2));
        const json key = s == 0 ? "s0" : "s1";
        if (c.next(2) == 0) {
            const json value = {{"from", c.next(4)}, {"max", 1 + c.next(3)}};
            return {"read", key, value, true};
        }
        json events = json::array();
        const std::uint32_t count = 1 + c.next(2);
        for (std::uint32_t i = 0; i < count; ++i) events.push_back(event_id(ids_++));
        // Sometimes retry an append that may already be in (idempotence).
        if (c.next(6) == 0 && !streams_[s].empty()) events = json::array({streams_[s].front()});
        const std::int64_t version = static_cast<std::int64_t>(streams_[s].size()) - 1;
        json expected = "any";
        switch (c.next(4)) {
            case 0:  // maybe stale
                expected =
                    std::max<std::int64_t>(-1, version - static_cast<std::int64_t>(c.next(2)));
                break;
            case 1:
                expected = c.next(2) == 0 ? "no_stream" : "stream_exists";
                break;
            default:
                break;
        }
        return {"append", key, {{"expected", expected}, {"events", events}}, false};
    }
    std::optional<json> apply(const PlannedOp& op) override {
        auto& stream = streams_[op.key == "s0" ? 0 : 1];
        if (op.f == "read") {
            json out = json::array();
            const std::size_t from = op.value["from"], max = op.value["max"];
            for (std::size_t i = from; i < stream.size() && i < from + max; ++i)
                out.push_back(stream[i]);
            return out;
        }
        return apply_append(stream, op.value);
    }
    json impossible_result(const PlannedOp&) const override { return json::array({"never"}); }

  private:
    static std::optional<json> apply_append(std::vector<std::string>& stream, const json& value) {
        const json& events = value["events"];
        const auto first = std::find(stream.begin(), stream.end(), events[0].get<std::string>());
        if (first != stream.end()) {  // a retry of an append of one event: its position again
            const auto at = static_cast<std::int64_t>(first - stream.begin());
            return json{{"first", at}, {"last", at}};
        }
        const auto version = static_cast<std::int64_t>(stream.size()) - 1;
        const json& expected = value["expected"];
        const bool holds =
            expected == "any" || (expected == "no_stream" && version == -1) ||
            (expected == "stream_exists" && version >= 0) ||
            (expected.is_number_integer() && expected.get<std::int64_t>() == version);
        if (!holds) return std::nullopt;
        for (const auto& e : events) stream.push_back(e.get<std::string>());
        return json{{"first", version + 1},
                    {"last", version + static_cast<std::int64_t>(events.size())}};
    }

    std::vector<std::string> streams_[2];
    int ids_ = 0;
};

// A client's operation in flight.
struct InFlight {
    PlannedOp op;
    bool applied = false;
    std::optional<json> result;
};

json event(std::size_t process, const char* type, const PlannedOp& op, const json& value) {
    json e = {{"process", process}, {"type", type}, {"f", op.f}, {"value", value}};
    if (!op.key.is_null()) e["key"] = op.key;
    return e;
}

}  // namespace

std::unique_ptr<SequentialModel> make_sequential_model(ModelKind kind) {
    switch (kind) {
        case ModelKind::kv:
            return std::make_unique<Kv>();
        case ModelKind::stream:
            return std::make_unique<Stream>();
        default:
            return std::make_unique<CasRegister>();
    }
}

std::string GeneratedHistory::to_jsonl() const {
    std::string text;
    for (const json& e : events) text.append(e.dump()).push_back('\n');
    return text;
}

GeneratedHistory generate_history(SequentialModel& model, Choices& choices, std::size_t operations,
                                  std::size_t processes, bool info) {
    GeneratedHistory history;
    std::vector<std::optional<InFlight>> clients(processes);
    std::vector<std::size_t> process_ids(processes);
    for (std::size_t p = 0; p < processes; ++p) process_ids[p] = p;
    std::size_t started = 0;
    std::size_t next_process_id = processes;
    // Each round moves one client one step: invoke, take effect, or complete.
    while (true) {
        bool busy = false;
        for (const auto& c : clients) busy = busy || c.has_value();
        if (!busy && started == operations) break;
        const std::size_t p = choices.next(static_cast<std::uint32_t>(processes));
        auto& client = clients[p];
        if (!client) {
            if (started == operations) continue;
            ++started;
            client = InFlight{model.plan(choices), false, std::nullopt};
            history.events.push_back(event(process_ids[p], "invoke", client->op, client->op.value));
        } else if (!client->applied) {
            client->applied = true;
            client->result = model.apply(client->op);
        } else {
            const bool as_info = info && choices.next(8) == 0;
            if (as_info) {
                history.events.push_back(event(process_ids[p], "info", client->op, nullptr));
                process_ids[p] = next_process_id++;  // like Jepsen: a crashed client's successor
            } else if (client->result) {
                if (client->op.read) history.ok_reads.push_back(history.events.size());
                history.events.push_back(event(process_ids[p], "ok", client->op, *client->result));
            } else {
                history.events.push_back(
                    event(process_ids[p], "fail", client->op, client->op.value));
            }
            client.reset();
        }
        // With info, a client may also vanish mid-operation: its invoke never completes.
        if (info && client && choices.next(16) == 0) {
            client.reset();
            process_ids[p] = next_process_id++;
        }
    }
    return history;
}

}  // namespace stormlog::properties::linearizability::testing
