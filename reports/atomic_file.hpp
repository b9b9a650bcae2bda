#pragma once
// Output files are written whole or not at all.

#include <filesystem>
#include <fstream>
#include <string>

namespace stormlog::reports {

// A file written piece by piece but published whole, like write_file_atomically below: the text
// goes to "<path>.tmp", and commit() renames it over `path`. Until then `path` is untouched (an
// older file of that name stays as it was); destroyed uncommitted - an error, an exception - it
// removes the temporary file. For outputs too large to build in memory first (an event log).
class AtomicFileStream {
  public:
    explicit AtomicFileStream(std::string path) : path_(std::move(path)) {}
    ~AtomicFileStream();
    AtomicFileStream(const AtomicFileStream&) = delete;
    AtomicFileStream& operator=(const AtomicFileStream&) = delete;

    // Creates missing parent directories and the temporary file. On failure returns false and
    // sets `error` to one line naming the file.
    bool open(std::string& error);
    // Where the text goes. REQUIRES: open() succeeded, commit() not yet called.
    std::ostream& out() { return file_; }
    // Closes the temporary file and renames it over `path`. On failure (a write that failed on
    // the way, a full disk) returns false, sets `error`, and removes the temporary file.
    bool commit(std::string& error);

  private:
    std::string path_;
    std::ofstream file_;
    bool pending_ = false;  // a temporary file exists that commit() has not published
};

// Writes `text` to `path` atomically: to "<path>.tmp" first, then renames it over `path`, so a
// reader (or a killed suite) never sees half a file. Creates missing parent directories. On
// failure returns false and sets `error` to one line naming the file.
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

// Why a file could not be written at `path`, found before a run spends its time: the path is a
// directory, or its directory does not exist (with `parents_created` false: a file the user names
// goes where they said, while a suite's --out tree is made as needed) or cannot be written in.
// Empty when a write should succeed.
std::string output_path_problem(const std::string& path, bool parents_created);

// The nearest of `p` and its ancestors that exists: where missing directories would be made.
std::filesystem::path nearest_existing(std::filesystem::path p);

// The whole of the file at `path`. On failure returns false and sets `error` to "<path>: cannot
// read".
bool read_file(const std::string& path, std::string& text, std::string& error);

}  // namespace stormlog::reports
