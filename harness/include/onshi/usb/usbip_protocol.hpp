#pragma once
// The USB/IP wire protocol (Linux Documentation/usb/usbip_protocol.rst, docs/domain/usbip.md):
// the OP_* messages of device listing and import, and the 48-byte URB headers of
// CMD_SUBMIT / RET_SUBMIT / CMD_UNLINK / RET_UNLINK. All fields big-endian, except the
// USB SETUP packet inside CMD_SUBMIT, which stays little-endian. Used by the USB/IP server
// that exports the emulated reader and by the userspace USB/IP client transport.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "onshi/core/bytes.hpp"
#include "onshi/usb/descriptors.hpp"

namespace onshi::usb::usbip {

inline constexpr std::uint16_t default_port = 3240;
inline constexpr std::uint16_t version = 0x0111;
inline constexpr std::uint16_t op_req_devlist = 0x8005;
inline constexpr std::uint16_t op_rep_devlist = 0x0005;
inline constexpr std::uint16_t op_req_import = 0x8003;
inline constexpr std::uint16_t op_rep_import = 0x0003;
inline constexpr std::size_t op_header_size = 8;
inline constexpr std::size_t device_record_size = 0x138;  // path..bNumInterfaces
inline constexpr std::size_t busid_size = 32;
inline constexpr std::size_t urb_header_size = 48;

inline constexpr std::uint32_t cmd_submit = 1;
inline constexpr std::uint32_t cmd_unlink = 2;
inline constexpr std::uint32_t ret_submit = 3;
inline constexpr std::uint32_t ret_unlink = 4;
inline constexpr std::uint32_t direction_out = 0;
inline constexpr std::uint32_t direction_in = 1;

// Linux errno values carried in RET_SUBMIT/RET_UNLINK status (negated).
inline constexpr std::int32_t status_ok = 0;
inline constexpr std::int32_t status_pipe = -32;        // -EPIPE: endpoint stalled
inline constexpr std::int32_t status_connreset = -104;  // -ECONNRESET: unlinked
inline constexpr std::int32_t status_shutdown = -108;   // -ESHUTDOWN: device gone
inline constexpr std::int32_t status_nodev = -19;       // -ENODEV

enum class Speed : std::uint32_t { unknown = 0, low = 1, full = 2, high = 3, wireless = 4, super = 5 };

struct OpHeader {
  std::uint16_t version = usbip::version;
  std::uint16_t code = 0;
  std::uint32_t status = 0;
  Bytes encode() const;
  static OpHeader parse(ByteView raw);  // Error(malformed_input) unless 8 bytes
};

struct InterfaceSummary {
  std::uint8_t interface_class = 0;
  std::uint8_t interface_subclass = 0;
  std::uint8_t interface_protocol = 0;
};

// The exported-device record of OP_REP_DEVLIST / OP_REP_IMPORT.
struct DeviceRecord {
  std::string path;   // sysfs path on the exporting host
  std::string busid;  // e.g. "1-1"
  std::uint32_t busnum = 1;
  std::uint32_t devnum = 1;
  Speed speed = Speed::full;
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  std::uint16_t bcd_device = 0;
  std::uint8_t device_class = 0;
  std::uint8_t device_subclass = 0;
  std::uint8_t device_protocol = 0;
  std::uint8_t configuration_value = 1;
  std::uint8_t num_configurations = 1;
  std::uint8_t num_interfaces = 0;
  std::vector<InterfaceSummary> interfaces;  // only in OP_REP_DEVLIST

  // The record an emulated device exports as `busid`.
  static DeviceRecord describe(const DeviceDescriptor& device, const ConfigurationDescriptor& config,
                               const std::string& busid, std::uint32_t busnum, std::uint32_t devnum);

  Bytes encode(bool with_interfaces) const;
  // Parses one record at the start of `raw`; returns the bytes consumed via `consumed`.
  static DeviceRecord parse(ByteView raw, bool with_interfaces, std::size_t& consumed);
  std::uint32_t devid() const { return (busnum << 16) | devnum; }
};

Bytes encode_busid(const std::string& busid);  // NUL-padded to 32 bytes
std::string decode_fixed_string(ByteView raw);  // up to the first NUL

// The 48-byte URB header, with the per-command fields of all four commands.
struct UrbHeader {
  std::uint32_t command = 0;
  std::uint32_t seqnum = 0;
  std::uint32_t devid = 0;
  std::uint32_t direction = 0;
  std::uint32_t ep = 0;
  // CMD_SUBMIT: transfer_flags, transfer_buffer_length, start_frame, number_of_packets, interval, setup.
  // RET_SUBMIT: status, actual_length, start_frame, number_of_packets, error_count.
  // CMD_UNLINK: unlink_seqnum. RET_UNLINK: status.
  std::uint32_t transfer_flags = 0;
  std::int32_t status = 0;
  std::uint32_t transfer_buffer_length = 0;  // CMD_SUBMIT length / RET_SUBMIT actual_length
  std::uint32_t start_frame = 0;
  std::uint32_t number_of_packets = 0xFFFFFFFF;
  std::uint32_t interval = 0;
  std::uint32_t error_count = 0;
  std::uint32_t unlink_seqnum = 0;
  std::array<std::uint8_t, 8> setup{};

  Bytes encode() const;
  // Error(malformed_input) naming the command word when it is not one of 1..4.
  static UrbHeader parse(ByteView raw);
  // Bytes that follow the header on the wire: OUT data of CMD_SUBMIT, IN data of RET_SUBMIT.
  std::size_t payload_size() const;
};

UrbHeader make_ret_submit(const UrbHeader& submit, std::int32_t status, std::uint32_t actual_length);

}  // namespace onshi::usb::usbip
