#include "onshi/core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "onshi/core/error.hpp"

namespace onshi {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

}  // namespace

void write_file_atomically(const std::filesystem::path& file, std::string_view content, mode_t mode, FileSync sync) {
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) throw Error(ErrorCode::io, "cannot create directory: " + ec.message(), file.parent_path().string());
  }
  // Unique per process and call: two writers of one file never share a temporary.
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path temporary =
      file.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw Error(ErrorCode::io, "cannot create file: " + errno_text(errno), temporary.string());
  int error = ::fchmod(fd, mode) == 0 ? 0 : errno;
  std::size_t done = 0;
  while (error == 0 && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (error == 0 && sync == FileSync::to_disk && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), file.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    throw Error(ErrorCode::io, "cannot write file: " + errno_text(error), file.string());
  }
}

}  // namespace onshi
