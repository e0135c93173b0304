#include "onshi/usb/setup_packet.hpp"

#include <string>

#include "onshi/core/error.hpp"

namespace onshi::usb {

Bytes SetupPacket::encode() const {
  Bytes out{request_type, request};
  store_le16(out, value);
  store_le16(out, index);
  store_le16(out, length);
  return out;
}

SetupPacket SetupPacket::parse(ByteView raw) {
  if (raw.size() != 8) {
    throw Error(ErrorCode::malformed_input, "expected 8 bytes, got " + std::to_string(raw.size()), "USB SETUP packet");
  }
  return SetupPacket{raw[0], raw[1], load_le16(raw, 2), load_le16(raw, 4), load_le16(raw, 6)};
}

SetupPacket get_descriptor_request(std::uint8_t type, std::uint8_t index, std::uint16_t length,
                                   std::uint16_t language) {
  return SetupPacket{0x80, standard_request::get_descriptor, static_cast<std::uint16_t>((type << 8) | index),
                     language, length};
}

}  // namespace onshi::usb
