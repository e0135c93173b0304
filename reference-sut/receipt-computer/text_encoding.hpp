#pragma once
// The reference receipt computer's own view of a file's encoding, independent of the
// harness's codecs: the XML declaration names it, glibc iconv converts it (docs/sut.md,
// "The reference receipt computer"). "Shift_JIS" is read and written as CP932, as the
// Windows machines receipt computers run on do.
#include <optional>
#include <string>
#include <string_view>

namespace onshi::reference_rc {

enum class FileEncoding { utf8, shift_jis };

std::string_view name_of(FileEncoding encoding);  // "utf-8" | "shift_jis"
std::string_view declared_name(FileEncoding encoding);  // "UTF-8" | "Shift_JIS", as written in a declaration

// The encoding the declaration at the start of `bytes` names (UTF-8 without one); nullopt
// with `unknown` set to the name when it is neither UTF-8 nor a Shift_JIS spelling.
std::optional<FileEncoding> declared_encoding(std::string_view bytes, std::string& unknown);

// Converts with iconv; nullopt with `problem` set ("bytes not valid CP932 at offset 412")
// when a byte sequence does not convert.
std::optional<std::string> to_utf8(std::string_view bytes, FileEncoding from, std::string& problem);
std::optional<std::string> from_utf8(std::string_view utf8, FileEncoding to, std::string& problem);

}  // namespace onshi::reference_rc
