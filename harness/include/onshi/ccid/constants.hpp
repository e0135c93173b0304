#pragma once
// CCID Rev 1.1 numbers (docs/domain/ccid.md): message types, bStatus/bError, dwFeatures bits.
#include <cstdint>
#include <string>

namespace onshi::ccid {

inline constexpr std::size_t header_size = 10;
inline constexpr std::uint8_t interface_class = 0x0B;
inline constexpr std::uint8_t class_descriptor_type = 0x21;

enum class MessageType : std::uint8_t {
  // PC -> reader
  set_parameters = 0x61,
  icc_power_on = 0x62,
  icc_power_off = 0x63,
  get_slot_status = 0x65,
  secure = 0x69,
  t0_apdu = 0x6A,
  escape = 0x6B,
  get_parameters = 0x6C,
  reset_parameters = 0x6D,
  icc_clock = 0x6E,
  xfr_block = 0x6F,
  mechanical = 0x71,
  abort = 0x72,
  set_data_rate_and_clock = 0x73,
  // reader -> PC
  data_block = 0x80,
  slot_status = 0x81,
  parameters = 0x82,
  escape_response = 0x83,
  data_rate_and_clock = 0x84,
  // interrupt IN
  notify_slot_change = 0x50,
  hardware_error = 0x51,
};

std::string describe(MessageType type);
bool is_command(std::uint8_t type);  // a PC->reader bulk message

// bStatus bits 0-1: the ICC.
enum class IccStatus : std::uint8_t { present_active = 0, present_inactive = 1, absent = 2 };
// bStatus bits 6-7: the command.
enum class CommandStatus : std::uint8_t { ok = 0, failed = 1, time_extension = 2 };

inline constexpr std::uint8_t make_status(IccStatus icc, CommandStatus command) {
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(icc) | (static_cast<std::uint8_t>(command) << 6));
}
inline constexpr IccStatus icc_status(std::uint8_t b_status) { return static_cast<IccStatus>(b_status & 0x03); }
inline constexpr CommandStatus command_status(std::uint8_t b_status) {
  return static_cast<CommandStatus>((b_status >> 6) & 0x03);
}

// bError values when the command failed (slot error register).
namespace slot_error {
inline constexpr std::uint8_t aborted = 0xFF;
inline constexpr std::uint8_t icc_mute = 0xFE;
inline constexpr std::uint8_t xfr_parity_error = 0xFD;
inline constexpr std::uint8_t xfr_overrun = 0xFC;
inline constexpr std::uint8_t hw_error = 0xFB;
inline constexpr std::uint8_t bad_atr_ts = 0xF8;
inline constexpr std::uint8_t bad_atr_tck = 0xF7;
inline constexpr std::uint8_t icc_protocol_not_supported = 0xF6;
inline constexpr std::uint8_t icc_class_not_supported = 0xF5;
inline constexpr std::uint8_t procedure_byte_conflict = 0xF4;
inline constexpr std::uint8_t deactivated_protocol = 0xF3;
inline constexpr std::uint8_t busy_with_auto_sequence = 0xF2;
inline constexpr std::uint8_t pin_timeout = 0xF0;
inline constexpr std::uint8_t pin_cancelled = 0xEF;
inline constexpr std::uint8_t cmd_slot_busy = 0xE0;
inline constexpr std::uint8_t command_not_supported = 0x00;
// Positive values 1..0x7F name the offending header field's offset.
inline constexpr std::uint8_t bad_length = 0x01;
inline constexpr std::uint8_t bad_slot = 0x05;
inline constexpr std::uint8_t bad_power_select = 0x07;
inline constexpr std::uint8_t bad_level_parameter = 0x08;
}  // namespace slot_error

std::string describe_slot_error(std::uint8_t b_error);
std::string describe_status(std::uint8_t b_status, std::uint8_t b_error);

// dwFeatures bits.
namespace feature {
inline constexpr std::uint32_t auto_atr_config = 0x00000002;
inline constexpr std::uint32_t auto_activation = 0x00000004;
inline constexpr std::uint32_t auto_voltage = 0x00000008;
inline constexpr std::uint32_t auto_clock = 0x00000010;
inline constexpr std::uint32_t auto_baud = 0x00000020;
inline constexpr std::uint32_t auto_param_negotiation = 0x00000040;
inline constexpr std::uint32_t auto_pps = 0x00000080;
inline constexpr std::uint32_t auto_ifsd = 0x00000400;
inline constexpr std::uint32_t exchange_level_mask = 0x00070000;
inline constexpr std::uint32_t exchange_character = 0x00000000;
inline constexpr std::uint32_t exchange_tpdu = 0x00010000;
inline constexpr std::uint32_t exchange_short_apdu = 0x00020000;
inline constexpr std::uint32_t exchange_extended_apdu = 0x00040000;
inline constexpr std::uint32_t remote_wakeup = 0x00100000;
}  // namespace feature

// wLevelParameter / bChainParameter for APDU-level exchanges that span several blocks.
namespace chain {
inline constexpr std::uint16_t whole = 0x00;
inline constexpr std::uint16_t begins = 0x01;
inline constexpr std::uint16_t ends = 0x02;
inline constexpr std::uint16_t continues = 0x03;
inline constexpr std::uint16_t next_part = 0x10;  // empty XfrBlock asking for the next response block
}  // namespace chain

// Class-specific control requests (bmRequestType 0x21 / 0xA1).
namespace request {
inline constexpr std::uint8_t abort = 0x01;
inline constexpr std::uint8_t get_clock_frequencies = 0x02;
inline constexpr std::uint8_t get_data_rates = 0x03;
}  // namespace request

}  // namespace onshi::ccid
