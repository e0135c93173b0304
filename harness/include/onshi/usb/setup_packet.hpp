#pragma once
// The 8-byte USB SETUP packet of a control transfer (little-endian on the wire).
#include <cstdint>

#include "onshi/core/bytes.hpp"

namespace onshi::usb {

struct SetupPacket {
  std::uint8_t request_type = 0;  // bmRequestType: bit 7 direction (1 = IN), bits 5-6 type, bits 0-4 recipient
  std::uint8_t request = 0;
  std::uint16_t value = 0;
  std::uint16_t index = 0;
  std::uint16_t length = 0;

  bool is_in() const { return (request_type & 0x80) != 0; }
  Bytes encode() const;
  static SetupPacket parse(ByteView raw);  // throws Error(malformed_input) unless 8 bytes
};

namespace standard_request {
inline constexpr std::uint8_t get_status = 0x00;
inline constexpr std::uint8_t clear_feature = 0x01;
inline constexpr std::uint8_t set_feature = 0x03;
inline constexpr std::uint8_t set_address = 0x05;
inline constexpr std::uint8_t get_descriptor = 0x06;
inline constexpr std::uint8_t get_configuration = 0x08;
inline constexpr std::uint8_t set_configuration = 0x09;
inline constexpr std::uint8_t get_interface = 0x0A;
inline constexpr std::uint8_t set_interface = 0x0B;
}  // namespace standard_request

namespace descriptor_type {
inline constexpr std::uint8_t device = 0x01;
inline constexpr std::uint8_t configuration = 0x02;
inline constexpr std::uint8_t string = 0x03;
inline constexpr std::uint8_t interface = 0x04;
inline constexpr std::uint8_t endpoint = 0x05;
inline constexpr std::uint8_t device_qualifier = 0x06;
}  // namespace descriptor_type

// GET_DESCRIPTOR request for `type`/`index`.
SetupPacket get_descriptor_request(std::uint8_t type, std::uint8_t index, std::uint16_t length,
                                   std::uint16_t language = 0);

}  // namespace onshi::usb
