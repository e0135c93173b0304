#pragma once
// Reads one request file as a receipt computer wrote it: its size checked before a byte is
// read, its encoding taken from the XML declaration (UTF-8, or Shift_JIS read as CP932 so
// 髙 and ～ survive; docs/domain/file-interface.md, "Encodings"), and handed on as canonical
// UTF-8 XML for the ons codecs. CRLF line ends, tabs and a hand-written declaration are fine.
#include <cstddef>
#include <filesystem>
#include <string>

#include "onshi/ons/wire_format.hpp"

namespace onshi::terminal {

struct RequestText {
  std::string xml;  // canonical UTF-8 XML, declaration rewritten to UTF-8
  ons::TextEncoding encoding = ons::TextEncoding::utf8;  // what the file declared
  std::size_t bytes = 0;
};

// Throws Error(malformed_input) for a file above `max_bytes`, an empty file, an encoding other
// than UTF-8/Shift_JIS, bytes that are not valid in the declared encoding (by offset), and
// Error(io) when the file cannot be read; the message says what, the context names the file.
RequestText read_request_file(const std::filesystem::path& file, std::size_t max_bytes);

}  // namespace onshi::terminal
