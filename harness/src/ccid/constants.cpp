#include "onshi/ccid/constants.hpp"

#include "onshi/core/bytes.hpp"

namespace onshi::ccid {

std::string describe(MessageType type) {
  switch (type) {
    case MessageType::set_parameters: return "PC_to_RDR_SetParameters";
    case MessageType::icc_power_on: return "PC_to_RDR_IccPowerOn";
    case MessageType::icc_power_off: return "PC_to_RDR_IccPowerOff";
    case MessageType::get_slot_status: return "PC_to_RDR_GetSlotStatus";
    case MessageType::secure: return "PC_to_RDR_Secure";
    case MessageType::t0_apdu: return "PC_to_RDR_T0APDU";
    case MessageType::escape: return "PC_to_RDR_Escape";
    case MessageType::get_parameters: return "PC_to_RDR_GetParameters";
    case MessageType::reset_parameters: return "PC_to_RDR_ResetParameters";
    case MessageType::icc_clock: return "PC_to_RDR_IccClock";
    case MessageType::xfr_block: return "PC_to_RDR_XfrBlock";
    case MessageType::mechanical: return "PC_to_RDR_Mechanical";
    case MessageType::abort: return "PC_to_RDR_Abort";
    case MessageType::set_data_rate_and_clock: return "PC_to_RDR_SetDataRateAndClockFrequency";
    case MessageType::data_block: return "RDR_to_PC_DataBlock";
    case MessageType::slot_status: return "RDR_to_PC_SlotStatus";
    case MessageType::parameters: return "RDR_to_PC_Parameters";
    case MessageType::escape_response: return "RDR_to_PC_Escape";
    case MessageType::data_rate_and_clock: return "RDR_to_PC_DataRateAndClockFrequency";
    case MessageType::notify_slot_change: return "RDR_to_PC_NotifySlotChange";
    case MessageType::hardware_error: return "RDR_to_PC_HardwareError";
  }
  const Bytes raw{static_cast<std::uint8_t>(type)};
  return "unknown CCID message 0x" + to_hex(raw);
}

bool is_command(std::uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::set_parameters:
    case MessageType::icc_power_on:
    case MessageType::icc_power_off:
    case MessageType::get_slot_status:
    case MessageType::secure:
    case MessageType::t0_apdu:
    case MessageType::escape:
    case MessageType::get_parameters:
    case MessageType::reset_parameters:
    case MessageType::icc_clock:
    case MessageType::xfr_block:
    case MessageType::mechanical:
    case MessageType::abort:
    case MessageType::set_data_rate_and_clock: return true;
    default: return false;
  }
}

std::string describe_slot_error(std::uint8_t e) {
  switch (e) {
    case slot_error::aborted: return "CMD_ABORTED";
    case slot_error::icc_mute: return "ICC_MUTE (no card answer, card absent or removed)";
    case slot_error::xfr_parity_error: return "XFR_PARITY_ERROR";
    case slot_error::xfr_overrun: return "XFR_OVERRUN";
    case slot_error::hw_error: return "HW_ERROR";
    case slot_error::bad_atr_ts: return "BAD_ATR_TS";
    case slot_error::bad_atr_tck: return "BAD_ATR_TCK";
    case slot_error::icc_protocol_not_supported: return "ICC_PROTOCOL_NOT_SUPPORTED";
    case slot_error::icc_class_not_supported: return "ICC_CLASS_NOT_SUPPORTED";
    case slot_error::procedure_byte_conflict: return "PROCEDURE_BYTE_CONFLICT";
    case slot_error::deactivated_protocol: return "DEACTIVATED_PROTOCOL";
    case slot_error::busy_with_auto_sequence: return "BUSY_WITH_AUTO_SEQUENCE";
    case slot_error::pin_timeout: return "PIN_TIMEOUT";
    case slot_error::pin_cancelled: return "PIN_CANCELLED";
    case slot_error::cmd_slot_busy: return "CMD_SLOT_BUSY";
    case slot_error::command_not_supported: return "CMD_NOT_SUPPORTED";
    default: break;
  }
  if (e < 0x80) return "bad value in header field at offset " + std::to_string(e);
  return "reserved error 0x" + to_hex(Bytes{e});
}

std::string describe_status(std::uint8_t b_status, std::uint8_t b_error) {
  std::string out;
  switch (icc_status(b_status)) {
    case IccStatus::present_active: out = "ICC present and active"; break;
    case IccStatus::present_inactive: out = "ICC present, inactive"; break;
    case IccStatus::absent: out = "no ICC present"; break;
    default: out = "ICC status RFU"; break;
  }
  switch (command_status(b_status)) {
    case CommandStatus::ok: out += ", command ok"; break;
    case CommandStatus::failed: out += ", command failed: " + describe_slot_error(b_error); break;
    case CommandStatus::time_extension: out += ", time extension x" + std::to_string(b_error); break;
    default: out += ", command status RFU"; break;
  }
  return out;
}

}  // namespace onshi::ccid
