#pragma once
// ISO/IEC 7816-4 command and response APDUs, short and extended length, parsed and encoded
// once for both the harness and the virtual card.
#include <cstdint>
#include <optional>

#include "onshi/core/bytes.hpp"

namespace onshi::iso7816 {

struct CommandApdu {
  std::uint8_t cla = 0;
  std::uint8_t ins = 0;
  std::uint8_t p1 = 0;
  std::uint8_t p2 = 0;
  Bytes data;                     // Lc is data.size()
  std::optional<std::uint32_t> le;  // absent: no response data expected; 256 / 65536 = "all"
  bool extended = false;          // encode with extended length fields

  // Parses any of the four ISO cases, short or extended. Throws Error(malformed_input)
  // saying which length field disagrees with the byte count.
  static CommandApdu parse(ByteView raw);
  Bytes encode() const;
};

struct ResponseApdu {
  Bytes data;
  std::uint16_t sw = 0;

  std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
  std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw); }
  bool ok() const { return sw == 0x9000; }

  // Throws Error(malformed_input) on fewer than two bytes.
  static ResponseApdu parse(ByteView raw);
  Bytes encode() const;
};

}  // namespace onshi::iso7816
