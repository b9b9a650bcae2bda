// The EDN reader: the subset Jepsen histories use, and errors that point at the line.

#include "properties/linearizability/edn.hpp"

#include <gtest/gtest.h>

namespace lin = stormlog::properties::linearizability;
namespace edn = lin::edn;

namespace {

std::vector<edn::Value> read_all(std::string_view text) {
    edn::Reader reader(text);
    std::vector<edn::Value> forms;
    edn::Value form;
    while (true) {
        auto read = reader.next(form);
        EXPECT_TRUE(read.ok()) << (read.ok() ? "" : read.error().what);
        if (!read.ok() || !read.value()) break;
        forms.push_back(form);
    }
    return forms;
}

lin::InputError read_error(std::string_view text) {
    edn::Reader reader(text);
    edn::Value form;
    while (true) {
        auto read = reader.next(form);
        if (!read.ok()) return read.error();
        if (!read.value()) break;
    }
    ADD_FAILURE() << "expected an error reading: " << text;
    return {};
}

TEST(EdnReader, ReadsAJepsenOpMapAsJson) {
    const auto forms = read_all("{:process 7, :type :invoke, :f :cas, :value [2 3] :time -5}");
    ASSERT_EQ(forms.size(), 1u);
    const auto json = edn::to_json(forms[0]);
    EXPECT_EQ(json, nlohmann::json::parse(
                        R"({"process":7,"type":"invoke","f":"cas","value":[2,3],"time":-5})"));
}

TEST(EdnReader, TreatsCommasAsWhitespaceAndSkipsComments) {
    const auto forms = read_all("; a comment\n[1,,2 ,3] ; trailing\n(4 5)");
    ASSERT_EQ(forms.size(), 2u);
    EXPECT_EQ(edn::to_json(forms[0]), nlohmann::json::parse("[1,2,3]"));
    EXPECT_EQ(edn::to_json(forms[1]), nlohmann::json::parse("[4,5]"));
    EXPECT_EQ(forms[1].line, 3u);
}

TEST(EdnReader, ReadsScalars) {
    const auto forms =
        read_all(R"(nil true false -12 +3 1.5 7N "a\"b\n\u0041" :ns/kw sym \x \newline)");
    ASSERT_EQ(forms.size(), 12u);
    EXPECT_EQ(forms[0].kind, edn::Kind::nil);
    EXPECT_TRUE(forms[1].boolean);
    EXPECT_FALSE(forms[2].boolean);
    EXPECT_EQ(forms[3].integer, -12);
    EXPECT_EQ(forms[4].integer, 3);
    EXPECT_DOUBLE_EQ(forms[5].floating, 1.5);
    EXPECT_EQ(forms[6].integer, 7);
    EXPECT_EQ(forms[7].text, "a\"b\nA");
    EXPECT_EQ(forms[8].kind, edn::Kind::keyword);
    EXPECT_EQ(forms[8].text, "ns/kw");
    EXPECT_EQ(forms[9].kind, edn::Kind::symbol);
    EXPECT_EQ(forms[10].text, "x");
    EXPECT_EQ(forms[11].text, "\n");
}

TEST(EdnReader, ReadsSetsTagsAndDiscards) {
    const auto forms = read_all(R"(#{1 2} #inst "2020-01-01" #_ :gone [#_ 1 2])");
    ASSERT_EQ(forms.size(), 3u);
    EXPECT_EQ(forms[0].kind, edn::Kind::set);
    EXPECT_EQ(forms[1].text, "2020-01-01");
    EXPECT_EQ(edn::to_json(forms[2]), nlohmann::json::parse("[2]"));
}

TEST(EdnReader, KeepsStringsWithBracketsAndNewlinesIntact) {
    const auto forms = read_all("{:error \"a [b {c\nd\"}\n:next");
    ASSERT_EQ(forms.size(), 2u);
    EXPECT_EQ(forms[0].items[1].text, "a [b {c\nd");
    EXPECT_EQ(forms[1].line, 3u);  // the newline inside the string counts
}

TEST(EdnReader, ReportsAnUnterminatedStringAtItsOpeningLine) {
    const auto error = read_error("[1\n \"abc\n\n");
    EXPECT_EQ(error.line, 2u);
    EXPECT_NE(error.what.find("unterminated string"), std::string::npos);
}

TEST(EdnReader, ReportsAnUnclosedVectorAndWhereItOpened) {
    const auto error = read_error("\n\n[1 2\n{:a 1}\n");
    EXPECT_NE(error.what.find("opened at line 3"), std::string::npos) << error.what;
}

TEST(EdnReader, ReportsAStrayClosingBracketAtItsLine) {
    const auto error = read_error("[1 2]\n]");
    EXPECT_EQ(error.line, 2u);
}

TEST(EdnReader, ReportsAMapWithAKeyWithoutAValue) {
    const auto error = read_error("\n{:a 1 :b}");
    EXPECT_EQ(error.line, 2u);
    EXPECT_NE(error.what.find("without a value"), std::string::npos);
}

TEST(EdnReader, ReportsBadNumbersAndHugeIntegers) {
    EXPECT_NE(read_error("12abc").what.find("bad number"), std::string::npos);
    EXPECT_NE(read_error("99999999999999999999").what.find("64 bits"), std::string::npos);
}

TEST(EdnReader, RefusesNestingDeeperThanTheLimit) {
    const std::string deep(static_cast<std::size_t>(edn::k_depth_max) + 10, '[');
    EXPECT_NE(read_error(deep).what.find("nested deeper"), std::string::npos);
}

}  // namespace
