#include "reports/xml_text.hpp"

#include "reports/text.hpp"

namespace stormlog::reports {
namespace {

// U+FFFE and U+FFFF: not characters in XML 1.0, and valid UTF-8 all the same.
bool noncharacter_at(std::string_view s, size_t i) {
    return s.substr(i, 2) == "\xEF\xBF" && i + 2 < s.size() &&
           (s[i + 2] == '\xBE' || s[i + 2] == '\xBF');
}

// The reference that stands for `c`, or "" when `c` stands for itself.
std::string_view reference(unsigned char c, bool attribute) {
    switch (c) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '"':
            return "&quot;";
        case '\'':
            return "&apos;";
        case '\r':
            return "&#13;";
        case '\n':
            return attribute ? "&#10;" : "";
        case '\t':
            return attribute ? "&#9;" : "";
        default:
            return "";
    }
}

// C0 controls XML 1.0 forbids, and DEL, which it allows but a terminal showing the file acts on.
bool forbidden(unsigned char c) {
    return (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F;
}

std::string escape(std::string_view raw, bool attribute) {
    const std::string s = valid_utf8(raw);
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (const std::string_view ref = reference(c, attribute); !ref.empty()) {
            out += ref;
        } else if (forbidden(c)) {
            out += control_char_text(c);
        } else if (noncharacter_at(s, i)) {
            out += s[i + 2] == '\xBE' ? "\\ufffe" : "\\uffff";
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

std::string xml_text(std::string_view s) {
    return escape(s, false);
}

std::string xml_attribute(std::string_view s) {
    return escape(s, true);
}

}  // namespace stormlog::reports
