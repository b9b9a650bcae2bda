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

size_t invalid_utf8_at(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        // The sequence's length, and the range its second byte must fall in (which rules out
        // overlong forms, surrogates and code points past U+10FFFF).
        size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            n = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 3;
            if (b == 0xE0) lo = 0xA0;
            if (b == 0xED) hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 4;
            if (b == 0xF0) lo = 0x90;
            if (b == 0xF4) hi = 0x8F;
        } else {
            return i;
        }
        if (i + n > s.size()) return i;
        for (size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return i;
        }
        i += n;
    }
    return std::string_view::npos;
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
