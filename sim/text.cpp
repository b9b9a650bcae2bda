#include "sim/text.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "sim/assert.hpp"

namespace stormlog::sim {

std::string_view cut_utf8(std::string_view s, size_t max) {
    if (s.size() <= max) return s;
    size_t end = max;
    // Continuation bytes are 10xxxxxx: step back to the start of the sequence `end` is inside.
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    SL_ASSERT(end <= max);
    return s.substr(0, end);
}

std::string quoted_list(Names names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ", ";
        out += '"' + std::string(names[i]) + '"';
    }
    return out;
}

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
    const size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (length_gap > limit) return limit + 1;
    std::vector<size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), size_t{0});
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string_view> closest(std::string_view word, Names candidates) {
    std::optional<std::string_view> best;
    size_t best_distance = SIZE_MAX;
    for (std::string_view c : candidates) {
        const size_t limit = std::min<size_t>(3, std::max<size_t>(1, c.size() / 2));
        const size_t d = edit_distance(word, c, limit);
        if (d <= limit && d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, Names candidates) {
    const auto best = closest(word, candidates);
    return best ? " (did you mean \"" + std::string(*best) + "\"?)" : "";
}

}  // namespace stormlog::sim
