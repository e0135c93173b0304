#include "onshi/usb/usbip_protocol.hpp"

#include <algorithm>

#include "onshi/core/error.hpp"

namespace onshi::usb::usbip {
namespace {

void store_fixed(Bytes& out, const std::string& text, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) out.push_back(i < text.size() ? static_cast<std::uint8_t>(text[i]) : 0);
}

void require(ByteView raw, std::size_t n, const char* what) {
  if (raw.size() < n) {
    throw Error(ErrorCode::malformed_input,
                std::string(what) + " needs " + std::to_string(n) + " bytes, got " + std::to_string(raw.size()),
                "USB/IP");
  }
}

}  // namespace

Bytes OpHeader::encode() const {
  Bytes out;
  store_be16(out, version);
  store_be16(out, code);
  store_be32(out, status);
  return out;
}

OpHeader OpHeader::parse(ByteView raw) {
  require(raw, op_header_size, "OP header");
  return OpHeader{load_be16(raw, 0), load_be16(raw, 2), load_be32(raw, 4)};
}

Bytes encode_busid(const std::string& busid) {
  if (busid.size() >= busid_size) throw Error(ErrorCode::invalid_argument, "busid longer than 31 bytes", busid);
  Bytes out;
  store_fixed(out, busid, busid_size);
  return out;
}

std::string decode_fixed_string(ByteView raw) {
  const auto end = std::find(raw.begin(), raw.end(), std::uint8_t{0});
  return std::string(raw.begin(), end);
}

DeviceRecord DeviceRecord::describe(const DeviceDescriptor& device, const ConfigurationDescriptor& config,
                                    const std::string& busid, std::uint32_t busnum, std::uint32_t devnum) {
  DeviceRecord r;
  r.path = "/sys/devices/platform/onshi-hil/usb" + std::to_string(busnum) + "/" + busid;
  r.busid = busid;
  r.busnum = busnum;
  r.devnum = devnum;
  r.speed = Speed::full;
  r.vendor_id = device.vendor_id;
  r.product_id = device.product_id;
  r.bcd_device = device.bcd_device;
  r.device_class = device.device_class;
  r.device_subclass = device.device_subclass;
  r.device_protocol = device.device_protocol;
  r.configuration_value = config.configuration_value;
  r.num_configurations = device.num_configurations;
  r.num_interfaces = static_cast<std::uint8_t>(config.interfaces.size());
  for (const InterfaceDescriptor& i : config.interfaces) {
    r.interfaces.push_back({i.interface_class, i.interface_subclass, i.interface_protocol});
  }
  return r;
}

Bytes DeviceRecord::encode(bool with_interfaces) const {
  Bytes out;
  store_fixed(out, path, 256);
  store_fixed(out, busid, busid_size);
  store_be32(out, busnum);
  store_be32(out, devnum);
  store_be32(out, static_cast<std::uint32_t>(speed));
  store_be16(out, vendor_id);
  store_be16(out, product_id);
  store_be16(out, bcd_device);
  out.insert(out.end(), {device_class, device_subclass, device_protocol, configuration_value, num_configurations,
                         num_interfaces});
  if (with_interfaces) {
    for (const InterfaceSummary& i : interfaces) {
      out.insert(out.end(), {i.interface_class, i.interface_subclass, i.interface_protocol, 0});
    }
  }
  return out;
}

DeviceRecord DeviceRecord::parse(ByteView raw, bool with_interfaces, std::size_t& consumed) {
  require(raw, device_record_size, "USB/IP device record");
  DeviceRecord r;
  r.path = decode_fixed_string(raw.subspan(0, 256));
  r.busid = decode_fixed_string(raw.subspan(256, busid_size));
  r.busnum = load_be32(raw, 288);
  r.devnum = load_be32(raw, 292);
  r.speed = static_cast<Speed>(load_be32(raw, 296));
  r.vendor_id = load_be16(raw, 300);
  r.product_id = load_be16(raw, 302);
  r.bcd_device = load_be16(raw, 304);
  r.device_class = raw[306];
  r.device_subclass = raw[307];
  r.device_protocol = raw[308];
  r.configuration_value = raw[309];
  r.num_configurations = raw[310];
  r.num_interfaces = raw[311];
  consumed = device_record_size;
  if (with_interfaces) {
    require(raw, device_record_size + 4u * r.num_interfaces, "USB/IP device record interfaces");
    for (std::size_t i = 0; i < r.num_interfaces; ++i) {
      const std::size_t at = device_record_size + 4 * i;
      r.interfaces.push_back({raw[at], raw[at + 1], raw[at + 2]});
    }
    consumed += 4u * r.num_interfaces;
  }
  return r;
}

Bytes UrbHeader::encode() const {
  Bytes out;
  store_be32(out, command);
  store_be32(out, seqnum);
  store_be32(out, devid);
  store_be32(out, direction);
  store_be32(out, ep);
  switch (command) {
    case cmd_submit:
      store_be32(out, transfer_flags);
      store_be32(out, transfer_buffer_length);
      store_be32(out, start_frame);
      store_be32(out, number_of_packets);
      store_be32(out, interval);
      out.insert(out.end(), setup.begin(), setup.end());
      break;
    case ret_submit:
      store_be32(out, static_cast<std::uint32_t>(status));
      store_be32(out, transfer_buffer_length);
      store_be32(out, start_frame);
      store_be32(out, number_of_packets);
      store_be32(out, error_count);
      break;
    case cmd_unlink: store_be32(out, unlink_seqnum); break;
    case ret_unlink: store_be32(out, static_cast<std::uint32_t>(status)); break;
    default: throw Error(ErrorCode::invalid_argument, "unknown URB command " + std::to_string(command), "USB/IP");
  }
  out.resize(urb_header_size, 0);
  return out;
}

UrbHeader UrbHeader::parse(ByteView raw) {
  require(raw, urb_header_size, "URB header");
  UrbHeader h;
  h.command = load_be32(raw, 0);
  h.seqnum = load_be32(raw, 4);
  h.devid = load_be32(raw, 8);
  h.direction = load_be32(raw, 12);
  h.ep = load_be32(raw, 16);
  switch (h.command) {
    case cmd_submit:
      h.transfer_flags = load_be32(raw, 20);
      h.transfer_buffer_length = load_be32(raw, 24);
      h.start_frame = load_be32(raw, 28);
      h.number_of_packets = load_be32(raw, 32);
      h.interval = load_be32(raw, 36);
      std::copy(raw.begin() + 40, raw.begin() + 48, h.setup.begin());
      break;
    case ret_submit:
      h.status = static_cast<std::int32_t>(load_be32(raw, 20));
      h.transfer_buffer_length = load_be32(raw, 24);
      h.start_frame = load_be32(raw, 28);
      h.number_of_packets = load_be32(raw, 32);
      h.error_count = load_be32(raw, 36);
      break;
    case cmd_unlink: h.unlink_seqnum = load_be32(raw, 20); break;
    case ret_unlink: h.status = static_cast<std::int32_t>(load_be32(raw, 20)); break;
    default:
      throw Error(ErrorCode::malformed_input, "unknown URB command word 0x" + to_hex(raw.first(4)),
                  "USB/IP seqnum " + std::to_string(h.seqnum));
  }
  if (h.direction > 1) {
    throw Error(ErrorCode::malformed_input, "URB direction " + std::to_string(h.direction) + " is neither 0 nor 1",
                "USB/IP seqnum " + std::to_string(h.seqnum));
  }
  if (h.ep > 15) {
    throw Error(ErrorCode::malformed_input, "URB endpoint " + std::to_string(h.ep) + " beyond 15",
                "USB/IP seqnum " + std::to_string(h.seqnum));
  }
  return h;
}

std::size_t UrbHeader::payload_size() const {
  if (command == cmd_submit && direction == direction_out) return transfer_buffer_length;
  if (command == ret_submit && direction == direction_in) return transfer_buffer_length;
  return 0;
}

UrbHeader make_ret_submit(const UrbHeader& submit, std::int32_t status, std::uint32_t actual_length) {
  UrbHeader r;
  r.command = ret_submit;
  r.seqnum = submit.seqnum;
  r.devid = 0;
  // devid, direction and ep are 0 in replies (usbip_protocol.rst); the client matches by seqnum.
  r.status = status;
  r.transfer_buffer_length = actual_length;
  r.number_of_packets = submit.number_of_packets == 0xFFFFFFFF ? 0xFFFFFFFF : 0;
  return r;
}

}  // namespace onshi::usb::usbip
