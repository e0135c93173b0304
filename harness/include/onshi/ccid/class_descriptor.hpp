#pragma once
// The CCID class descriptor (type 0x21, 54 bytes) that tells a host what the reader can do.
// Encoded by the emulated reader, parsed by the host driver from the configuration.
#include <cstdint>

#include "onshi/ccid/constants.hpp"
#include "onshi/core/bytes.hpp"

namespace onshi::ccid {

struct ClassDescriptor {
  std::uint16_t bcd_ccid = 0x0110;
  std::uint8_t max_slot_index = 0;
  std::uint8_t voltage_support = 0x07;  // 5 V, 3 V, 1.8 V
  std::uint32_t protocols = 0x03;       // T=0 and T=1
  std::uint32_t default_clock_khz = 4000;
  std::uint32_t maximum_clock_khz = 4000;
  std::uint8_t num_clock_supported = 0;
  std::uint32_t data_rate_bps = 10752;
  std::uint32_t max_data_rate_bps = 344086;
  std::uint8_t num_data_rates_supported = 0;
  std::uint32_t max_ifsd = 254;
  std::uint32_t synch_protocols = 0;
  std::uint32_t mechanical = 0;
  std::uint32_t features = feature::auto_atr_config | feature::auto_activation | feature::auto_voltage |
                           feature::auto_clock | feature::auto_baud | feature::auto_param_negotiation |
                           feature::auto_pps | feature::auto_ifsd | feature::exchange_short_apdu;
  std::uint32_t max_ccid_message_length = 271;  // a full short APDU (261) + header
  std::uint8_t class_get_response = 0xFF;
  std::uint8_t class_envelope = 0xFF;
  std::uint16_t lcd_layout = 0;
  std::uint8_t pin_support = 0;
  std::uint8_t max_ccid_busy_slots = 1;

  static constexpr std::size_t size = 54;
  Bytes encode() const;
  // Throws Error(malformed_input) unless `raw` is a 54-byte descriptor of type 0x21.
  static ClassDescriptor parse(ByteView raw);

  std::uint32_t exchange_level() const { return features & feature::exchange_level_mask; }
};

}  // namespace onshi::ccid
