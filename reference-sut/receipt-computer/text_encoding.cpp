#include "text_encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace onshi::reference_rc {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const char* iconv_name(FileEncoding e) { return e == FileEncoding::shift_jis ? "CP932" : "UTF-8"; }

std::optional<std::string> convert(std::string_view bytes, const char* from, const char* to, std::string& problem) {
  iconv_t cd = ::iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    problem = std::string("iconv cannot convert ") + from + " to " + to;
    return std::nullopt;
  }
  std::string out;
  std::string input(bytes);
  char* in = input.data();
  std::size_t in_left = input.size();
  char buffer[4096];
  bool ok = true;
  while (in_left > 0) {
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    const std::size_t r = ::iconv(cd, &in, &in_left, &o, &o_left);
    out.append(buffer, sizeof buffer - o_left);
    if (r == static_cast<std::size_t>(-1) && errno != E2BIG) {
      problem = std::string("bytes not valid ") + from + " at offset " +
                std::to_string(static_cast<std::size_t>(in - input.data()));
      ok = false;
      break;
    }
  }
  ::iconv_close(cd);
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

std::string_view name_of(FileEncoding encoding) { return encoding == FileEncoding::shift_jis ? "shift_jis" : "utf-8"; }
std::string_view declared_name(FileEncoding encoding) {
  return encoding == FileEncoding::shift_jis ? "Shift_JIS" : "UTF-8";
}

std::optional<FileEncoding> declared_encoding(std::string_view bytes, std::string& unknown) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (bytes.substr(0, 5) != "<?xml") return FileEncoding::utf8;
  const std::size_t end = bytes.find("?>");
  const std::string declaration = lower(bytes.substr(0, end));
  const std::size_t at = declaration.find("encoding");
  if (at == std::string::npos) return FileEncoding::utf8;
  std::size_t quote = declaration.find_first_of("\"'", at);
  if (quote == std::string::npos) return FileEncoding::utf8;
  const std::size_t close = declaration.find(declaration[quote], quote + 1);
  const std::string name = declaration.substr(quote + 1, close - quote - 1);
  if (name == "utf-8" || name == "utf8") return FileEncoding::utf8;
  if (name == "shift_jis" || name == "shift-jis" || name == "sjis" || name == "cp932" || name == "windows-31j") {
    return FileEncoding::shift_jis;
  }
  unknown = name;
  return std::nullopt;
}

std::optional<std::string> to_utf8(std::string_view bytes, FileEncoding from, std::string& problem) {
  return convert(bytes, iconv_name(from), "UTF-8", problem);
}

std::optional<std::string> from_utf8(std::string_view utf8, FileEncoding to, std::string& problem) {
  return convert(utf8, "UTF-8", iconv_name(to), problem);
}

}  // namespace onshi::reference_rc
