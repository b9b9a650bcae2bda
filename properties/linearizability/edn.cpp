#include "properties/linearizability/edn.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace stormlog::properties::linearizability::edn {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\f' || c == '\v';
}

bool is_delimiter(char c) {
    return is_blank(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == '"' || c == ';';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// EDN strings are Java's, UTF-16 underneath: a character beyond the BMP is escaped as a
// surrogate pair. A surrogate on its own has no UTF-8 form (and JSON output would refuse it).
bool is_high_surrogate(std::uint32_t code) {
    return code >= 0xD800 && code <= 0xDBFF;
}
bool is_surrogate(std::uint32_t code) {
    return code >= 0xD800 && code <= 0xDFFF;
}

bool parse_hex4(std::string_view digits, std::uint32_t& code) {
    if (digits.size() != 4) return false;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + 4, code, 16);
    return ec == std::errc() && end == digits.data() + 4;
}

// Named characters EDN allows after a backslash, as the string they stand for.
bool character_text(std::string_view token, std::string& out) {
    if (token.size() == 1) {
        out = std::string(token);
        return true;
    }
    if (token == "newline") {
        out = "\n";
        return true;
    }
    if (token == "space") {
        out = " ";
        return true;
    }
    if (token == "tab") {
        out = "\t";
        return true;
    }
    if (token == "return") {
        out = "\r";
        return true;
    }
    if (token == "backspace") {
        out = "\b";
        return true;
    }
    if (token == "formfeed") {
        out = "\f";
        return true;
    }
    std::uint32_t code = 0;
    if (token.size() == 5 && token[0] == 'u' && parse_hex4(token.substr(1), code) &&
        !is_surrogate(code)) {
        out.clear();
        append_utf8(out, code);
        return true;
    }
    return false;
}

bool looks_numeric(std::string_view token) {
    if (token.empty()) return false;
    if (is_digit(token[0])) return true;
    return token.size() > 1 && (token[0] == '+' || token[0] == '-') && is_digit(token[1]);
}

}  // namespace

void Reader::skip_blank() {
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == ';') {
            while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        } else if (is_blank(c)) {
            if (c == '\n') ++line_;
            ++pos_;
        } else {
            return;
        }
    }
}

std::string_view Reader::read_token() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !is_delimiter(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
}

Parsed<bool> Reader::next(Value& out) {
    while (true) {
        skip_blank();
        if (pos_ >= text_.size()) return false;
        auto read = read_form(out, 0);
        if (!read || read.value()) return read;
        // false: a #_ discarded the form; read the one after it.
    }
}

Parsed<bool> Reader::read_form(Value& out, int depth) {
    if (depth > k_depth_max)
        return error("forms nested deeper than " + std::to_string(k_depth_max));
    skip_blank();
    if (pos_ >= text_.size()) return error("unexpected end of input");
    out = Value{};
    out.line = line_;
    const char c = text_[pos_];
    switch (c) {
        case '(':
            ++pos_;
            return read_collection(out, Kind::list, ')', depth);
        case '[':
            ++pos_;
            return read_collection(out, Kind::vector, ']', depth);
        case '{':
            ++pos_;
            return read_collection(out, Kind::map, '}', depth);
        case ')':
        case ']':
        case '}':
            return error(std::string("unexpected '") + c + "'");
        case '"':
            ++pos_;
            return read_string(out);
        case '#':
            ++pos_;
            return read_dispatch(out, depth);
        default:
            return read_atom(out);
    }
}

Parsed<bool> Reader::read_collection(Value& out, Kind kind, char close, int depth) {
    out.kind = kind;
    const std::size_t open_line = out.line;
    while (true) {
        skip_blank();
        if (pos_ >= text_.size()) {
            return error(std::string("unterminated collection: no '") + close +
                         "' for the one opened at line " + std::to_string(open_line));
        }
        if (text_[pos_] == close) {
            ++pos_;
            break;
        }
        Value item;
        auto read = read_form(item, depth + 1);
        if (!read) return read;
        if (read.value()) out.items.push_back(std::move(item));  // false: a discarded form
    }
    if (kind == Kind::map && out.items.size() % 2 != 0) {
        return InputError{open_line, "map has a key without a value"};
    }
    return true;
}

Parsed<bool> Reader::read_string(Value& out) {
    out.kind = Kind::string;
    const std::size_t open_line = line_;
    while (pos_ < text_.size()) {
        const char c = text_[pos_++];
        if (c == '"') return true;
        if (c == '\n') ++line_;
        if (c != '\\') {
            out.text += c;
            continue;
        }
        if (pos_ >= text_.size()) break;
        const char e = text_[pos_++];
        switch (e) {
            case 'n':
                out.text += '\n';
                break;
            case 't':
                out.text += '\t';
                break;
            case 'r':
                out.text += '\r';
                break;
            case 'b':
                out.text += '\b';
                break;
            case 'f':
                out.text += '\f';
                break;
            case '"':
            case '\\':
            case '/':
                out.text += e;
                break;
            case 'u': {
                std::uint32_t code = 0;
                if (!parse_hex4(text_.substr(pos_, 4), code))
                    return error("bad \\u escape in string");
                pos_ += 4;
                std::uint32_t low = 0;
                if (is_high_surrogate(code) && text_.substr(pos_, 2) == "\\u" &&
                    parse_hex4(text_.substr(pos_ + 2, 4), low) && is_surrogate(low) &&
                    !is_high_surrogate(low)) {
                    pos_ += 6;
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                } else if (is_surrogate(code)) {
                    return error("\\u escape of a lone UTF-16 surrogate in string");
                }
                append_utf8(out.text, code);
                break;
            }
            default:
                return error(std::string("unknown escape '\\") + e + "' in string");
        }
    }
    return InputError{open_line, "unterminated string"};
}

Parsed<bool> Reader::read_dispatch(Value& out, int depth) {
    if (pos_ >= text_.size()) return error("unexpected end of input after '#'");
    const char c = text_[pos_];
    if (c == '{') {
        ++pos_;
        return read_collection(out, Kind::set, '}', depth);
    }
    if (c == '_') {  // #_ discards the next form: report "nothing read" to the caller
        ++pos_;
        Value ignored;
        auto read = read_form(ignored, depth + 1);
        if (!read) return read;
        return false;
    }
    const std::string_view tag = read_token();
    if (tag.empty()) return error(std::string("unsupported dispatch '#") + c + "'");
    // A tagged value (#inst "...", #uuid "..."): keep the value, drop the tag.
    return read_form(out, depth + 1);
}

Parsed<bool> Reader::read_atom(Value& out) {
    if (text_[pos_] == '\\') {
        ++pos_;
        // A character: one character, even a delimiter, or a name such as `newline`.
        std::string_view token = read_token();
        if (token.empty() && pos_ < text_.size()) token = text_.substr(pos_++, 1);
        out.kind = Kind::string;
        if (!character_text(token, out.text)) {
            return error("bad character literal '\\" + std::string(token) + "'");
        }
        return true;
    }
    const std::string_view token = read_token();
    if (token.empty()) return error(std::string("unexpected character '") + text_[pos_] + "'");
    if (looks_numeric(token)) {
        std::string_view digits = token;
        if (digits.back() == 'N') digits.remove_suffix(1);
        const std::size_t skip = digits[0] == '+' ? 1 : 0;
        auto [end, ec] =
            std::from_chars(digits.data() + skip, digits.data() + digits.size(), out.integer);
        if (ec == std::errc() && end == digits.data() + digits.size()) {
            out.kind = Kind::integer;
            return true;
        }
        if (ec == std::errc::result_out_of_range) {
            return error("integer '" + std::string(token) + "' does not fit in 64 bits");
        }
        std::string copy(token);
        if (!copy.empty() && copy.back() == 'M') copy.pop_back();
        char* parse_end = nullptr;
        errno = 0;
        out.floating = std::strtod(copy.c_str(), &parse_end);
        if (parse_end != copy.c_str() + copy.size() || errno != 0) {
            return error("bad number '" + std::string(token) + "'");
        }
        out.kind = Kind::floating;
        return true;
    }
    if (token[0] == ':') {
        if (token.size() == 1) return error("empty keyword ':'");
        out.kind = Kind::keyword;
        out.text = std::string(token.substr(1));
        return true;
    }
    if (token == "nil") {
        out.kind = Kind::nil;
        return true;
    }
    if (token == "true" || token == "false") {
        out.kind = Kind::boolean;
        out.boolean = token == "true";
        return true;
    }
    out.kind = Kind::symbol;
    out.text = std::string(token);
    return true;
}

std::string_view name_of(const Value& value) {
    if (value.kind == Kind::keyword || value.kind == Kind::symbol || value.kind == Kind::string) {
        return value.text;
    }
    return {};
}

nlohmann::json to_json(const Value& value) {
    switch (value.kind) {
        case Kind::nil:
            return nullptr;
        case Kind::boolean:
            return value.boolean;
        case Kind::integer:
            return value.integer;
        case Kind::floating:
            return value.floating;
        case Kind::string:
        case Kind::keyword:
        case Kind::symbol:
            return value.text;
        case Kind::list:
        case Kind::vector:
        case Kind::set: {
            nlohmann::json array = nlohmann::json::array();
            for (const Value& item : value.items) array.push_back(to_json(item));
            return array;
        }
        case Kind::map: {
            nlohmann::json object = nlohmann::json::object();
            for (std::size_t i = 0; i + 1 < value.items.size(); i += 2) {
                const Value& key = value.items[i];
                std::string name(name_of(key));
                // replace: a key's text is the reader's, valid UTF-8 when read_edn_events checked
                // the input; a Reader fed unchecked bytes must still not throw here.
                if (key.kind != Kind::string && name.empty())
                    name =
                        to_json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                object[name] = to_json(value.items[i + 1]);
            }
            return object;
        }
    }
    return nullptr;
}

}  // namespace stormlog::properties::linearizability::edn
