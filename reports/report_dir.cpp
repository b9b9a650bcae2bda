#include "reports/report_dir.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "sim/assert.hpp"

namespace stormlog::reports {
namespace {

namespace fs = std::filesystem;

bool fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
}

// The nearest ancestor of `p` that exists (where directories will be made).
fs::path existing_ancestor(fs::path p) {
    std::error_code ec;
    if (p.empty()) return ".";
    while (!fs::exists(p, ec) && p.has_parent_path() && p.parent_path() != p) p = p.parent_path();
    return fs::exists(p, ec) ? p : fs::path(".");
}

}  // namespace

std::string report_dir_problem(const std::string& dir, bool force) {
    std::error_code ec;
    if (dir.empty()) return "an empty path";
    const fs::path target(dir);
    if (fs::exists(target, ec)) {
        if (!fs::is_directory(target, ec)) return dir + " exists and is not a directory";
        if (!fs::is_empty(target, ec) && !force)
            return dir + " exists and is not empty (pass --force to replace it)";
    }
    const fs::path parent = existing_ancestor(fs::absolute(target, ec).parent_path());
    if (!fs::is_directory(parent, ec)) return parent.string() + " is not a directory";
    if (::access(parent.c_str(), W_OK) != 0)
        return parent.string() + ": cannot write in this directory";
    return "";
}

ReportDir::ReportDir(std::string dir, bool force) : dir_(std::move(dir)), force_(force) {
    // "out/" names the directory "out": its staging directory goes beside it, not inside.
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
    staging_ = dir_ + ".partial";
}

ReportDir::~ReportDir() {
    if (!opened_ || committed_) return;
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
}

bool ReportDir::open(std::string& error) {
    if (const std::string why = report_dir_problem(dir_, force_); !why.empty())
        return fail(error, why);
    std::error_code ec;
    fs::remove_all(staging_, ec);  // left by a killed run
    fs::create_directories(staging_, ec);
    if (ec) return fail(error, staging_ + ": cannot create directory: " + ec.message());
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

bool ReportDir::commit(std::string& error) {
    SL_ASSERT(opened_ && !committed_);
    std::error_code ec;
    if (fs::exists(dir_, ec)) {
        if (!fs::is_empty(dir_, ec) && !force_)
            return fail(error, dir_ + " exists and is not empty (pass --force to replace it)");
        fs::remove_all(dir_, ec);
        if (ec) return fail(error, dir_ + ": cannot remove the old report: " + ec.message());
    }
    fs::rename(staging_, dir_, ec);
    if (ec) return fail(error, dir_ + ": cannot move " + staging_ + " into place: " + ec.message());
    committed_ = true;
    return true;
}

}  // namespace stormlog::reports
