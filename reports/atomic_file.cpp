#include "reports/atomic_file.hpp"

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
    if (ec) return fail(error, target.parent_path().string() + ": cannot create directory: " + ec.message());
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
        return fail(error, path + ": cannot rename " + tmp.string() + " into place: " + ec.message());
    }
    return true;
}

}  // namespace stormlog::reports
