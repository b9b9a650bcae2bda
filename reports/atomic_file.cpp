#include "reports/atomic_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace stormlog::reports {
namespace {

namespace fs = std::filesystem;

bool fail(std::string& error, std::string message) {
    error = std::move(message);
    return false;
}

}  // namespace

AtomicFileStream::~AtomicFileStream() {
    if (!pending_) return;
    file_.close();
    std::error_code ignored;
    fs::remove(path_ + ".tmp", ignored);
}

bool AtomicFileStream::open(std::string& error) {
    const fs::path target(path_);
    std::error_code ec;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
    if (ec)
        return fail(error,
                    target.parent_path().string() + ": cannot create directory: " + ec.message());
    file_.open(path_ + ".tmp", std::ios::binary | std::ios::trunc);
    if (!file_) return fail(error, path_ + ".tmp: cannot write");
    pending_ = true;
    return true;
}

bool AtomicFileStream::commit(std::string& error) {
    const std::string tmp = path_ + ".tmp";
    std::error_code ec;
    file_.close();
    if (!file_) {
        pending_ = false;
        fs::remove(tmp, ec);
        return fail(error, tmp + ": cannot write");
    }
    pending_ = false;
    fs::rename(tmp, path_, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return fail(error, path_ + ": cannot rename " + tmp + " into place: " + ec.message());
    }
    return true;
}

bool write_file_atomically(const std::string& path, const std::string& text, std::string& error) {
    AtomicFileStream file(path);
    if (!file.open(error)) return false;
    file.out().write(text.data(), static_cast<std::streamsize>(text.size()));
    return file.commit(error);
}

std::string output_path_problem(const std::string& path, bool parents_created) {
    std::error_code ec;
    const fs::path target(path);
    if (path.empty()) return "an empty path";
    if (fs::is_directory(target, ec)) return path + " is a directory (name a file in it)";
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    if (parents_created) dir = nearest_existing(dir);
    if (!fs::exists(dir, ec)) return dir.string() + ": no such directory";
    if (!fs::is_directory(dir, ec)) return dir.string() + " is not a directory";
    if (::access(dir.c_str(), W_OK) != 0) return dir.string() + ": cannot write in this directory";
    return "";
}

fs::path nearest_existing(fs::path p) {
    std::error_code ec;
    while (!fs::exists(p, ec) && p.has_parent_path() && p.parent_path() != p) p = p.parent_path();
    return p;
}

bool read_file(const std::string& path, std::string& text, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in || in.bad()) return fail(error, path + ": cannot read");
    text = buffer.str();
    return true;
}

}  // namespace stormlog::reports
