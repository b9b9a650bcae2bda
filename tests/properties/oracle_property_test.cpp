// The checker against a brute-force oracle: on small random histories (not generated from a
// model, so both verdicts occur), trying every order of the operations that respects real time
// against a plain re-statement of each model must give the checker's verdict. This guards the
// search's shortcuts (memoisation, info classes, the stream model's look-ahead) against
// accepting or rejecting anything they should not.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace lin = stormlog::properties::linearizability;
using nlohmann::json;

namespace {

constexpr int k_ops_max = 7;

// The models restated as simply as possible: state is JSON, step returns the next state or
// nothing. (Register's initial value is 0, so a null read constrains nothing.)
std::optional<json> spec_step(lin::ModelKind kind, const json& state, const lin::Operation& op) {
    const bool ok = op.status == lin::OpStatus::ok;
    if (kind == lin::ModelKind::cas_register) {
        if (op.f == "read") {
            const bool fits = !ok || op.output.is_null() || op.output == state;
            return fits ? std::optional(state) : std::nullopt;
        }
        if (op.f == "write") return op.input;
        return state == op.input[0] ? std::optional(op.input[1]) : std::nullopt;
    }
    const std::string key = op.key.get<std::string>();
    json next = state;
    if (kind == lin::ModelKind::kv) {
        const std::string value = state.value(key, "");
        if (op.f == "get") return (!ok || op.output == value) ? std::optional(state) : std::nullopt;
        const std::string written = op.input.get<std::string>();
        next[key] = op.f == "put" ? written : value + written;
        return next;
    }
    json stream = state.value(key, json::array());
    const auto length = static_cast<std::int64_t>(stream.size());
    if (op.f == "read") {
        const auto from = op.input["from"].get<std::int64_t>();
        const auto end = std::min(length, from + op.input["max"].get<std::int64_t>());
        json seen = json::array();
        for (std::int64_t i = from; i < end; ++i)
            seen.push_back(stream[static_cast<std::size_t>(i)]);
        return (!ok || op.output == seen) ? std::optional(state) : std::nullopt;
    }
    const json& events = op.input["events"];
    std::vector<std::int64_t> at;
    for (const auto& e : events) {
        const auto it = std::find(stream.begin(), stream.end(), e);
        at.push_back(it == stream.end() ? -1 : it - stream.begin());
    }
    std::optional<std::int64_t> first;
    if (at[0] >= 0) {  // a retry: every event in place, consecutively
        for (std::size_t i = 0; i < at.size(); ++i) {
            if (at[i] != at[0] + static_cast<std::int64_t>(i)) return std::nullopt;
        }
        first = at[0];
    } else {
        for (auto a : at) {
            if (a >= 0) return std::nullopt;
        }
        const json& expected = op.input["expected"];
        const bool exact =
            expected.is_number_integer() && expected.get<std::int64_t>() == length - 1;
        const bool holds = expected == "any" || (expected == "no_stream" && length == 0) || exact;
        if (!holds) return std::nullopt;
        for (const auto& e : events) stream.push_back(e);
        first = length;
    }
    if (ok && !op.output.is_null() && op.output["first"] != *first) return std::nullopt;
    next[key] = stream;
    return next;
}

bool oracle(lin::ModelKind kind, const std::vector<lin::Operation>& ops, std::vector<bool>& done,
            const json& state) {
    bool all_ok_done = true;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        all_ok_done = all_ok_done && (done[i] || ops[i].status != lin::OpStatus::ok);
    }
    if (all_ok_done) return true;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (done[i]) continue;
        bool ready = true;  // nothing pending completed before this one was invoked
        for (std::size_t j = 0; j < ops.size(); ++j) {
            const bool later =
                ops[j].complete_seq == lin::k_never || ops[j].complete_seq > ops[i].invoke_seq;
            ready = ready && (done[j] || later);
        }
        if (!ready) continue;
        const auto next = spec_step(kind, state, ops[i]);
        if (!next) continue;
        done[i] = true;
        const bool found = oracle(kind, ops, done, *next);
        done[i] = false;
        if (found) return true;
    }
    return false;
}

json random_op(lin::ModelKind kind, json& line) {
    const std::string key = *rc::gen::element<std::string>("a", "b");
    if (kind == lin::ModelKind::cas_register) {
        line["f"] = *rc::gen::element<std::string>("read", "write", "cas");
        line["value"] = line["f"] == "cas"
                            ? json::array({*rc::gen::inRange(0, 3), *rc::gen::inRange(0, 3)})
                        : line["f"] == "write" ? json(*rc::gen::inRange(0, 3))
                                               : json(nullptr);
        return line["f"] == "read" ? json(*rc::gen::inRange(0, 3)) : line["value"];
    }
    line["key"] = key;
    if (kind == lin::ModelKind::kv) {
        line["f"] = *rc::gen::element<std::string>("get", "put", "append");
        line["value"] = line["f"] == "get" ? json(nullptr)
                                           : json(*rc::gen::element<std::string>("x", "y", "xy"));
        return line["f"] == "get"
                   ? json(*rc::gen::element<std::string>("", "x", "y", "xy", "xx", "yx"))
                   : line["value"];
    }
    line["f"] = *rc::gen::element<std::string>("read", "append");
    if (line["f"] == "read") {
        line["value"] = {{"from", *rc::gen::inRange(0, 3)}, {"max", *rc::gen::inRange(1, 3)}};
        json seen = json::array();
        const int count = *rc::gen::inRange(0, 3);
        for (int i = 0; i < count; ++i)
            seen.push_back(*rc::gen::element<std::string>("e1", "e2", "e3", "e4"));
        return seen;
    }
    json events = json::array({*rc::gen::element<std::string>("e1", "e2", "e3", "e4")});
    if (*rc::gen::arbitrary<bool>() && events[0] != "e4") events.push_back("e4");
    line["value"] = {{"expected", *rc::gen::element<json>("any", "no_stream", 0, 1)},
                     {"events", events}};
    const int first = *rc::gen::inRange(-1, 3);  // -1: positions not reported
    if (first < 0) return nullptr;
    return {{"first", first}, {"last", first + static_cast<int>(events.size()) - 1}};
}

// Invokes and completions interleaved at random; outcomes ok, info, fail or never completed.
std::string random_history(lin::ModelKind kind) {
    const int count = *rc::gen::inRange(1, k_ops_max + 1);
    std::vector<std::pair<json, json>> pending;  // (invoke line, completion line)
    std::string text;
    int process = 0;
    for (int i = 0; i < count || !pending.empty();) {
        if (i < count && (pending.empty() || *rc::gen::arbitrary<bool>())) {
            json line = {{"process", process++}, {"type", "invoke"}};
            const json output = random_op(kind, line);
            json done = line;
            done["type"] = *rc::gen::weightedElement<std::string>(
                {{6, "ok"}, {2, "info"}, {1, "fail"}, {1, "none"}});
            done["value"] = done["type"] == "ok" ? output : line["value"];
            text += line.dump() + "\n";
            pending.emplace_back(line, done);
            ++i;
        } else {
            const auto pick = *rc::gen::inRange<std::size_t>(0, pending.size());
            if (pending[pick].second["type"] != "none") text += pending[pick].second.dump() + "\n";
            pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(pick));
        }
    }
    return text;
}

void agrees_with_the_oracle(lin::ModelKind kind) {
    const std::string text = random_history(kind);
    auto ops = lin::parse_history(text, lin::HistoryFormat::jsonl);
    if (!ops) RC_FAIL(ops.error().what + "\n" + text);
    lin::CheckOptions options;
    options.model = kind;
    if (kind == lin::ModelKind::cas_register) options.initial = 0;
    auto report = lin::check_operations(ops.value(), options);
    if (!report) RC_DISCARD("not a valid history for the model: " + report.error().what);
    std::vector<bool> done(ops.value().size(), false);
    const json initial = kind == lin::ModelKind::cas_register ? json(0) : json::object();
    const bool expected = oracle(kind, ops.value(), done, initial);
    RC_TAG(expected);
    if ((report.value().verdict == lin::Verdict::linearizable) != expected) {
        RC_FAIL(std::string("oracle says ") + (expected ? "linearizable" : "not") + "\n" + text);
    }
}

}  // namespace

RC_GTEST_PROP(CasRegisterChecker, AgreesWithABruteForceOracle, ()) {
    agrees_with_the_oracle(lin::ModelKind::cas_register);
}
RC_GTEST_PROP(KvChecker, AgreesWithABruteForceOracle, ()) {
    agrees_with_the_oracle(lin::ModelKind::kv);
}
RC_GTEST_PROP(StreamChecker, AgreesWithABruteForceOracle, ()) {
    agrees_with_the_oracle(lin::ModelKind::stream);
}
