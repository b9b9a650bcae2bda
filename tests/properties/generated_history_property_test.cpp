// Properties over generated histories: what a sequential model did, with operations overlapping
// at random, is always linearizable; change one read's result to a value nobody ever wrote and
// it never is.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "history_generator.hpp"
#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace lin = stormlog::properties::linearizability;
using lin::testing::Choices;

namespace {

constexpr std::size_t k_operations_max = 40;
constexpr std::uint32_t k_processes_max = 6;
constexpr std::uint64_t k_search_polls_max =
    64;  // each poll is the search's poll interval of steps

struct Case {
    lin::testing::GeneratedHistory history;
    std::unique_ptr<lin::testing::SequentialModel> model;
};

Case generate(lin::ModelKind kind, bool info) {
    const auto choices =
        *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::arbitrary<std::uint32_t>());
    const auto operations = *rc::gen::inRange<std::size_t>(1, k_operations_max + 1);
    const auto processes = *rc::gen::inRange<std::uint32_t>(1, k_processes_max + 1);
    Case c{{}, lin::testing::make_sequential_model(kind)};
    Choices draw(choices);
    c.history = lin::testing::generate_history(*c.model, draw, operations, processes, info);
    return c;
}

lin::Verdict check(const std::string& jsonl, lin::ModelKind kind) {
    auto operations = lin::parse_history(jsonl, lin::HistoryFormat::jsonl);
    if (!operations.ok()) RC_FAIL(operations.error().what + "\n" + jsonl);
    lin::CheckOptions options;
    options.model = kind;
    if (kind == lin::ModelKind::cas_register) options.initial = 0;
    // A bounded search: a rare generated history (many pending info operations over a kv model)
    // makes proving non-linearizability exponential, and once ran for 20 minutes. Such a case says
    // nothing about the verdicts below, so it is discarded rather than waited for. The bound is a
    // count of polls, never a clock, so a case replays exactly.
    std::uint64_t polls = 0;
    options.should_stop = [&polls] { return ++polls > k_search_polls_max; };
    options.memory_bytes_max = std::size_t{256} << 20;
    auto report = lin::check_operations(operations.value(), options);
    if (!report.ok()) RC_FAIL(report.error().what + "\n" + jsonl);
    RC_PRE(report.value().verdict != lin::Verdict::unknown);
    return report.value().verdict;
}

void generated_history_is_linearizable(lin::ModelKind kind) {
    const bool info = *rc::gen::arbitrary<bool>();
    const Case c = generate(kind, info);
    RC_ASSERT(check(c.history.to_jsonl(), kind) == lin::Verdict::linearizable);
}

void history_with_an_impossible_read_is_not_linearizable(lin::ModelKind kind) {
    const bool info = *rc::gen::arbitrary<bool>();
    Case c = generate(kind, info);
    RC_PRE(!c.history.ok_reads.empty());
    const auto pick = *rc::gen::inRange<std::size_t>(0, c.history.ok_reads.size());
    c.history.events[c.history.ok_reads[pick]]["value"] = c.model->impossible_result({});
    RC_ASSERT(check(c.history.to_jsonl(), kind) == lin::Verdict::not_linearizable);
}

}  // namespace

RC_GTEST_PROP(GeneratedCasRegisterHistory, IsLinearizable, ()) {
    generated_history_is_linearizable(lin::ModelKind::cas_register);
}
RC_GTEST_PROP(GeneratedKvHistory, IsLinearizable, ()) {
    generated_history_is_linearizable(lin::ModelKind::kv);
}
RC_GTEST_PROP(GeneratedStreamHistory, IsLinearizable, ()) {
    generated_history_is_linearizable(lin::ModelKind::stream);
}
RC_GTEST_PROP(GeneratedCasRegisterHistory, WithAReadOfANeverWrittenValueIsNotLinearizable, ()) {
    history_with_an_impossible_read_is_not_linearizable(lin::ModelKind::cas_register);
}
RC_GTEST_PROP(GeneratedKvHistory, WithAReadOfANeverWrittenValueIsNotLinearizable, ()) {
    history_with_an_impossible_read_is_not_linearizable(lin::ModelKind::kv);
}
RC_GTEST_PROP(GeneratedStreamHistory, WithAReadOfANeverWrittenEventIsNotLinearizable, ()) {
    history_with_an_impossible_read_is_not_linearizable(lin::ModelKind::stream);
}
