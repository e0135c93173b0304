#include "onshi/terminal/folder_watcher.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <system_error>

#include "onshi/core/error.hpp"

namespace onshi::terminal {

FolderWatcher::FolderWatcher(std::filesystem::path dir, std::chrono::milliseconds settle, const Clock& clock,
                             std::function<bool(const std::string&)> wanted)
    : dir_(std::move(dir)), settle_(settle), clock_(clock), wanted_(std::move(wanted)) {
  if (!std::filesystem::is_directory(dir_)) throw Error(ErrorCode::io, "not a folder", dir_.string());
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) throw Error(ErrorCode::io, std::string("inotify_init1: ") + std::strerror(errno), dir_.string());
  const std::uint32_t mask = IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM;
  if (inotify_add_watch(inotify_fd_, dir_.c_str(), mask) < 0) {
    const int saved = errno;
    ::close(inotify_fd_);
    throw Error(ErrorCode::io, std::string("cannot watch the folder: ") + std::strerror(saved), dir_.string());
  }
}

FolderWatcher::~FolderWatcher() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void FolderWatcher::drain_events() {
  alignas(inotify_event) std::array<char, 8192> buffer{};
  for (;;) {
    const ssize_t n = ::read(inotify_fd_, buffer.data(), buffer.size());
    if (n <= 0) return;  // EAGAIN: drained
    std::size_t at = 0;
    while (at + sizeof(inotify_event) <= static_cast<std::size_t>(n)) {
      inotify_event event{};
      std::memcpy(&event, buffer.data() + at, sizeof(inotify_event));
      const std::string name = event.len > 0 ? std::string(buffer.data() + at + sizeof(inotify_event)) : std::string();
      at += sizeof(inotify_event) + event.len;
      if ((event.mask & IN_Q_OVERFLOW) != 0) {
        // Events were lost: nothing counts as renamed-in any more; every file settles.
        renamed_in_.clear();
        continue;
      }
      if (name.empty()) continue;
      if ((event.mask & IN_MOVED_TO) != 0) {
        renamed_in_.insert(name);
        settling_.erase(name);
        handed_out_.erase(name);  // a new file under an old name
      } else if ((event.mask & (IN_DELETE | IN_MOVED_FROM)) != 0) {
        renamed_in_.erase(name);
        settling_.erase(name);
        handed_out_.erase(name);
      } else if ((event.mask & IN_CREATE) != 0) {
        renamed_in_.erase(name);
        handed_out_.erase(name);
      } else if ((event.mask & (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE)) != 0) {
        // Written after it arrived: a writer is at work in place, so it must settle.
        renamed_in_.erase(name);
      }
    }
  }
}

std::vector<std::filesystem::path> FolderWatcher::ready() {
  drain_events();
  std::vector<std::filesystem::path> out;
  const MonotonicTime now = clock_.monotonic_now();
  std::set<std::string> seen;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!wanted_(name) || handed_out_.count(name) != 0) continue;
    std::error_code stat_ec;
    if (!it->is_regular_file(stat_ec)) continue;
    seen.insert(name);
    if (renamed_in_.count(name) != 0) {
      out.push_back(it->path());
      continue;
    }
    const std::uintmax_t size = std::filesystem::file_size(it->path(), stat_ec);
    const auto mtime = std::filesystem::last_write_time(it->path(), stat_ec);
    if (stat_ec) continue;  // gone between the listing and the stat
    auto [entry, fresh] = settling_.try_emplace(name, Settling{size, mtime, now});
    if (!fresh && (entry->second.size != size || entry->second.mtime != mtime)) {
      entry->second = Settling{size, mtime, now};
    } else if (!fresh && now - entry->second.unchanged_since >= settle_) {
      out.push_back(it->path());
    }
  }
  // Forget what vanished without an event (a share, an overflow).
  for (auto it = settling_.begin(); it != settling_.end();) {
    it = seen.count(it->first) == 0 ? settling_.erase(it) : std::next(it);
  }
  std::sort(out.begin(), out.end());
  for (const auto& path : out) {
    const std::string name = path.filename().string();
    handed_out_.insert(name);
    renamed_in_.erase(name);
    settling_.erase(name);
  }
  return out;
}

void FolderWatcher::wait(std::chrono::milliseconds timeout) {
  pollfd p{inotify_fd_, POLLIN, 0};
  const auto ms = timeout.count() > 60'000 ? 60'000 : static_cast<int>(timeout.count());
  ::poll(&p, 1, ms < 0 ? 0 : ms);
}

void FolderWatcher::forget(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  handed_out_.erase(name);
  renamed_in_.erase(name);
  settling_.erase(name);
}

}  // namespace onshi::terminal
