#include "onshi/jpki/ber_object_size.hpp"

#include "onshi/core/error.hpp"

namespace onshi::jpki {
namespace {

[[noreturn]] void malformed(const std::string& what) { throw Error(ErrorCode::malformed_input, what, "BER header"); }

constexpr std::size_t max_tag_bytes = 4;
constexpr std::size_t max_length_bytes = 4;  // files on a card are far below 4 GiB

}  // namespace

std::optional<std::size_t> ber_object_size(ByteView head) {
  if (head.empty()) malformed("no bytes to read a tag from");
  std::size_t pos = 1;
  if ((head[0] & 0x1F) == 0x1F) {  // high tag number: subsequent bytes carry bit 8 while more follow
    for (;;) {
      if (pos >= head.size()) return std::nullopt;
      const bool more = (head[pos] & 0x80) != 0;
      ++pos;
      if (!more) break;
      if (pos >= max_tag_bytes) malformed("tag longer than " + std::to_string(max_tag_bytes) + " bytes");
    }
  }
  if (pos >= head.size()) return std::nullopt;
  const std::uint8_t first = head[pos++];
  if (first < 0x80) return pos + first;
  if (first == 0x80) malformed("indefinite length; the object size cannot be known in advance");
  const std::size_t count = first & 0x7Fu;
  if (count > max_length_bytes) malformed("length field of " + std::to_string(count) + " bytes");
  if (head.size() - pos < count) return std::nullopt;
  std::size_t length = 0;
  for (std::size_t i = 0; i < count; ++i) length = (length << 8) | head[pos + i];
  return pos + count + length;
}

}  // namespace onshi::jpki
