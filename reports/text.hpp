#pragma once
// Text from a scenario file or a run's evidence reaches XML and Markdown reports verbatim: it may
// be any bytes. These helpers make it valid UTF-8 first and cut it without splitting a character,
// so each renderer only has to escape what its own syntax gives a meaning to.

#include <string>
#include <string_view>

namespace stormlog::reports {

// `s` with every byte that does not start a well-formed UTF-8 sequence (stray continuation bytes,
// overlong forms, surrogates, code points past U+10FFFF, cut-off sequences) replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

// At most `max_bytes` of valid UTF-8 `s`, cut at a character boundary; "..." is appended when
// anything was cut, so a reader knows there is more.
std::string truncate_utf8(std::string_view s, size_t max_bytes);

// "\u001b": how a control character that a report cannot carry is shown instead.
std::string control_char_text(unsigned char c);

}  // namespace stormlog::reports
