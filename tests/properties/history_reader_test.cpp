// Reading histories: JSON lines and EDN into operations, with Jepsen's semantics, and malformed
// input reported with its line.

#include "properties/linearizability/history_reader.hpp"

#include <gtest/gtest.h>

namespace lin = stormlog::properties::linearizability;

namespace {

lin::InputError parse_error(std::string_view text, lin::HistoryFormat format) {
    auto parsed = lin::parse_history(text, format);
    if (parsed.ok()) {
        ADD_FAILURE() << "expected an error for:\n" << text;
        return {};
    }
    return parsed.error();
}

bool mentions(const lin::InputError& error, std::string_view words) {
    return error.what.find(words) != std::string::npos;
}

TEST(JsonlReader, PairsInvokesWithCompletionsAndDropsFailures) {
    const char* text =
        R"({"process":0,"type":"invoke","f":"write","value":4,"time":1000}
{"process":1,"type":"invoke","f":"cas","value":[4,7],"time":1200}
{"process":0,"type":"ok","f":"write","value":4,"time":1900}

{"process":1,"type":"fail","f":"cas","value":[4,7],"time":2100}
{"process":2,"type":"invoke","f":"read","value":null,"time":2500}
{"process":2,"type":"ok","f":"read","value":4,"time":2800}
{"process":3,"type":"invoke","f":"write","key":"k","value":1}
)";
    auto parsed = lin::parse_history(text, lin::HistoryFormat::jsonl);
    ASSERT_TRUE(parsed.ok()) << parsed.error().what;
    const auto& ops = parsed.value();
    ASSERT_EQ(ops.size(), 3u);  // the failed cas did not happen
    EXPECT_EQ(ops[0].f, "write");
    EXPECT_EQ(ops[0].status, lin::OpStatus::ok);
    EXPECT_EQ(ops[0].invoke_line, 1u);
    EXPECT_EQ(ops[0].complete_line, 3u);
    EXPECT_EQ(ops[0].complete_time, 1900);
    EXPECT_EQ(ops[1].output, 4);
    EXPECT_EQ(ops[1].complete_line, 7u);
    EXPECT_EQ(ops[2].status, lin::OpStatus::info);  // never completed
    EXPECT_EQ(ops[2].complete_seq, lin::k_never);
    EXPECT_EQ(ops[2].key, "k");
}

TEST(JsonlReader, ReportsInvalidJsonWithItsLine) {
    const auto error = parse_error(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n{\"process\":",
        lin::HistoryFormat::jsonl);
    EXPECT_EQ(error.line, 2u);
    EXPECT_TRUE(mentions(error, "invalid JSON")) << error.what;
}

TEST(JsonlReader, ReportsMissingAndMistypedFields) {
    using F = lin::HistoryFormat;
    EXPECT_TRUE(mentions(parse_error(R"({"type":"invoke","f":"read","value":null})", F::jsonl),
                         "missing \"process\""));
    EXPECT_TRUE(
        mentions(parse_error(R"({"process":1,"type":"done","f":"read","value":null})", F::jsonl),
                 "\"type\" must be"));
    EXPECT_TRUE(
        mentions(parse_error(R"({"process":1,"type":"invoke","f":3,"value":null})", F::jsonl),
                 "\"f\" must be a string"));
    EXPECT_TRUE(mentions(parse_error(R"({"process":1,"type":"invoke","f":"read"})", F::jsonl),
                         "missing \"value\""));
    EXPECT_TRUE(mentions(
        parse_error(R"({"process":1,"type":"invoke","f":"r","value":1,"time":"x"})", F::jsonl),
        "\"time\" must be an integer"));
    EXPECT_TRUE(mentions(parse_error("[1,2]", F::jsonl), "expected a JSON object"));
}

TEST(HistoryPairing, RefusesAnInvokeWhileTheProcessHasOnePending) {
    const auto error = parse_error(
        "{:process 1 :type :invoke :f :read :value nil}\n"
        "{:process 1 :type :invoke :f :read :value nil}\n",
        lin::HistoryFormat::edn);
    EXPECT_EQ(error.line, 2u);
    EXPECT_TRUE(mentions(error, "still pending")) << error.what;
}

TEST(HistoryPairing, RefusesACompletionWithoutAnInvoke) {
    const auto error =
        parse_error("{:process 1 :type :ok :f :read :value 3}", lin::HistoryFormat::edn);
    EXPECT_EQ(error.line, 1u);
    EXPECT_TRUE(mentions(error, "without a pending invoke")) << error.what;
}

TEST(HistoryPairing, RefusesACompletionOfADifferentFunction) {
    const auto error = parse_error(
        "{:process 1 :type :invoke :f :read :value nil}\n{:process 1 :type :ok :f :write :value 3}",
        lin::HistoryFormat::edn);
    EXPECT_EQ(error.line, 2u);
    EXPECT_TRUE(mentions(error, "does not match")) << error.what;
}

TEST(EdnHistory, ReadsAVectorOfOpsAndDropsNonClientProcesses) {
    const char* text = R"(; a Knossos-style history
[{:process 0, :type :invoke, :f :write, :value 1}
 {:process :nemesis, :type :info, :f :start, :value "cut off"}
 {:process 0 :type :ok :f :write :value 1}   ; a missing comma
 {:process 1, :type :invoke, :f :read, :value nil}
 {:process 1, :type :info, :f :read, :value nil, :error [:timeout nil]}])";
    auto parsed = lin::parse_history(text, lin::HistoryFormat::edn);
    ASSERT_TRUE(parsed.ok()) << parsed.error().line << ": " << parsed.error().what;
    ASSERT_EQ(parsed.value().size(), 2u);
    EXPECT_EQ(parsed.value()[0].invoke_line, 2u);
    EXPECT_EQ(parsed.value()[0].complete_line, 4u);
    EXPECT_EQ(parsed.value()[1].status, lin::OpStatus::info);
    EXPECT_EQ(parsed.value()[1].complete_line, 6u);
}

TEST(EdnHistory, ReadsOneMapPerLine) {
    const char* text =
        "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}\n"
        "{:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}\n";
    auto parsed = lin::parse_history(text, lin::HistoryFormat::edn);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed.value().size(), 1u);
    EXPECT_EQ(parsed.value()[0].key, "0");
    EXPECT_EQ(parsed.value()[0].output, "x 0 0 y");
}

TEST(EdnHistory, ReportsOpsThatAreNotMapsOrLackAType) {
    EXPECT_TRUE(mentions(
        parse_error("[{:process 0 :type :invoke :f :read :value nil} 3]", lin::HistoryFormat::edn),
        "expected an operation map"));
    const auto error =
        parse_error("[{:process 0 :type :invoke :f :read :value nil}\n{:process 1 :f :read}]",
                    lin::HistoryFormat::edn);
    EXPECT_EQ(error.line, 2u);
    EXPECT_TRUE(mentions(error, ":type must be")) << error.what;
    EXPECT_TRUE(
        mentions(parse_error("[{:process 0 :type :invoke :f :read}] [1]", lin::HistoryFormat::edn),
                 "after the history"));
}

TEST(HistoryFormat, IsDetectedByExtensionThenContent) {
    using F = lin::HistoryFormat;
    EXPECT_EQ(lin::detect_format("h.jsonl", "[1]"), F::jsonl);
    EXPECT_EQ(lin::detect_format("h.edn", "{\"a\":1}"), F::edn);
    EXPECT_EQ(lin::detect_format("h.txt", "  {\"process\":1}"), F::jsonl);
    EXPECT_EQ(lin::detect_format("h.txt", "{:process 1}"), F::edn);
    EXPECT_EQ(lin::detect_format("h.txt", "; comment\n[{:process 1}]"), F::edn);
    EXPECT_EQ(lin::detect_format("", "[{:process 1}]"), F::edn);
}

}  // namespace
