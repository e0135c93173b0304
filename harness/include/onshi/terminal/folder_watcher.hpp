#pragma once
// Watches one folder (the terminal's req/) and hands out each file once it is safe to read,
// never while a writer may still be writing it:
//  - a file that arrived by rename (inotify IN_MOVED_TO, the write-then-rename a careful
//    receipt computer does) is ready at once;
//  - any other file (created or written in place, present before the watcher started, or on a
//    share where inotify says nothing) is ready once its size and mtime have not changed for
//    the settle time, measured on the given clock.
// A file is handed out once; forget() it when it has been taken away so that a new file of
// the same name is seen afresh.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"

namespace onshi::terminal {

class FolderWatcher {
 public:
  // `wanted` picks the names worth watching (others are never handed out). Throws Error(io)
  // naming the folder when it does not exist or cannot be watched.
  FolderWatcher(std::filesystem::path dir, std::chrono::milliseconds settle, const Clock& clock,
                std::function<bool(const std::string&)> wanted);
  ~FolderWatcher();
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

  // The files ready now, in name order, each handed out once.
  std::vector<std::filesystem::path> ready();
  // Whether some wanted file is waiting to settle (so a --once pass is not finished yet).
  bool pending() const { return !settling_.empty(); }
  // Blocks until the folder changes or `timeout` passes, whichever is first.
  void wait(std::chrono::milliseconds timeout);
  void forget(const std::filesystem::path& file);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Settling {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime{};
    MonotonicTime unchanged_since{};
  };
  void drain_events();

  std::filesystem::path dir_;
  std::chrono::milliseconds settle_;
  const Clock& clock_;
  std::function<bool(const std::string&)> wanted_;
  int inotify_fd_ = -1;
  std::set<std::string> renamed_in_;  // arrived by rename and untouched since
  std::map<std::string, Settling> settling_;
  std::set<std::string> handed_out_;
};

}  // namespace onshi::terminal
