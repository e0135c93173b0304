#include "onshi/usb/descriptors.hpp"

#include <string>

#include "onshi/core/error.hpp"
#include "onshi/usb/setup_packet.hpp"

namespace onshi::usb {
namespace {

[[noreturn]] void malformed(const std::string& what, std::size_t offset, const char* descriptor) {
  throw Error(ErrorCode::malformed_input, what, std::string(descriptor) + " at offset " + std::to_string(offset));
}

}  // namespace

Bytes DeviceDescriptor::encode() const {
  Bytes out{static_cast<std::uint8_t>(size), descriptor_type::device};
  store_le16(out, bcd_usb);
  out.insert(out.end(), {device_class, device_subclass, device_protocol, max_packet_size0});
  store_le16(out, vendor_id);
  store_le16(out, product_id);
  store_le16(out, bcd_device);
  out.insert(out.end(), {manufacturer_index, product_index, serial_number_index, num_configurations});
  return out;
}

DeviceDescriptor DeviceDescriptor::parse(ByteView raw) {
  if (raw.size() < size || raw[0] != size || raw[1] != descriptor_type::device) {
    malformed("not an 18-byte device descriptor", 0, "device descriptor");
  }
  DeviceDescriptor d;
  d.bcd_usb = load_le16(raw, 2);
  d.device_class = raw[4];
  d.device_subclass = raw[5];
  d.device_protocol = raw[6];
  d.max_packet_size0 = raw[7];
  d.vendor_id = load_le16(raw, 8);
  d.product_id = load_le16(raw, 10);
  d.bcd_device = load_le16(raw, 12);
  d.manufacturer_index = raw[14];
  d.product_index = raw[15];
  d.serial_number_index = raw[16];
  d.num_configurations = raw[17];
  return d;
}

std::optional<EndpointDescriptor> InterfaceDescriptor::find_endpoint(TransferType type, bool in) const {
  for (const auto& e : endpoints) {
    if (e.transfer_type == type && e.is_in() == in) return e;
  }
  return std::nullopt;
}

Bytes ConfigurationDescriptor::encode() const {
  Bytes body;
  for (const auto& i : interfaces) {
    body.insert(body.end(), {9, descriptor_type::interface, i.number, i.alternate_setting,
                             static_cast<std::uint8_t>(i.endpoints.size()), i.interface_class, i.interface_subclass,
                             i.interface_protocol, i.interface_string_index});
    append(body, i.class_specific);
    for (const auto& e : i.endpoints) {
      body.insert(body.end(), {7, descriptor_type::endpoint, e.address, static_cast<std::uint8_t>(e.transfer_type)});
      store_le16(body, e.max_packet_size);
      body.push_back(e.interval);
    }
  }
  Bytes out{9, descriptor_type::configuration};
  store_le16(out, static_cast<std::uint16_t>(9 + body.size()));
  out.insert(out.end(), {static_cast<std::uint8_t>(interfaces.size()), configuration_value,
                         configuration_string_index, attributes, max_power_2ma});
  append(out, body);
  return out;
}

// The rules, for every source of configuration bytes (a device's GET_DESCRIPTOR answer, the
// kernel's copy in sysfs, a USB/IP peer), after USB 2.0 §9.5 and §9.6.3:
//  - the buffer holds at least the 9-byte header, of type CONFIGURATION, bLength >= 9;
//  - wTotalLength covers the header and fits in the buffer (bytes after it are ignored);
//  - every descriptor inside has bLength >= 2 and ends at or before wTotalLength;
//  - an interface descriptor has bLength >= 9, an endpoint bLength >= 7 and follows an
//    interface; longer ones are read for their standard fields, the rest skipped;
//  - anything else after an interface (class-specific blocks such as the CCID class
//    descriptor, before or after the endpoints) belongs to that interface; before the first
//    interface (e.g. an interface association) it is skipped.
// A violation is Error(malformed_input) naming the offset of the descriptor (or, for
// wTotalLength, the field) at fault.
ConfigurationDescriptor ConfigurationDescriptor::parse(ByteView raw) {
  constexpr const char* what = "configuration descriptor";
  if (raw.size() < 9) {
    malformed(std::to_string(raw.size()) + " bytes, shorter than the 9-byte configuration header", 0, what);
  }
  if (raw[1] != descriptor_type::configuration) {
    malformed("bDescriptorType " + std::to_string(raw[1]) + " is not CONFIGURATION (2)", 0, what);
  }
  if (raw[0] < 9) malformed("bLength " + std::to_string(raw[0]) + " is shorter than the 9-byte header", 0, what);
  const std::size_t total = load_le16(raw, 2);
  if (total < raw[0]) {
    malformed("wTotalLength " + std::to_string(total) + " is shorter than the header's bLength " +
                  std::to_string(raw[0]),
              2, what);
  }
  if (total > raw.size()) {
    malformed("wTotalLength " + std::to_string(total) + " exceeds the " + std::to_string(raw.size()) + " bytes read",
              2, what);
  }
  ConfigurationDescriptor c;
  c.configuration_value = raw[5];
  c.configuration_string_index = raw[6];
  c.attributes = raw[7];
  c.max_power_2ma = raw[8];
  std::size_t offset = raw[0];
  InterfaceDescriptor* current = nullptr;
  while (offset < total) {
    if (total - offset < 2) {
      malformed("1 byte left before wTotalLength " + std::to_string(total) + ", too few for a descriptor header",
                offset, what);
    }
    const std::size_t length = raw[offset];
    if (length < 2) {
      malformed("bLength " + std::to_string(length) + " is shorter than a descriptor header", offset, what);
    }
    if (length > total - offset) {
      malformed("bLength " + std::to_string(length) + " runs past wTotalLength " + std::to_string(total), offset,
                what);
    }
    const std::uint8_t type = raw[offset + 1];
    const ByteView d = raw.subspan(offset, length);
    if (type == descriptor_type::interface) {
      if (length < 9) {
        malformed("interface descriptor bLength " + std::to_string(length) + " is shorter than 9", offset, what);
      }
      InterfaceDescriptor i;
      i.number = d[2];
      i.alternate_setting = d[3];
      i.interface_class = d[5];
      i.interface_subclass = d[6];
      i.interface_protocol = d[7];
      i.interface_string_index = d[8];
      c.interfaces.push_back(std::move(i));
      current = &c.interfaces.back();
    } else if (type == descriptor_type::endpoint) {
      if (length < 7) {
        malformed("endpoint descriptor bLength " + std::to_string(length) + " is shorter than 7", offset, what);
      }
      if (current == nullptr) malformed("endpoint descriptor before any interface descriptor", offset, what);
      current->endpoints.push_back(
          EndpointDescriptor{d[2], static_cast<TransferType>(d[3] & 0x03), load_le16(d, 4), d[6]});
    } else if (current != nullptr) {
      append(current->class_specific, d);  // class-specific (e.g. CCID 0x21) belongs to its interface
    }
    offset += length;
  }
  return c;
}

ConfigurationDescriptor read_configuration_descriptor(const std::function<Bytes(std::uint16_t length)>& fetch) {
  const Bytes header = fetch(9);
  if (header.size() < 4) {
    malformed("the device answered " + std::to_string(header.size()) + " bytes for the 9-byte header", 0,
              "configuration descriptor");
  }
  return ConfigurationDescriptor::parse(fetch(load_le16(header, 2)));
}

const InterfaceDescriptor* ConfigurationDescriptor::find_interface_by_class(std::uint8_t interface_class) const {
  for (const auto& i : interfaces) {
    if (i.interface_class == interface_class) return &i;
  }
  return nullptr;
}

Bytes encode_language_ids(std::uint16_t language) {
  Bytes out{4, descriptor_type::string};
  store_le16(out, language);
  return out;
}

Bytes encode_string_descriptor(const std::string& utf8) {
  // UTF-8 -> UTF-16LE (BMP and surrogate pairs).
  Bytes units;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = 0;
    std::size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < utf8.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      n = 2;
    } else if ((c >> 4) == 0xE && i + 2 < utf8.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
      n = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < utf8.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(utf8[i + 3]) & 0x3Fu);
      n = 4;
    } else {
      throw Error(ErrorCode::invalid_argument, "invalid UTF-8", "USB string descriptor");
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      store_le16(units, static_cast<std::uint16_t>(0xD800 | (cp >> 10)));
      store_le16(units, static_cast<std::uint16_t>(0xDC00 | (cp & 0x3FF)));
    } else {
      store_le16(units, static_cast<std::uint16_t>(cp));
    }
    i += n;
  }
  if (units.size() > 253) throw Error(ErrorCode::invalid_argument, "string too long", "USB string descriptor");
  Bytes out{static_cast<std::uint8_t>(2 + units.size()), descriptor_type::string};
  append(out, units);
  return out;
}

std::string decode_string_descriptor(ByteView raw) {
  if (raw.size() < 2 || raw[1] != descriptor_type::string || raw[0] > raw.size() || raw[0] % 2 != 0) {
    throw Error(ErrorCode::malformed_input, "not a string descriptor", "USB string descriptor");
  }
  std::string out;
  for (std::size_t i = 2; i + 1 < raw[0]; i += 2) {
    std::uint32_t cp = load_le16(raw, i);
    if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < raw[0]) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (load_le16(raw, i + 2) - 0xDC00u);
      i += 2;
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

}  // namespace onshi::usb
