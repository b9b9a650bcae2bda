// `stormlog check-history` end to end on a small budget. An input that starts with a byte below
// 12 (the fuzzer's own) picks the model and the format with it, the rest is the file; one that
// starts with text is a history file as the repository keeps them, read with --format auto and
// checked against the model its operations suggest (kv when they carry keys). Whatever the input, a
// verdict or an input error comes back - no crash, no hang (the search is stopped after a fixed
// number of polls, never by a clock, so a run replays exactly), and no more memory than the cap.
#include <cstdint>

#include "fuzz/fuzz_target.hpp"
#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace lin = stormlog::properties::linearizability;

namespace {

constexpr lin::ModelKind k_models[] = {lin::ModelKind::register_, lin::ModelKind::cas_register,
                                       lin::ModelKind::kv, lin::ModelKind::stream};
constexpr lin::HistoryFormat k_formats[] = {lin::HistoryFormat::automatic,
                                            lin::HistoryFormat::jsonl, lin::HistoryFormat::edn};
constexpr std::uint64_t k_polls_max = 20'000;
constexpr std::size_t k_memory_bytes_max = std::size_t{64} << 20;

struct Choice {
    lin::ModelKind model;
    lin::HistoryFormat format;
    std::string_view text;
};

Choice choose(std::string_view input) {
    if (!input.empty() && static_cast<uint8_t>(input[0]) < 12) {
        const auto pick = static_cast<uint8_t>(input[0]);
        return {k_models[pick % 4], k_formats[pick / 4], input.substr(1)};
    }
    const bool keyed = input.find(":key") != input.npos || input.find("\"key\"") != input.npos;
    return {keyed ? lin::ModelKind::kv : lin::ModelKind::cas_register,
            lin::HistoryFormat::automatic, input};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const Choice choice = choose(stormlog::fuzz::as_text(data, size));
    auto operations = lin::parse_history(choice.text, choice.format);
    if (!operations) {
        FUZZ_CHECK(!operations.error().what.empty());
        return 0;
    }

    lin::CheckOptions options;
    options.model = choice.model;
    options.memory_bytes_max = k_memory_bytes_max;
    std::uint64_t polls = 0;
    options.should_stop = [&polls] { return ++polls > k_polls_max; };
    auto report = lin::check_operations(operations.value(), options);
    if (!report) {
        FUZZ_CHECK(!report.error().what.empty());
        return 0;
    }
    const lin::CheckReport& r = report.value();
    // A history that is not linearizable says where.
    if (r.verdict == lin::Verdict::not_linearizable) FUZZ_CHECK(!r.details.empty());
    return 0;
}
