#pragma once
// Byte buffers and the conversions every codec needs: hex text, little/big-endian integers.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace onshi {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "3B E0 00" / "3be000" / "3B:E0:00" -> bytes; throws Error(malformed_input) naming the bad position.
Bytes from_hex(std::string_view text);
// Upper-case hex; `separator` goes between bytes ("" or " ").
std::string to_hex(ByteView data, std::string_view separator = "");

Bytes to_bytes(std::string_view text);
std::string to_string(ByteView data);

inline void append(Bytes& out, ByteView data) { out.insert(out.end(), data.begin(), data.end()); }

std::uint16_t load_le16(ByteView data, std::size_t offset);
std::uint32_t load_le32(ByteView data, std::size_t offset);
std::uint16_t load_be16(ByteView data, std::size_t offset);
std::uint32_t load_be32(ByteView data, std::size_t offset);
void store_le16(Bytes& out, std::uint16_t value);
void store_le32(Bytes& out, std::uint32_t value);
void store_be16(Bytes& out, std::uint16_t value);
void store_be32(Bytes& out, std::uint32_t value);

}  // namespace onshi
