// Result files appear whole or not at all.

#include "reports/atomic_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/files.hpp"

namespace stormlog::reports {
namespace {

using test_support::fresh_dir;
using test_support::read_text;
using test_support::write_text;
namespace fs = std::filesystem;

// ---- files ----

TEST(SuiteFiles, AtomicWriteCreatesParentsAndLeavesNoTmp) {
    const fs::path dir = fresh_dir();
    const fs::path file = dir / "a" / "b" / "seed-1.json";
    std::string error;
    ASSERT_TRUE(write_file_atomically(file.string(), "first\n", error)) << error;
    ASSERT_TRUE(write_file_atomically(file.string(), "second\n", error)) << error;
    EXPECT_EQ(read_text(file), "second\n");
    EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
    fs::remove_all(dir);
}

TEST(SuiteFiles, AtomicStreamAppearsOnlyWhenCommitted) {
    const fs::path dir = fresh_dir();
    const fs::path file = dir / "events.jsonl";
    write_text(file, "old\n");
    std::string error;
    {
        AtomicFileStream stream(file.string());
        ASSERT_TRUE(stream.open(error)) << error;
        stream.out() << "half a file";
        EXPECT_EQ(read_text(file), "old\n");  // not yet
    }                                         // dropped uncommitted: as if never written
    EXPECT_EQ(read_text(file), "old\n");
    EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
    AtomicFileStream stream(file.string());
    ASSERT_TRUE(stream.open(error)) << error;
    stream.out() << "line 1\n"
                 << "line 2\n";
    ASSERT_TRUE(stream.commit(error)) << error;
    EXPECT_EQ(read_text(file), "line 1\nline 2\n");
    EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
    fs::remove_all(dir);
}

TEST(SuiteFiles, AtomicWriteFailureNamesTheFile) {
    const fs::path dir = fresh_dir();
    write_text(dir / "plain", "a file, not a directory");
    std::string error;
    EXPECT_FALSE(write_file_atomically((dir / "plain" / "x.json").string(), "x", error));
    EXPECT_EQ(error.rfind((dir / "plain").string() + ": cannot create directory: ", 0), 0u)
        << error;
    fs::remove_all(dir);
}

TEST(OutputPath, ProblemsAreFoundBeforeAnythingIsWritten) {
    const fs::path dir = fresh_dir();
    EXPECT_EQ(output_path_problem((dir / "h.jsonl").string(), false), "");
    EXPECT_EQ(output_path_problem(dir.string(), false),
              dir.string() + " is a directory (name a file in it)");
    EXPECT_EQ(output_path_problem((dir / "missing" / "h.jsonl").string(), false),
              (dir / "missing").string() + ": no such directory");
    EXPECT_EQ(output_path_problem((dir / "missing" / "deeper" / "x.json").string(), true), "")
        << "a suite's --out tree is made as needed";
    write_text(dir / "plain", "a file");
    EXPECT_EQ(output_path_problem((dir / "plain" / "x.json").string(), false),
              (dir / "plain").string() + " is not a directory");
    EXPECT_FALSE(fs::exists(dir / "missing")) << "checking writes nothing";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace stormlog::reports
