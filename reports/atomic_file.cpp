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

bool write_file_atomically(const std::string& path, const std::string& text, std::string& error) {
    const fs::path target(path);
    const fs::path tmp(path + ".tmp");
    std::error_code ec;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
    if (ec)
        return fail(error,
                    target.parent_path().string() + ": cannot create directory: " + ec.message());
    {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        file.close();
        if (!file) {
            fs::remove(tmp, ec);
            return fail(error, tmp.string() + ": cannot write");
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return fail(error,
                    path + ": cannot rename " + tmp.string() + " into place: " + ec.message());
    }
    return true;
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
