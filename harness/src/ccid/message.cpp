#include "onshi/ccid/message.hpp"

#include <string>

#include "onshi/core/error.hpp"

namespace onshi::ccid {

std::uint32_t Message::declared_length(ByteView frame) {
  if (frame.size() < header_size) {
    throw Error(ErrorCode::malformed_input,
                "frame of " + std::to_string(frame.size()) + " bytes is shorter than the 10-byte header",
                "CCID header");
  }
  return load_le32(frame, 1);
}

Message Message::parse(ByteView frame, std::size_t max_message_length) {
  const std::uint32_t length = declared_length(frame);
  const std::string where = "CCID " + describe(static_cast<MessageType>(frame[0])) + " seq " + std::to_string(frame[6]);
  if (length > max_message_length - header_size) {
    throw Error(ErrorCode::malformed_input,
                "dwLength " + std::to_string(length) + " exceeds dwMaxCCIDMessageLength " +
                    std::to_string(max_message_length),
                where);
  }
  if (frame.size() != header_size + length) {
    throw Error(ErrorCode::malformed_input,
                "dwLength " + std::to_string(length) + " but " + std::to_string(frame.size() - header_size) +
                    " data bytes follow the header",
                where);
  }
  Message m;
  m.type = frame[0];
  m.slot = frame[5];
  m.seq = frame[6];
  m.specific = {frame[7], frame[8], frame[9]};
  m.data.assign(frame.begin() + header_size, frame.end());
  return m;
}

Bytes Message::encode() const {
  Bytes out;
  out.reserve(header_size + data.size());
  out.push_back(type);
  store_le32(out, static_cast<std::uint32_t>(data.size()));
  out.push_back(slot);
  out.push_back(seq);
  out.insert(out.end(), specific.begin(), specific.end());
  append(out, data);
  return out;
}

namespace {
Message make(MessageType type, std::uint8_t slot, std::uint8_t seq, std::array<std::uint8_t, 3> specific = {},
             ByteView data = {}) {
  Message m;
  m.type = static_cast<std::uint8_t>(type);
  m.slot = slot;
  m.seq = seq;
  m.specific = specific;
  m.data.assign(data.begin(), data.end());
  return m;
}
}  // namespace

Message icc_power_on(std::uint8_t slot, std::uint8_t seq, std::uint8_t power_select) {
  return make(MessageType::icc_power_on, slot, seq, {power_select, 0, 0});
}
Message icc_power_off(std::uint8_t slot, std::uint8_t seq) { return make(MessageType::icc_power_off, slot, seq); }
Message get_slot_status(std::uint8_t slot, std::uint8_t seq) { return make(MessageType::get_slot_status, slot, seq); }
Message xfr_block(std::uint8_t slot, std::uint8_t seq, ByteView data, std::uint16_t level_parameter,
                  std::uint8_t bwi) {
  return make(MessageType::xfr_block, slot, seq,
              {bwi, static_cast<std::uint8_t>(level_parameter), static_cast<std::uint8_t>(level_parameter >> 8)},
              data);
}
Message get_parameters(std::uint8_t slot, std::uint8_t seq) { return make(MessageType::get_parameters, slot, seq); }
Message abort_command(std::uint8_t slot, std::uint8_t seq) { return make(MessageType::abort, slot, seq); }

Message data_block(std::uint8_t slot, std::uint8_t seq, std::uint8_t status, std::uint8_t error, ByteView data,
                   std::uint8_t chain_parameter) {
  return make(MessageType::data_block, slot, seq, {status, error, chain_parameter}, data);
}
Message slot_status(std::uint8_t slot, std::uint8_t seq, std::uint8_t status, std::uint8_t error,
                    std::uint8_t clock_status) {
  return make(MessageType::slot_status, slot, seq, {status, error, clock_status});
}
Message parameters(std::uint8_t slot, std::uint8_t seq, std::uint8_t status, std::uint8_t error,
                   std::uint8_t protocol_num, ByteView protocol_data) {
  return make(MessageType::parameters, slot, seq, {status, error, protocol_num}, protocol_data);
}

Bytes notify_slot_change(const std::array<bool, 4>& present, const std::array<bool, 4>& changed,
                         std::size_t slot_count) {
  // bmSlotICCState: two bits per slot (bit 0 present, bit 1 changed), packed from the LSB.
  Bytes out{static_cast<std::uint8_t>(MessageType::notify_slot_change)};
  const std::size_t bytes = (slot_count * 2 + 7) / 8;
  out.resize(1 + bytes, 0);
  for (std::size_t s = 0; s < slot_count && s < 4; ++s) {
    const unsigned bits = (present[s] ? 1u : 0u) | (changed[s] ? 2u : 0u);
    out[1 + (s * 2) / 8] = static_cast<std::uint8_t>(out[1 + (s * 2) / 8] | (bits << ((s * 2) % 8)));
  }
  return out;
}

}  // namespace onshi::ccid
