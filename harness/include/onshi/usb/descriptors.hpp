#pragma once
// Standard USB descriptors: device, configuration (with its interfaces, class-specific
// blocks and endpoints) and string. Encoded by emulated devices, parsed by host backends.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/bytes.hpp"

namespace onshi::usb {

struct DeviceDescriptor {
  std::uint16_t bcd_usb = 0x0200;
  std::uint8_t device_class = 0;
  std::uint8_t device_subclass = 0;
  std::uint8_t device_protocol = 0;
  std::uint8_t max_packet_size0 = 64;
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  std::uint16_t bcd_device = 0x0100;
  std::uint8_t manufacturer_index = 0;
  std::uint8_t product_index = 0;
  std::uint8_t serial_number_index = 0;
  std::uint8_t num_configurations = 1;

  static constexpr std::size_t size = 18;
  Bytes encode() const;
  static DeviceDescriptor parse(ByteView raw);
};

enum class TransferType : std::uint8_t { control = 0, isochronous = 1, bulk = 2, interrupt = 3 };

struct EndpointDescriptor {
  std::uint8_t address = 0;  // bit 7 = IN
  TransferType transfer_type = TransferType::bulk;
  std::uint16_t max_packet_size = 64;
  std::uint8_t interval = 0;

  bool is_in() const { return (address & 0x80) != 0; }
};

struct InterfaceDescriptor {
  std::uint8_t number = 0;
  std::uint8_t alternate_setting = 0;
  std::uint8_t interface_class = 0;
  std::uint8_t interface_subclass = 0;
  std::uint8_t interface_protocol = 0;
  std::uint8_t interface_string_index = 0;
  Bytes class_specific;  // e.g. the CCID class descriptor, placed before the endpoints
  std::vector<EndpointDescriptor> endpoints;

  // The first endpoint of `type` in direction `in`, if any.
  std::optional<EndpointDescriptor> find_endpoint(TransferType type, bool in) const;
};

struct ConfigurationDescriptor {
  std::uint8_t configuration_value = 1;
  std::uint8_t configuration_string_index = 0;
  std::uint8_t attributes = 0x80;  // bus-powered
  std::uint8_t max_power_2ma = 50;  // 100 mA
  std::vector<InterfaceDescriptor> interfaces;

  // The full configuration as GET_DESCRIPTOR(CONFIGURATION) returns it, wTotalLength included.
  Bytes encode() const;
  // The one configuration parser, for every host backend. Throws Error(malformed_input)
  // naming the offset of a truncated or inconsistent descriptor (rules: descriptors.cpp).
  static ConfigurationDescriptor parse(ByteView raw);

  const InterfaceDescriptor* find_interface_by_class(std::uint8_t interface_class) const;
};

// GET_DESCRIPTOR(CONFIGURATION) as hosts ask it: the 9-byte header for wTotalLength, then the
// whole configuration, parsed by ConfigurationDescriptor::parse. `fetch(length)` sends the
// request for `length` bytes and returns the answer.
ConfigurationDescriptor read_configuration_descriptor(const std::function<Bytes(std::uint16_t length)>& fetch);

// String descriptor 0 (supported languages) and UTF-16LE string descriptors from UTF-8.
Bytes encode_language_ids(std::uint16_t language = 0x0409);
Bytes encode_string_descriptor(const std::string& utf8);
std::string decode_string_descriptor(ByteView raw);

}  // namespace onshi::usb
