// Escaping for XML and Markdown, and the UTF-8 repairs under both: any bytes in, a well-formed
// document out.

#include "reports/xml_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "reports/markdown_text.hpp"
#include "reports/text.hpp"

namespace stormlog::reports {
namespace {

TEST(XmlText, EscapesTheFiveMarkupCharacters) {
    EXPECT_EQ(xml_text("<a href=\"x\">&'</a>"),
              "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    EXPECT_EQ(xml_attribute("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
}

TEST(XmlText, WhitespaceSurvivesParsing) {
    EXPECT_EQ(xml_text("a\tb\nc\rd"), "a\tb\nc&#13;d");
    EXPECT_EQ(xml_attribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
}

TEST(XmlText, CharactersXmlCannotCarryAreShown) {
    EXPECT_EQ(xml_text(std::string("a\0b", 3)), "a\\u0000b");
    EXPECT_EQ(xml_text("\x01\x08\x0b\x0c\x1b\x1f\x7f"),
              "\\u0001\\u0008\\u000b\\u000c\\u001b\\u001f\\u007f");
    EXPECT_EQ(xml_attribute("x\xEF\xBF\xBEy\xEF\xBF\xBFz"), "x\\ufffey\\uffffz");
    EXPECT_EQ(xml_text("\xEF\xBF\xBD"), "\xEF\xBF\xBD") << "U+FFFD itself is fine";
}

TEST(XmlText, OtherUnicodeIsKept) {
    EXPECT_EQ(xml_text("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8C\xA9"),
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8C\xA9");
}

TEST(ValidUtf8, ReplacesEveryMalformedByte) {
    EXPECT_EQ(valid_utf8("ok"), "ok");
    EXPECT_EQ(valid_utf8("\x80"), "\xEF\xBF\xBD") << "stray continuation";
    EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong";
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "surrogate";
    EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80").substr(0, 3), "\xEF\xBF\xBD") << "past U+10FFFF";
    EXPECT_EQ(valid_utf8("a\xE2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD") << "cut off";
}

TEST(TruncateUtf8, CutsAtACharacterBoundary) {
    EXPECT_EQ(truncate_utf8("short", 10), "short");
    EXPECT_EQ(truncate_utf8("abcdef", 3), "abc...");
    EXPECT_EQ(truncate_utf8("ab\xE2\x82\xAC", 3), "ab...") << "does not split the euro sign";
    EXPECT_EQ(truncate_utf8("ab\xE2\x82\xAC", 5), "ab\xE2\x82\xAC");
}

TEST(MdText, EscapesWhatWouldBreakATableOrInjectHtml) {
    EXPECT_EQ(md_text("a | b"), "a \\| b");
    EXPECT_EQ(md_text("line 1\nline 2\r\nline 3"), "line 1<br>line 2<br>line 3");
    EXPECT_EQ(md_text("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
    EXPECT_EQ(md_text("a & b `c` *d* [e](f) \\"), "a \\& b \\`c\\` \\*d\\* \\[e\\](f) \\\\");
    EXPECT_EQ(md_text("\x1b[31mred"), "\\u001b\\[31mred") << "no terminal escapes";
    EXPECT_EQ(md_text("tab\there"), "tab here");
}

TEST(MdText, IdentifiersStayReadable) {
    EXPECT_EQ(md_text("raft.leader_change_with_append_in_flight"),
              "raft.leader_change_with_append_in_flight");
    EXPECT_EQ(md_text("_x_"), "\\_x\\_") << "emphasis would start here";
    EXPECT_EQ(md_text("n1, n2: 3.5 s (ok)"), "n1, n2: 3.5 s (ok)");
}

TEST(MdText, LeadingBlockMarkersAreEscaped) {
    EXPECT_EQ(md_text("# not a heading"), "\\# not a heading");
    EXPECT_EQ(md_text("- not a list"), "\\- not a list");
    EXPECT_EQ(md_text("12. not a list"), "12\\. not a list");
    EXPECT_EQ(md_text("12 items. fine"), "12 items. fine");
}

TEST(MdCode, FenceOutgrowsBackticksInside) {
    EXPECT_EQ(md_code("stormlog run x --seed 1", false), "`stormlog run x --seed 1`");
    EXPECT_EQ(md_code("a `b` c", false), "``a `b` c``");
    EXPECT_EQ(md_code("`edge", false), "`` `edge ``");
    EXPECT_EQ(md_code("a|b\nc", true), "`a\\|b c`") << "pipes escaped in a table, no newline";
    EXPECT_EQ(md_code("a|b", false), "`a|b`");
}

}  // namespace
}  // namespace stormlog::reports
