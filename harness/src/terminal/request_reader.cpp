#include "onshi/terminal/request_reader.hpp"

#include <cerrno>
#include <fstream>
#include <iterator>
#include <system_error>

#include "onshi/core/error.hpp"

namespace onshi::terminal {

RequestText read_request_file(const std::filesystem::path& file, std::size_t max_bytes) {
  const std::string where = "request file " + file.string();
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) throw Error(ErrorCode::io, "cannot read its size: " + ec.message(), where);
  // Checked before reading, so an oversized file costs nothing.
  if (size > max_bytes) {
    throw Error(ErrorCode::malformed_input,
                std::to_string(size) + " bytes exceeds the limit of " + std::to_string(max_bytes) + " bytes", where);
  }
  if (size == 0) throw Error(ErrorCode::malformed_input, "the file is empty", where);

  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot open it: " + std::error_code(errno, std::generic_category()).message(), where);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(ErrorCode::io, "read failed", where);
  if (bytes.size() > max_bytes) {  // grew between the size check and the read
    throw Error(ErrorCode::malformed_input,
                std::to_string(bytes.size()) + " bytes exceeds the limit of " + std::to_string(max_bytes) + " bytes", where);
  }

  RequestText text;
  text.bytes = bytes.size();
  try {
    ons::XmlLimits limits;
    limits.max_bytes = max_bytes;
    ons::CanonicalMessage canonical = ons::to_canonical(bytes, ons::WireSyntax::xml, {}, limits);
    text.xml = std::move(canonical.xml);
    text.encoding = canonical.format.encoding;
  } catch (const Error& e) {
    throw Error(e.code(), e.message() + (e.context().empty() ? "" : " (" + e.context() + ")"), where);
  }
  return text;
}

}  // namespace onshi::terminal
