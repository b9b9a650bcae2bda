// canonical_text, the checker's shortcut for a value's dump(): it must give dump()'s text
// exactly, since keys are grouped and event ids interned (and printed) by that text.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "properties/linearizability/op.hpp"

namespace lin = stormlog::properties::linearizability;
using nlohmann::json;

namespace {

void expect_same_text(const json& value) {
    EXPECT_EQ(lin::canonical_text(value), value.dump()) << value.dump();
}

TEST(CanonicalText, EveryOneByteStringIsWrittenAsDumpWritesIt) {
    for (int byte = 1; byte < 0x80; ++byte) {
        expect_same_text(json(std::string(1, static_cast<char>(byte))));
        expect_same_text(json("c1-" + std::string(1, static_cast<char>(byte)) + "-7"));
    }
}

TEST(CanonicalText, EscapesUnicodeAndEmptyStringsMatchDump) {
    for (const char* s : {"", "e1", "a\"b", "a\\b", "tab\there", "caf\xc3\xa9", "\x7f", "/"})
        expect_same_text(json(s));
}

TEST(CanonicalText, InvalidUtf8IsRefusedAsDumpRefusesIt) {
    const json bad = std::string("\xff\xfe");
    EXPECT_THROW(lin::canonical_text(bad), json::type_error);
}

TEST(CanonicalText, IntegersAtTheirLimitsAndOtherValuesMatchDump) {
    for (const json& v : {json(0), json(-1), json(std::numeric_limits<std::int64_t>::min()),
                          json(std::numeric_limits<std::int64_t>::max()),
                          json(std::numeric_limits<std::uint64_t>::max()), json(1.5), json(nullptr),
                          json(true), json::array({1, "x"}), json::object({{"k", "v"}})}) {
        expect_same_text(v);
    }
}

}  // namespace
