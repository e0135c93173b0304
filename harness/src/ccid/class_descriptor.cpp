#include "onshi/ccid/class_descriptor.hpp"

#include <string>

#include "onshi/core/error.hpp"

namespace onshi::ccid {

Bytes ClassDescriptor::encode() const {
  Bytes out{static_cast<std::uint8_t>(size), class_descriptor_type};
  store_le16(out, bcd_ccid);
  out.push_back(max_slot_index);
  out.push_back(voltage_support);
  store_le32(out, protocols);
  store_le32(out, default_clock_khz);
  store_le32(out, maximum_clock_khz);
  out.push_back(num_clock_supported);
  store_le32(out, data_rate_bps);
  store_le32(out, max_data_rate_bps);
  out.push_back(num_data_rates_supported);
  store_le32(out, max_ifsd);
  store_le32(out, synch_protocols);
  store_le32(out, mechanical);
  store_le32(out, features);
  store_le32(out, max_ccid_message_length);
  out.push_back(class_get_response);
  out.push_back(class_envelope);
  store_le16(out, lcd_layout);
  out.push_back(pin_support);
  out.push_back(max_ccid_busy_slots);
  return out;
}

ClassDescriptor ClassDescriptor::parse(ByteView raw) {
  if (raw.size() < size || raw[0] != size || raw[1] != class_descriptor_type) {
    throw Error(ErrorCode::malformed_input,
                "expected a 54-byte descriptor of type 0x21, got " + std::to_string(raw.size()) + " bytes" +
                    (raw.size() >= 2 ? " (bLength " + std::to_string(raw[0]) + ", type 0x" + to_hex(raw.subspan(1, 1)) + ")"
                                     : std::string()),
                "CCID class descriptor");
  }
  ClassDescriptor d;
  d.bcd_ccid = load_le16(raw, 2);
  d.max_slot_index = raw[4];
  d.voltage_support = raw[5];
  d.protocols = load_le32(raw, 6);
  d.default_clock_khz = load_le32(raw, 10);
  d.maximum_clock_khz = load_le32(raw, 14);
  d.num_clock_supported = raw[18];
  d.data_rate_bps = load_le32(raw, 19);
  d.max_data_rate_bps = load_le32(raw, 23);
  d.num_data_rates_supported = raw[27];
  d.max_ifsd = load_le32(raw, 28);
  d.synch_protocols = load_le32(raw, 32);
  d.mechanical = load_le32(raw, 36);
  d.features = load_le32(raw, 40);
  d.max_ccid_message_length = load_le32(raw, 44);
  d.class_get_response = raw[48];
  d.class_envelope = raw[49];
  d.lcd_layout = load_le16(raw, 50);
  d.pin_support = raw[52];
  d.max_ccid_busy_slots = raw[53];
  if (d.max_ccid_message_length < header_size) {
    throw Error(ErrorCode::malformed_input, "dwMaxCCIDMessageLength below the 10-byte header",
                "CCID class descriptor");
  }
  return d;
}

}  // namespace onshi::ccid
