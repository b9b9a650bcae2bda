#pragma once
// A small EDN reader: enough of EDN for Jepsen histories and then some. Nil, booleans, integers,
// floats, strings, characters, keywords, symbols, lists, vectors, maps, sets, tagged values
// (the tag is dropped), `;` comments, `#_` discards; commas are whitespace.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "properties/linearizability/input_error.hpp"

namespace stormlog::properties::linearizability::edn {

enum class Kind : std::uint8_t {
    nil,
    boolean,
    integer,
    floating,
    string,
    keyword,
    symbol,
    list,
    vector,
    map,
    set
};

struct Value {
    Kind kind = Kind::nil;
    std::size_t line = 0;  // where the form starts
    bool boolean = false;
    std::int64_t integer = 0;
    double floating = 0;
    std::string text;          // string contents; keyword/symbol name without ':'
    std::vector<Value> items;  // list, vector, set; a map's keys and values, alternating
};

// Reads top-level forms one at a time.
class Reader {
  public:
    explicit Reader(std::string_view text) : text_(text) {}

    // Reads the next top-level form into `out`. Returns false at the end of the input.
    Parsed<bool> next(Value& out);

  private:
    Parsed<bool> read_form(Value& out, int depth);
    Parsed<bool> read_collection(Value& out, Kind kind, char close, int depth);
    Parsed<bool> read_string(Value& out);
    Parsed<bool> read_atom(Value& out);
    Parsed<bool> read_dispatch(Value& out, int depth);
    void skip_blank();
    std::string_view read_token();
    InputError error(std::string what) const { return InputError{line_, std::move(what)}; }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

// Nesting deeper than this is refused rather than risking the stack on hostile input.
inline constexpr int k_depth_max = 256;

// The value as JSON: keywords and symbols become their names, lists and sets become arrays,
// map keys become strings (a keyword's name, or the key's JSON text), tags are dropped.
nlohmann::json to_json(const Value& value);

// The name of a keyword, symbol or string; empty for anything else.
std::string_view name_of(const Value& value);

}  // namespace stormlog::properties::linearizability::edn
