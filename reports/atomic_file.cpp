#include "reports/atomic_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
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
    if (parents_created) {
        // The nearest existing ancestor is where directories will be made.
        while (!fs::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir)
            dir = dir.parent_path();
    }
    if (!fs::exists(dir, ec)) return dir.string() + ": no such directory";
    if (!fs::is_directory(dir, ec)) return dir.string() + " is not a directory";
    if (::access(dir.c_str(), W_OK) != 0) return dir.string() + ": cannot write in this directory";
    return "";
}

}  // namespace stormlog::reports
