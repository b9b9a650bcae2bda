#pragma once
// A report directory, written whole or not at all: files go into a staging directory of its own
// beside it ("<dir>.partial-XXXXXX"), which takes the directory's place only when every file is
// written. A run that is killed, or a write that fails, leaves the old directory (or none) and
// no half report. A directory that exists and holds files is refused unless `force` is given,
// and even then only if it holds an earlier report (report.json or summary.json): --force never
// deletes a directory of other files. The working directory and its ancestors are refused.

#include <string>

namespace stormlog::reports {

// Why `dir` cannot take a report, or "": it names an existing non-empty directory (and not
// `force`), a file, or a place where no directory can be made. Checked before a run spends its
// time; the write can still fail later (a full disk), and says so then.
std::string report_dir_problem(const std::string& dir, bool force);

class ReportDir {
  public:
    ReportDir(std::string dir, bool force);
    ~ReportDir();  // removes the staging directory unless committed
    ReportDir(const ReportDir&) = delete;
    ReportDir& operator=(const ReportDir&) = delete;

    // Creates the staging directory. On failure returns false with `error` naming the path.
    bool open(std::string& error);
    // Writes `text` at `relative` (may contain '/': directories are made) in the staging
    // directory. REQUIRES: open() succeeded.
    bool write(const std::string& relative, const std::string& text, std::string& error);
    // Puts the staging directory in the target's place.
    bool commit(std::string& error);

    const std::string& dir() const { return dir_; }

  private:
    std::string dir_;
    std::string staging_;  // made by open()
    bool force_;
    bool opened_ = false;
    bool committed_ = false;
};

}  // namespace stormlog::reports
