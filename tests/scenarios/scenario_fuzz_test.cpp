// Scenario files under random input: whatever the text, an answer (a scenario, or error lines that
// each name the file and stay on one line), never a crash or a hang.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "faults/catalogue.hpp"
#include "scenarios/scenario_file.hpp"
#include "tests/support/files.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

using Json = nlohmann::json;
using test_support::read_text;

const std::string k_full_path = STORMLOG_SOURCE_DIR "/tests/scenarios/data/full.json";

// ---- fuzzing: whatever the input, an answer and never a crash ----

// Parses `text` and checks the contract: a scenario and no errors, or errors that each start with
// the file label and stay on one line. A scenario it accepts keeps the documented limits.
void check_answer(const std::string& text) {
    Scenario s;
    ScenarioErrors e;
    const bool ok = parse_scenario(text, "fuzz.json", s, e);
    RC_CLASSIFY(ok);
    if (!ok) {
        RC_ASSERT(!e.lines.empty());
        for (const std::string& line : e.lines) {
            RC_ASSERT(line.rfind("fuzz.json:", 0) == 0);
            RC_ASSERT(line.find('\n') == std::string::npos);
        }
        return;
    }
    RC_ASSERT(e.lines.empty());
    RC_ASSERT(s.source == "fuzz.json");
    RC_ASSERT(s.cluster.nodes >= 1 && s.cluster.nodes <= 15);
    RC_ASSERT(s.duration > Duration() && s.duration <= Duration::minutes(24 * 60));
    for (const FaultSpec& f : s.faults) {
        RC_ASSERT(faults::find_kind(f.kind) != nullptr);
        RC_ASSERT(f.at < s.duration && f.at + f.duration <= s.duration);
        RC_ASSERT(f.target.kind != TargetKind::node || f.target.node < s.cluster.nodes);
    }
}

// Words the schema knows, so that random documents reach deep into the validator.
const std::vector<std::string>& words() {
    static const std::vector<std::string> w = [] {
        std::vector<std::string> v = {"name",
                                      "description",
                                      "cluster",
                                      "network",
                                      "disk",
                                      "workload",
                                      "duration",
                                      "faults",
                                      "nemesis",
                                      "budget",
                                      "quiet_period",
                                      "properties",
                                      "expect",
                                      "nodes",
                                      "heartbeat",
                                      "election_timeout",
                                      "latency",
                                      "latency_shape",
                                      "loss",
                                      "duplicate",
                                      "corrupt",
                                      "write_latency",
                                      "read_latency",
                                      "fsync_latency",
                                      "capacity",
                                      "torn_write_probability",
                                      "type",
                                      "clients",
                                      "rate",
                                      "kind",
                                      "at",
                                      "for",
                                      "target",
                                      "params",
                                      "window",
                                      "mean_interval",
                                      "fault_duration",
                                      "client_partitions",
                                      "kinds",
                                      "within",
                                      "beyond",
                                      "pass",
                                      "fail",
                                      "n1",
                                      "n3",
                                      "n99",
                                      "leader",
                                      "majority",
                                      "1s",
                                      "30s",
                                      "0s",
                                      "-5ms",
                                      "25h",
                                      "soon",
                                      "512MiB",
                                      "messaging",
                                      "offset",
                                      "bits",
                                      "ppm",
                                      "storm",
                                      ""};
        for (const faults::FaultKindInfo& k : faults::catalogue()) v.push_back(k.name);
        return v;
    }();
    return w;
}

Json random_json(int depth) {
    switch (*rc::gen::inRange(0, depth > 0 ? 10 : 7)) {
        case 0:
            return nullptr;
        case 1:
            return *rc::gen::arbitrary<bool>();
        case 2:
            return *rc::gen::arbitrary<int64_t>();
        case 3:
            return *rc::gen::arbitrary<uint64_t>();
        case 4:
            return *rc::gen::arbitrary<double>();
        case 5:
            return *rc::gen::arbitrary<std::string>();
        case 6:
            return *rc::gen::elementOf(words());
        case 7: {
            Json a = Json::array();
            const int n = *rc::gen::inRange(0, 4);
            for (int i = 0; i < n; ++i) a.push_back(random_json(depth - 1));
            return a;
        }
        default: {
            Json o = Json::object();
            const int n = *rc::gen::inRange(0, 6);
            for (int i = 0; i < n; ++i) o[*rc::gen::elementOf(words())] = random_json(depth - 1);
            return o;
        }
    }
}

std::string dump_any(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

RC_GTEST_PROP(ScenarioFileFuzz, RandomJsonDocumentsAlwaysGetAnAnswer, ()) {
    check_answer(dump_any(random_json(*rc::gen::inRange(0, 5))));
}

RC_GTEST_PROP(ScenarioFileFuzz, RandomBytesAlwaysGetAnAnswer, ()) {
    check_answer(*rc::gen::arbitrary<std::string>());
}

// Every node of `j` by JSON pointer, the root excluded.
void pointers(const Json& j, const Json::json_pointer& at, std::vector<Json::json_pointer>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            out.push_back(at / it.key());
            pointers(*it, at / it.key(), out);
        }
    } else if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i) {
            out.push_back(at / i);
            pointers(j[i], at / i, out);
        }
    }
}

RC_GTEST_PROP(ScenarioFileFuzz, StructuralMutationsOfAValidScenarioAlwaysGetAnAnswer, ()) {
    Json doc = Json::parse(read_text(k_full_path));
    const int mutations = *rc::gen::inRange(1, 4);
    for (int m = 0; m < mutations; ++m) {
        std::vector<Json::json_pointer> all;
        pointers(doc, Json::json_pointer(), all);
        if (all.empty()) break;
        const Json::json_pointer p = *rc::gen::elementOf(all);
        Json& parent = doc.at(p.parent_pointer());
        switch (*rc::gen::inRange(0, 3)) {
            case 0:  // delete a key or an element
                if (parent.is_object())
                    parent.erase(p.back());
                else
                    parent.erase(static_cast<size_t>(std::stoul(p.back())));
                break;
            case 1:  // change the type (or value) of a node
                doc.at(p) = random_json(2);
                break;
            default:  // add an unexpected key next to it
                if (parent.is_object()) parent[*rc::gen::elementOf(words())] = random_json(1);
                break;
        }
    }
    check_answer(dump_any(doc));
}

RC_GTEST_PROP(ScenarioFileFuzz, TextMutationsOfAValidScenarioAlwaysGetAnAnswer, ()) {
    std::string text = read_text(k_full_path);
    const int mutations = *rc::gen::inRange(1, 4);
    for (int m = 0; m < mutations && !text.empty(); ++m) {
        const size_t at = *rc::gen::inRange<size_t>(0, text.size());
        switch (*rc::gen::inRange(0, 4)) {
            case 0:
                text.insert(at, *rc::gen::arbitrary<std::string>());
                break;  // garbage
            case 1:
                text.resize(at);
                break;  // truncate
            case 2:
                text.erase(at, *rc::gen::inRange<size_t>(1, 20));
                break;  // cut out
            default:
                text[at] = *rc::gen::elementOf(
                    std::string("{}[]\",:0123456789.-eE \\\n\x01\xff"));  // flip
        }
    }
    check_answer(text);
}

}  // namespace
}  // namespace stormlog::scenarios
