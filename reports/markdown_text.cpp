#include "reports/markdown_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "reports/text.hpp"

namespace stormlog::reports {
namespace {

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// `_` between two word characters cannot start emphasis (GFM), so identifiers stay unescaped.
bool needs_escape(std::string_view s, size_t i) {
    const char c = s[i];
    if (c == '_') return !(i > 0 && i + 1 < s.size() && word_char(s[i - 1]) && word_char(s[i + 1]));
    return std::string_view("\\`*[]<>&|").find(c) != std::string_view::npos;
}

// A block marker at the start would make the text a heading, list, quote or fence.
std::string leading_escape(std::string_view s) {
    if (s.empty()) return "";
    if (std::string_view("#-+=~").find(s[0]) != std::string_view::npos) return "\\";
    return "";
}

// Escapes the digits-then-"." or ")" of an ordered-list marker at the start: "1." -> "1\.".
size_t ordered_marker_end(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0 || i >= s.size() || (s[i] != '.' && s[i] != ')')) return std::string_view::npos;
    return i;
}

}  // namespace

std::string md_text(std::string_view raw) {
    const std::string s = valid_utf8(raw);
    std::string out = leading_escape(s);
    const size_t marker = ordered_marker_end(s);
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;  // CRLF: one break
        if (c == '\n' || c == '\r') {
            out += "<br>";
        } else if (c == '\t') {
            out += ' ';
        } else if (c < 0x20 || c == 0x7F) {
            out += control_char_text(c);
        } else {
            if (i == marker || needs_escape(s, i)) out += '\\';
            out += s[i];
        }
    }
    return out;
}

std::string md_code(std::string_view raw, bool in_table) {
    const std::string s = valid_utf8(raw);
    std::string body;
    size_t run = 0, longest = 0;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
        if (c == '\n' || c == '\r' || c == '\t')
            body += ' ';
        else if (c < 0x20 || c == 0x7F)
            body += control_char_text(c);
        else if (in_table && c == '|')
            body += "\\|";
        else
            body += ch;
    }
    const std::string fence(longest + 1, '`');
    // A space on each side keeps a backtick at either end from joining the fence.
    const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
    return pad ? fence + " " + body + " " + fence : fence + body + fence;
}

std::string md_row(const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const std::string& c : cells) out += " " + c + " |";
    return out + "\n";
}

std::string md_table_head(const std::vector<std::string>& headings) {
    std::vector<std::string> names, rules;
    for (const std::string& h : headings) {
        const bool right = !h.empty() && h[0] == '>';
        names.push_back(right ? h.substr(1) : h);
        rules.push_back(right ? "---:" : "---");
    }
    return md_row(names) + md_row(rules);
}

std::string md_seconds(std::optional<double> s) {
    return s ? fmt::format("{:.3f} s", *s) : std::string("-");
}

std::string md_percent(std::optional<double> ratio) {
    return ratio ? fmt::format("{:.1f}%", *ratio * 100) : std::string("-");
}

}  // namespace stormlog::reports
