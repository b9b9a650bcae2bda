#pragma once
// Output files are written whole or not at all.

#include <string>

namespace stormlog::reports {

// Writes `text` to `path` atomically: to "<path>.tmp" first, then renames it over `path`, so a
// reader (or a killed suite) never sees half a file. Creates missing parent directories. On
// failure returns false and sets `error` to one line naming the file.
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace stormlog::reports
