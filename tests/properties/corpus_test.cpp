// The checker agrees with Knossos and Porcupine on the histories they ship with known verdicts
// (../shared/data/histories, see its README): one test per file.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "properties/linearizability/checker.hpp"
#include "properties/linearizability/history_reader.hpp"

namespace lin = stormlog::properties::linearizability;
namespace fs = std::filesystem;

namespace {

const fs::path k_corpus = fs::path(STORMLOG_SOURCE_DIR "/../shared/data/histories");

struct CorpusFile {
    fs::path path;
    lin::ModelKind model;
    bool linearizable;
};

// Test output names the file rather than dumping the struct's bytes.
void PrintTo(const CorpusFile& file, std::ostream* out) {
    *out << file.path.string();
}

std::vector<CorpusFile> corpus_files() {
    std::vector<CorpusFile> files;
    auto add_dir = [&](const fs::path& dir, lin::ModelKind model, bool linearizable) {
        if (!fs::is_directory(dir)) return;
        for (const auto& entry : fs::directory_iterator(dir)) {
            files.push_back({entry.path(), model, linearizable});
        }
    };
    add_dir(k_corpus / "knossos-cas-register" / "good", lin::ModelKind::cas_register, true);
    add_dir(k_corpus / "knossos-cas-register" / "bad", lin::ModelKind::cas_register, false);
    const fs::path kv = k_corpus / "porcupine-kv";
    if (fs::is_directory(kv)) {
        for (const auto& entry : fs::directory_iterator(kv)) {
            const std::string name = entry.path().filename().string();
            if (name.ends_with("-ok.txt"))
                files.push_back({entry.path(), lin::ModelKind::kv, true});
            if (name.ends_with("-bad.txt"))
                files.push_back({entry.path(), lin::ModelKind::kv, false});
        }
    }
    // Directory order is the file system's: sort so test names come out the same everywhere.
    std::sort(files.begin(), files.end(),
              [](const CorpusFile& a, const CorpusFile& b) { return a.path < b.path; });
    return files;
}

std::string test_name(const testing::TestParamInfo<CorpusFile>& info) {
    std::string name =
        info.param.path.parent_path().filename().string() + "_" + info.param.path.stem().string();
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
}

class CorpusVerdict : public testing::TestWithParam<CorpusFile> {};

TEST_P(CorpusVerdict, MatchesTheKnownVerdict) {
    const CorpusFile& file = GetParam();
    auto text = lin::load_file(file.path.string());
    ASSERT_TRUE(text.ok()) << file.path;
    auto operations =
        lin::parse_history(text.value(), lin::HistoryFormat::automatic, file.path.string());
    ASSERT_TRUE(operations.ok()) << file.path << ":" << operations.error().line << ": "
                                 << operations.error().what;
    lin::CheckOptions options;
    options.model = file.model;
    if (file.model == lin::ModelKind::cas_register) options.initial = 0;  // Knossos' corpus
    auto report = lin::check_operations(operations.value(), options);
    ASSERT_TRUE(report.ok()) << report.error().what;
    const lin::Verdict expected =
        file.linearizable ? lin::Verdict::linearizable : lin::Verdict::not_linearizable;
    EXPECT_EQ(lin::verdict_name(report.value().verdict), std::string(lin::verdict_name(expected)));
    if (!file.linearizable) {
        EXPECT_FALSE(report.value().details.empty());
    }
}

INSTANTIATE_TEST_SUITE_P(SharedHistories, CorpusVerdict, testing::ValuesIn(corpus_files()),
                         test_name);

// A fresh clone must not silently test nothing: the README promises 113 + 7 + 6 files.
TEST(CorpusVerdict, FindsEveryReferenceHistory) {
    EXPECT_EQ(corpus_files().size(), 113u + 7u + 6u) << "corpus at " << k_corpus;
}

}  // namespace
