#include "reports/report_dir.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "reports/atomic_file.hpp"
#include "sim/assert.hpp"

namespace stormlog::reports {
namespace {

namespace fs = std::filesystem;

bool fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
}

// `dir` as an absolute path without "." or ".." parts or a trailing separator, so that "out/",
// "./out" and "x/../out" all name the directory "out" and its siblings are found beside it.
fs::path normal(const std::string& dir) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec).lexically_normal();
    if (p.filename().empty() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

// Whether `p` is the working directory or holds it: replacing it would pull the floor away.
bool holds_working_directory(const fs::path& p) {
    std::error_code ec;
    const fs::path here = fs::current_path(ec).lexically_normal();
    if (ec) return false;
    const fs::path rel = here.lexically_relative(p);
    return !rel.empty() && *rel.begin() != "..";
}

// A directory --force may replace: an earlier report (it holds report.json or summary.json).
bool is_report(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p / "report.json", ec) || fs::exists(p / "summary.json", ec);
}

}  // namespace

std::string report_dir_problem(const std::string& dir, bool force) {
    std::error_code ec;
    if (dir.empty()) return "an empty path";
    const fs::path target = normal(dir);
    if (target == target.root_path() || holds_working_directory(target))
        return dir + " is the working directory or holds it: name a directory for the report";
    if (fs::exists(target, ec)) {
        if (!fs::is_directory(target, ec)) return dir + " exists and is not a directory";
        if (!fs::is_empty(target, ec)) {
            if (!force) return dir + " exists and is not empty (pass --force to replace it)";
            if (!is_report(target))
                return dir +
                       " holds files and no report (no report.json or summary.json): "
                       "--force replaces only an earlier report";
        }
    }
    const fs::path parent = nearest_existing(target.parent_path());
    if (!fs::is_directory(parent, ec)) return parent.string() + " is not a directory";
    if (::access(parent.c_str(), W_OK) != 0)
        return parent.string() + ": cannot write in this directory";
    return "";
}

ReportDir::ReportDir(std::string dir, bool force) : dir_(std::move(dir)), force_(force) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();  // "out/" reads "out"
}

ReportDir::~ReportDir() {
    if (!opened_ || committed_) return;
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
}

bool ReportDir::open(std::string& error) {
    if (const std::string why = report_dir_problem(dir_, force_); !why.empty())
        return fail(error, why);
    const fs::path target = normal(dir_);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
        return fail(error,
                    target.parent_path().string() + ": cannot create directory: " + ec.message());
    // A staging directory of its own beside the target: two commands writing one report do not
    // write into each other's, and a killed one leaves "<dir>.partial-XXXXXX", never "<dir>".
    std::string pattern = target.string() + ".partial-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (::mkdtemp(name.data()) == nullptr)
        return fail(error, pattern + ": cannot create the staging directory");
    staging_ = name.data();
    opened_ = true;
    return true;
}

bool ReportDir::write(const std::string& relative, const std::string& text, std::string& error) {
    SL_ASSERT(opened_ && !committed_);
    const fs::path path = fs::path(staging_) / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return fail(error,
                    path.parent_path().string() + ": cannot create directory: " + ec.message());
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(text.data(), static_cast<std::streamsize>(text.size()));
    file.close();
    if (!file) return fail(error, path.string() + ": cannot write");
    return true;
}

// An earlier report is moved aside, the new one renamed into its place, then the old one
// removed: at every moment the target is a whole report, the old or the new.
bool ReportDir::commit(std::string& error) {
    SL_ASSERT(opened_ && !committed_);
    if (const std::string why = report_dir_problem(dir_, force_); !why.empty())
        return fail(error, why);  // the target changed while the run went
    const fs::path target = normal(dir_);
    std::error_code ec;
    fs::path old;
    if (fs::exists(target, ec)) {
        old = fs::path(staging_ + ".old");
        fs::rename(target, old, ec);
        if (ec) return fail(error, dir_ + ": cannot move the old report aside: " + ec.message());
    }
    fs::rename(staging_, target, ec);
    if (ec) return fail(error, dir_ + ": cannot move " + staging_ + " into place: " + ec.message());
    committed_ = true;
    if (!old.empty()) fs::remove_all(old, ec);
    return true;
}

}  // namespace stormlog::reports
