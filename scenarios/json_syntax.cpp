#include "scenarios/json_syntax.hpp"

#include <algorithm>
#include <set>

namespace stormlog::scenarios {
namespace {

constexpr size_t k_reason_bytes_max = 120;

class SyntaxPass final : public nlohmann::json_sax<Json> {
  public:
    static constexpr int k_number_overflow = 406;  // nlohmann's out_of_range.406

    explicit SyntaxPass(size_t depth_max) : depth_max_(depth_max) {}

    Syntax result;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(false); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override {
        Frame& f = frames_.back();
        f.key = k;
        if (!f.seen.insert(k).second) result.duplicate_paths.push_back(path());
        return true;
    }

    bool parse_error(std::size_t position, const std::string& token,
                     const nlohmann::detail::exception& e) override {
        // `position` counts the bytes read, the offending one included; a number too large for a
        // double is only found once all of it is read, so point at its start instead.
        const size_t back = e.id == k_number_overflow ? token.size() : 1;
        fail(position >= back ? position - back : 0, e.what());
        return false;
    }

    bool too_deep() const { return too_deep_; }

  private:
    struct Frame {
        bool array = false;
        size_t index = 0;            // arrays: the element being read
        std::string key;             // objects: the member being read
        std::set<std::string> seen;  // objects: keys so far
    };

    bool open(bool array) {
        if (frames_.size() >= depth_max_) {
            too_deep_ = true;  // the caller finds the offset: SAX events carry none
            return false;
        }
        frames_.push_back(Frame{array, 0, {}, {}});
        return true;
    }
    bool close() {
        frames_.pop_back();
        return value();
    }
    // A value ended: in an array the next one has the next index.
    bool value() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
        return true;
    }
    std::string path() const {
        std::string p;
        for (const Frame& f : frames_) p = f.array ? index_path(p, f.index) : key_path(p, f.key);
        return p;
    }
    void fail(size_t offset, std::string reason) {
        result.ok = false;
        result.offset = offset;
        result.reason = std::move(reason);
    }

    size_t depth_max_;
    std::vector<Frame> frames_;
    bool too_deep_ = false;
};

// Offset of the bracket that opens nesting level `depth` (1 = the outermost), skipping strings.
size_t offset_of_depth(std::string_view text, size_t depth) {
    size_t level = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++level == depth) return i;
        } else if ((c == ']' || c == '}') && level > 0) {
            --level;
        }
    }
    return text.size();
}

}  // namespace

std::string short_reason(std::string what) {
    if (const size_t b = what.find("] "); what.starts_with("[json.exception.") && b != what.npos) {
        what.erase(0, b + 2);
    }
    if (const size_t c = what.find(": "); what.starts_with("parse error") && c != what.npos) {
        what.erase(0, c + 2);
    }
    if (const size_t d = what.find(" - ");
        what.starts_with("syntax error while parsing") && d != what.npos) {
        what.erase(0, d + 3);
    }
    if (const size_t last = what.find("; last read: '"); last != what.npos) {
        const size_t expected = what.find("'; expected", last);
        what = what.substr(0, last) + (expected == what.npos ? "" : what.substr(expected + 1));
    }
    if (what == "invalid literal")
        what += " (expected a number, true, false, null or a \"string\")";
    for (char& c : what) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    }
    return what.substr(0, k_reason_bytes_max);
}

Syntax check_syntax(const std::string& text, size_t depth_max) {
    SyntaxPass pass(depth_max);
    const bool ok = Json::sax_parse(text, &pass);
    if (!ok && pass.too_deep()) {
        pass.result.ok = false;
        pass.result.offset = offset_of_depth(text, depth_max + 1);
        pass.result.reason = "nested deeper than " + std::to_string(depth_max) + " levels";
    }
    return std::move(pass.result);
}

void report_malformed(Reader& r, std::string_view text, const Syntax& syntax) {
    const size_t offset = std::min(syntax.offset, text.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    r.error_at(line, offset - line_start + 1, "malformed JSON: " + short_reason(syntax.reason));
}

}  // namespace stormlog::scenarios
