#include "onshi/ons/shift_jis.hpp"

#include <cerrno>
#include <cstdio>
#include <iconv.h>
#include <optional>

#include "onshi/core/error.hpp"

namespace onshi::ons {
namespace {

class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {  // NOLINT: iconv's documented failure value
      throw Error(ErrorCode::config, std::string("iconv cannot convert ") + from + " to " + to, "Shift_JIS text");
    }
  }
  ~Iconv() { iconv_close(cd_); }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;

  // Converts all of `in`; on failure, returns the input offset that could not be converted.
  std::optional<std::size_t> convert(std::string_view in, std::string& out, bool& truncated) {
    out.clear();
    std::string buffer(in.size() * 2 + 16, '\0');
    char* src = const_cast<char*>(in.data());  // iconv's API is not const-correct
    std::size_t src_left = in.size();
    char* dst = buffer.data();
    std::size_t dst_left = buffer.size();
    while (src_left > 0) {
      if (iconv(cd_, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1)) {
        if (errno == E2BIG) {
          const std::size_t used = buffer.size() - dst_left;
          buffer.resize(buffer.size() * 2);
          dst = buffer.data() + used;
          dst_left = buffer.size() - used;
          continue;
        }
        truncated = errno == EINVAL;
        return in.size() - src_left;
      }
    }
    buffer.resize(buffer.size() - dst_left);
    out = std::move(buffer);
    return std::nullopt;
  }

 private:
  iconv_t cd_;
};

}  // namespace

std::string shift_jis_to_utf8(std::string_view bytes) {
  Iconv cv("UTF-8", "CP932");
  std::string out;
  bool truncated = false;
  if (const auto at = cv.convert(bytes, out, truncated)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned>(static_cast<unsigned char>(bytes[*at])));
    throw Error(ErrorCode::malformed_input,
                std::string(truncated ? "truncated multi-byte sequence" : "byte sequence") + " starting 0x" + hex +
                    " is not valid Shift_JIS at byte offset " + std::to_string(*at),
                "Shift_JIS text");
  }
  return out;
}

std::string utf8_to_shift_jis(std::string_view text) {
  Iconv cv("CP932", "UTF-8");
  std::string out;
  bool truncated = false;
  if (const auto at = cv.convert(text, out, truncated)) {
    throw Error(ErrorCode::invalid_argument,
                "the character at byte offset " + std::to_string(*at) + " has no Shift_JIS form (or is not UTF-8)",
                "Shift_JIS text");
  }
  return out;
}

}  // namespace onshi::ons
