#pragma once
// One CCID bulk message (10-byte header + abData), the codec both the host driver and the
// emulated reader use. Parsing is strict: a frame whose dwLength disagrees with its size,
// or that exceeds the negotiated maximum, is an Error(malformed_input) naming the field.
#include <array>
#include <cstdint>

#include "onshi/ccid/constants.hpp"
#include "onshi/core/bytes.hpp"

namespace onshi::ccid {

struct Message {
  std::uint8_t type = 0;
  std::uint8_t slot = 0;
  std::uint8_t seq = 0;
  std::array<std::uint8_t, 3> specific{};  // header bytes 7..9, meaning depends on type
  Bytes data;                              // abData; dwLength is data.size()

  // `max_message_length` bounds header + data (the reader's dwMaxCCIDMessageLength).
  static Message parse(ByteView frame, std::size_t max_message_length = 65544 + header_size);
  // The dwLength field of a (possibly partial) frame; throws when fewer than 10 bytes.
  static std::uint32_t declared_length(ByteView frame);
  Bytes encode() const;

  MessageType message_type() const { return static_cast<MessageType>(type); }

  // Reader -> PC fields.
  std::uint8_t b_status() const { return specific[0]; }
  std::uint8_t b_error() const { return specific[1]; }
  std::uint8_t b_chain_parameter() const { return specific[2]; }  // DataBlock
  // PC -> reader fields.
  std::uint8_t b_power_select() const { return specific[0]; }                          // IccPowerOn
  std::uint8_t b_bwi() const { return specific[0]; }                                   // XfrBlock
  std::uint16_t w_level_parameter() const {                                            // XfrBlock
    return static_cast<std::uint16_t>(specific[1] | (specific[2] << 8));
  }
  std::uint8_t b_protocol_num() const { return specific[0]; }                          // SetParameters
};

// PC -> reader builders.
Message icc_power_on(std::uint8_t slot, std::uint8_t seq, std::uint8_t power_select = 0);
Message icc_power_off(std::uint8_t slot, std::uint8_t seq);
Message get_slot_status(std::uint8_t slot, std::uint8_t seq);
Message xfr_block(std::uint8_t slot, std::uint8_t seq, ByteView data, std::uint16_t level_parameter = chain::whole,
                  std::uint8_t bwi = 0);
Message get_parameters(std::uint8_t slot, std::uint8_t seq);
Message abort_command(std::uint8_t slot, std::uint8_t seq);

// Reader -> PC builders.
Message data_block(std::uint8_t slot, std::uint8_t seq, std::uint8_t status, std::uint8_t error, ByteView data,
                   std::uint8_t chain_parameter = 0);
Message slot_status(std::uint8_t slot, std::uint8_t seq, std::uint8_t status, std::uint8_t error,
                    std::uint8_t clock_status = 0);
Message parameters(std::uint8_t slot, std::uint8_t seq, std::uint8_t status, std::uint8_t error,
                   std::uint8_t protocol_num, ByteView protocol_data);

// Interrupt IN: RDR_to_PC_NotifySlotChange for slots [0, slot_count).
Bytes notify_slot_change(const std::array<bool, 4>& present, const std::array<bool, 4>& changed,
                         std::size_t slot_count = 1);

}  // namespace onshi::ccid
