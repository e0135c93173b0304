#include "onshi/receipt/request_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/population/search_inquiry_for.hpp"
#include "onshi/terminal/request_name.hpp"

namespace onshi::receipt {
namespace {

std::string sequence_text(unsigned n) {
  std::string s = std::to_string(n % 10'000);
  return std::string(4 - s.size(), '0') + s;
}

[[noreturn]] void fail_io(const std::string& what, const std::filesystem::path& where, int error) {
  throw Error(ErrorCode::io, what + ": " + std::strerror(error), where.string());
}

}  // namespace

std::string request_bytes(const SessionRequest& request, const population::Patient& patient,
                          const std::string& facility_code, WallTime now) {
  ons::QualificationSearchInquiry inquiry = population::search_inquiry_for(patient, facility_code, format_jst_date(now));
  inquiry.header.arbitrary_file_identifier = request.identifier;
  std::string bytes = ons::from_canonical(ons::encode_xml(inquiry), {ons::WireSyntax::xml, request.encoding});
  if (request.body == RequestBody::truncated) bytes.resize(bytes.size() / 2);
  return bytes;
}

std::string free_request_name(const std::filesystem::path& root, WallTime now, unsigned first_sequence) {
  const std::string day = format_jst_date(now);
  for (unsigned n = first_sequence; n < first_sequence + 10'000; ++n) {
    const std::string name = "OQSsiquc01req_" + day + "_" + sequence_text(n) + ".xml";
    const std::string answer = terminal::response_name(name);
    std::error_code ec;
    if (!std::filesystem::exists(root / "req" / name, ec) && !std::filesystem::exists(root / "res" / answer, ec) &&
        !std::filesystem::exists(root / "trash" / name, ec)) {
      return name;
    }
  }
  throw Error(ErrorCode::io, "no free request sequence number for " + day + " (10,000 taken)", (root / "req").string());
}

void drop_request(const std::filesystem::path& req_dir, const std::string& name, const std::string& bytes) {
  // The dot-file is outside the request grammar, so the terminal leaves it alone until the rename.
  const std::filesystem::path staging = req_dir / ("." + name + ".writing");
  const int fd = ::open(staging.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_io("cannot write a request into the terminal's req/ folder", req_dir, errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(staging.c_str());
      fail_io("cannot write the request " + name, req_dir, error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(staging.c_str());
    fail_io("cannot write the request " + name, req_dir, error);
  }
  if (std::rename(staging.c_str(), (req_dir / name).c_str()) != 0) {
    const int error = errno;
    ::unlink(staging.c_str());
    fail_io("cannot rename the request into place as " + name, req_dir, error);
  }
}

}  // namespace onshi::receipt
