#include "onshi/core/bytes.hpp"

#include "onshi/core/error.hpp"

namespace onshi {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void require(ByteView data, std::size_t offset, std::size_t width) {
  if (offset > data.size() || data.size() - offset < width) {
    throw Error(ErrorCode::malformed_input,
                "need " + std::to_string(width) + " bytes at offset " + std::to_string(offset) + ", have " +
                    std::to_string(data.size()));
  }
}

}  // namespace

Bytes from_hex(std::string_view text) {
  Bytes out;
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == ':' || c == '\n' || c == '\t') {
      if (high >= 0) {
        throw Error(ErrorCode::malformed_input, "odd hex digit before separator", "hex offset " + std::to_string(i));
      }
      continue;
    }
    const int v = hex_value(c);
    if (v < 0) {
      throw Error(ErrorCode::malformed_input, std::string("not a hex digit: '") + c + "'",
                  "hex offset " + std::to_string(i));
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) throw Error(ErrorCode::malformed_input, "odd number of hex digits", "hex");
  return out;
}

std::string to_hex(ByteView data, std::string_view separator) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(data.size() * (2 + separator.size()));
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i > 0) out += separator;
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0F];
  }
  return out;
}

Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }
std::string to_string(ByteView data) { return std::string(data.begin(), data.end()); }

std::uint16_t load_le16(ByteView d, std::size_t o) {
  require(d, o, 2);
  return static_cast<std::uint16_t>(d[o] | (d[o + 1] << 8));
}
std::uint32_t load_le32(ByteView d, std::size_t o) {
  require(d, o, 4);
  return static_cast<std::uint32_t>(d[o]) | (static_cast<std::uint32_t>(d[o + 1]) << 8) |
         (static_cast<std::uint32_t>(d[o + 2]) << 16) | (static_cast<std::uint32_t>(d[o + 3]) << 24);
}
std::uint16_t load_be16(ByteView d, std::size_t o) {
  require(d, o, 2);
  return static_cast<std::uint16_t>((d[o] << 8) | d[o + 1]);
}
std::uint32_t load_be32(ByteView d, std::size_t o) {
  require(d, o, 4);
  return (static_cast<std::uint32_t>(d[o]) << 24) | (static_cast<std::uint32_t>(d[o + 1]) << 16) |
         (static_cast<std::uint32_t>(d[o + 2]) << 8) | static_cast<std::uint32_t>(d[o + 3]);
}
void store_le16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void store_le32(Bytes& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void store_be16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
void store_be32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace onshi
