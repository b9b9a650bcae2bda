#include "scenarios/seeds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string_view>

#include "scenarios/json_reader.hpp"
#include "sim/assert.hpp"

namespace stormlog::scenarios {
namespace {

// Sets a one-line error and fails, so that each check below stays one statement.
bool fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
}

// A whole decimal number: digits only (no sign, no spaces), fitting in 64 bits.
bool parse_u64(std::string_view text, uint64_t& out) {
    if (text.empty()) return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

// Why `text` is not a u64, for a message: "is negative", "is above ...", or "is not a whole
// number". REQUIRES: parse_u64(text) failed.
std::string number_problem(std::string_view text) {
    const bool digits =
        !text.empty() && std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                                     [](char c) { return c >= '0' && c <= '9'; });
    if (digits && text[0] == '-' && text.size() > 1) return "is negative";
    if (digits && text[0] != '-') return fmt::format("is above {}", UINT64_MAX);
    return "is not a whole number";
}

}  // namespace

bool parse_seed(const std::string& text, uint64_t& out, std::string& error) {
    if (parse_u64(text, out)) return true;
    return fail(error, fmt::format("--seed: {} {}: expected a whole number from 0 to {}",
                                   quote(text), number_problem(text), UINT64_MAX));
}

bool parse_seed_range(const std::string& text, SeedRange& out, std::string& error) {
    const std::string usage =
        "--seeds: expected N (seeds 1..N) or A..B (seeds A to B inclusive), got " + quote(text);
    const size_t dots = text.find("..");
    SeedRange range;
    if (dots == std::string::npos) {
        if (!parse_u64(text, range.last))
            return fail(error, fmt::format("{} ({} {}; N is 1 to {})", usage, quote(text),
                                           number_problem(text), k_suite_seeds_max));
        if (range.last == 0) return fail(error, "--seeds: N must be at least 1, got 0");
    } else if (const std::string_view first = std::string_view(text).substr(0, dots),
               last = std::string_view(text).substr(dots + 2);
               !parse_u64(first, range.first) || !parse_u64(last, range.last)) {
        const std::string_view bad = parse_u64(first, range.first) ? last : first;
        return fail(error, fmt::format("{} ({} {}; seeds are 0 to {})", usage, quote(bad),
                                       number_problem(bad), UINT64_MAX));
    } else if (range.first > range.last) {
        return fail(error, fmt::format("--seeds: {}..{} is empty: A must be at most B", range.first,
                                       range.last));
    }
    // last - first + 1 would wrap for 0..2^64-1, so compare before adding one.
    if (range.last - range.first >= k_suite_seeds_max) {
        return fail(error, fmt::format("--seeds: {}..{} is more than {} seeds", range.first,
                                       range.last, k_suite_seeds_max));
    }
    out = range;
    return true;
}

bool parse_shard(const std::string& text, Shard& out, std::string& error) {
    const size_t slash = text.find('/');
    Shard shard;
    const bool ok = slash != std::string::npos &&
                    parse_u64(std::string_view(text).substr(0, slash), shard.index) &&
                    parse_u64(std::string_view(text).substr(slash + 1), shard.count) &&
                    shard.index >= 1 && shard.index <= shard.count;
    if (!ok) return fail(error, "--shard: expected K/M with 1 <= K <= M, got " + quote(text));
    out = shard;
    return true;
}

bool check_run_count(size_t scenario_count, const SeedRange& seeds, const Shard& shard,
                     std::string& error) {
    // Both factors are bounded (seeds by k_suite_seeds_max), so the product fits in 64 bits.
    const uint64_t total = static_cast<uint64_t>(scenario_count) * seeds.count();
    const uint64_t mine = total / shard.count + (total % shard.count >= shard.index ? 1 : 0);
    if (mine <= k_suite_runs_max) return true;
    error = fmt::format(
        "--seeds: {} scenarios x {} seeds is {} runs for this shard; at most {} (split it with "
        "--shard)",
        scenario_count, seeds.count(), mine, k_suite_runs_max);
    return false;
}

std::vector<SuiteRun> expand_runs(size_t scenario_count, const SeedRange& seeds,
                                  const Shard& shard) {
    const uint64_t per_scenario = seeds.count();
    const uint64_t total = static_cast<uint64_t>(scenario_count) * per_scenario;
    std::vector<SuiteRun> runs;
    runs.reserve(static_cast<size_t>(total / shard.count + 1));
    // Stepping by M from K-1 visits exactly the indices with i % M == K-1, without building the
    // other shards' runs.
    for (uint64_t i = shard.index - 1; i < total; i += shard.count) {
        runs.push_back({i, static_cast<size_t>(i / per_scenario), seeds.first + i % per_scenario});
        if (total - i <= shard.count) break;  // i + M would pass total (or wrap)
    }
    return runs;
}

}  // namespace stormlog::scenarios
