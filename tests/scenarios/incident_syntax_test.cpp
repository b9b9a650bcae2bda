// Incident timelines, their syntax: ISO-8601 timestamps, CSV cells, and which lines are the
// header and which the events, in both JSON lines and CSV.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/incident/csv.hpp"
#include "scenarios/incident/iso_time.hpp"
#include "scenarios/incident/records.hpp"

namespace stormlog::scenarios::incident {
namespace {

constexpr int64_t k_s = 1'000'000'000;
constexpr int64_t k_oct_21_22_52 = 1540162320;  // 2018-10-21T22:52:00Z, seconds since 1970

std::string why_not(const std::string& text) {
    const IsoTime t = parse_iso_time(text);
    EXPECT_FALSE(t.ns.has_value()) << text;
    return t.why_not;
}

TEST(IncidentTime, UtcAndOffsetsNameTheSameInstant) {
    EXPECT_EQ(parse_iso_time("2018-10-21T22:52:00Z").ns, k_oct_21_22_52 * k_s);
    EXPECT_EQ(parse_iso_time("2018-10-21T15:52:00-07:00").ns, k_oct_21_22_52 * k_s);
    EXPECT_EQ(parse_iso_time("2018-10-22T04:22:00+0530").ns, k_oct_21_22_52 * k_s);
    EXPECT_EQ(parse_iso_time("2018-10-21 22:52:00z").ns, k_oct_21_22_52 * k_s);
}

TEST(IncidentTime, FractionsAreExactToTheNanosecond) {
    EXPECT_EQ(parse_iso_time("2018-10-21T22:52:00.5Z").ns, k_oct_21_22_52 * k_s + k_s / 2);
    EXPECT_EQ(parse_iso_time("2018-10-21T22:52:00.000000001Z").ns, k_oct_21_22_52 * k_s + 1);
    EXPECT_EQ(parse_iso_time("2018-10-21T22:52:00,25Z").ns, k_oct_21_22_52 * k_s + k_s / 4);
}

TEST(IncidentTime, LeapYearsFollowTheGregorianRules) {
    EXPECT_EQ(parse_iso_time("2000-02-29T12:00:00Z").ns, int64_t{951825600} * k_s);
    EXPECT_EQ(parse_iso_time("2199-12-31T23:59:59Z").ns, int64_t{7258118399} * k_s);
    EXPECT_EQ(why_not("2100-02-29T00:00:00Z"), "day 29 of month 2");
    EXPECT_TRUE(parse_iso_time("2024-02-29T00:00:00Z").ns.has_value());
}

TEST(IncidentTime, ABadTimestampSaysWhatIsWrong) {
    EXPECT_EQ(why_not("2018-13-01T00:00:00Z"), "month 13");
    EXPECT_EQ(why_not("2018-10-21T22:52:00"),
              "no time zone (end it with Z or an offset like +02:00)");
    EXPECT_EQ(why_not("2018-10-21T24:00:00Z"), "no such time of day 24:00:00");
    EXPECT_EQ(why_not("2018-10-21T23:59:60Z"), "no such time of day 23:59:60");
    EXPECT_EQ(why_not("21/10/2018 22:52"), "not a date YYYY-MM-DD");
    EXPECT_EQ(why_not("2018-10-21"), "no time after the date (YYYY-MM-DDTHH:MM:SS)");
    EXPECT_EQ(why_not("2018-10-21T22:52Z"), "the time of day is not HH:MM:SS");
    EXPECT_EQ(why_not("2018-10-21T22:52:00.1234567890Z"),
              "the fraction of a second has not 1 to 9 digits");
    EXPECT_EQ(why_not("2018-10-21T22:52:00+25:00"), "the zone offset is not +HH:MM or -HH:MM");
    EXPECT_EQ(why_not("2018-10-21T22:52:00Z trailing"), "text after the time zone");
    EXPECT_EQ(why_not("1969-12-31T23:59:59Z"), "year 1969 is not in 1970..2199");
    EXPECT_EQ(why_not(""), "not a date YYYY-MM-DD");
}

std::vector<std::string> cells(const std::string& line) {
    const CsvRow row = split_csv_row(line);
    EXPECT_TRUE(row.ok) << row.reason;
    return row.cells;
}

TEST(IncidentCsv, QuotedCellsHoldCommasAndDoubledQuotes) {
    EXPECT_EQ(cells(R"(a,"b,c","say ""hi""",)"),
              (std::vector<std::string>{"a", "b,c", "say \"hi\"", ""}));
    EXPECT_EQ(cells(R"("")"), (std::vector<std::string>{""}));
}

TEST(IncidentCsv, SpacesAroundCellsAreDropped) {
    EXPECT_EQ(cells(R"(  a , "b " ,c)"), (std::vector<std::string>{"a", "b ", "c"}));
}

TEST(IncidentCsv, BadQuotingIsRefusedAtItsColumn) {
    const auto refused = [](const std::string& line, size_t column, const std::string& reason) {
        const CsvRow row = split_csv_row(line);
        EXPECT_FALSE(row.ok) << line;
        EXPECT_EQ(row.column, column) << line;
        EXPECT_EQ(row.reason, reason) << line;
    };
    refused(R"(a,"b,c)", 3, "a quoted cell does not end on its line");
    refused(R"(a,b"c",d)", 4,
            "a quote inside an unquoted cell (quote the whole cell and double the quotes in it)");
    refused(R"("a"b,c)", 4, "text after a closing quote");
}

TEST(IncidentRecords, JsonLinesSplitIntoHeaderAndEvents) {
    Problems p("t.jsonl");
    const Records r = read_records(
        "# a comment\n{\"name\": \"x\"}\n\n{\"time\": \"t\", \"event\": \"e\"}\r\n", p);
    EXPECT_EQ(p.count(), 0u);
    ASSERT_EQ(r.header.size(), 1u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.header[0].line, 2u);
    EXPECT_EQ(r.events[0].line, 4u);
    EXPECT_EQ(r.events[0].fields["event"], "e");
}

TEST(IncidentRecords, CsvRowsAboveTheHeaderRowAreSettingsHostsAndGroups) {
    Problems p("t.csv");
    const Records r = read_records(
        "name,x\nhost,db1,n1\ngroup,g,db1\n,,\ntime,event,host\n2018,node-down,db1,\n", p);
    EXPECT_EQ(p.finish(), std::vector<std::string>{});
    ASSERT_EQ(r.header.size(), 3u);
    EXPECT_EQ(r.header[0].fields, (Json{{"name", "x"}}));
    EXPECT_EQ(r.header[1].fields, (Json{{"hosts", {{"db1", "n1"}}}}));
    EXPECT_EQ(r.header[2].fields, (Json{{"groups", {{"g", {"db1"}}}}}));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].line, 6u);
    EXPECT_EQ(r.events[0].fields,
              (Json{{"time", "2018"}, {"event", "node-down"}, {"host", "db1"}}));
}

TEST(IncidentRecords, AByteOrderMarkIsSkipped) {
    Problems p("t.csv");
    const Records r = read_records("\xEF\xBB\xBFname,x\n", p);
    ASSERT_EQ(r.header.size(), 1u);
    EXPECT_EQ(r.header[0].fields, (Json{{"name", "x"}}));
}

}  // namespace
}  // namespace stormlog::scenarios::incident
