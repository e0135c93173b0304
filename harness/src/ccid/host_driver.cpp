#include "onshi/ccid/host_driver.hpp"

#include <algorithm>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/usb/descriptors.hpp"

namespace onshi::ccid {
namespace {

constexpr std::size_t min_extended_level_message_length = 261 + header_size;

usb::ConfigurationDescriptor read_configuration(usb::UsbTransport& transport, Duration timeout) {
  try {
    return usb::read_configuration_descriptor([&](std::uint16_t length) {
      return transport.control_in(usb::get_descriptor_request(usb::descriptor_type::configuration, 0, length),
                                  timeout);
    });
  } catch (const Error& e) {
    if (e.code() != ErrorCode::malformed_input) throw;
    throw Error(e.code(), e.message(), transport.describe() + " " + e.context());  // which device sent it
  }
}

}  // namespace

HostDriver::HostDriver(usb::UsbTransport& transport, HostDriverOptions options)
    : transport_(transport), options_(options) {
  const usb::ConfigurationDescriptor config = read_configuration(transport_, options_.control_timeout);
  const usb::InterfaceDescriptor* ccid = config.find_interface_by_class(interface_class);
  if (ccid == nullptr) {
    throw Error(ErrorCode::device, "the device has no CCID interface (class 0x0B)", transport_.describe());
  }
  descriptor_ = ClassDescriptor::parse(ccid->class_specific);
  interface_number_ = ccid->number;
  const auto in = ccid->find_endpoint(usb::TransferType::bulk, true);
  const auto out = ccid->find_endpoint(usb::TransferType::bulk, false);
  if (!in || !out) {
    throw Error(ErrorCode::device, "the CCID interface lacks a bulk IN or bulk OUT endpoint", transport_.describe());
  }
  bulk_in_ = in->address;
  bulk_out_ = out->address;
  if (const auto irq = ccid->find_endpoint(usb::TransferType::interrupt, true)) {
    interrupt_in_ = irq->address;
    interrupt_packet_size_ = irq->max_packet_size;
  }
  // CCID §5.1 (dwMaxCCIDMessageLength): at the extended APDU level the reader takes at least
  // 261 + 10 bytes. Less leaves a chained command no room per block (a limit of 10 would send
  // empty blocks for as long as the reader asked for the next one).
  if (descriptor_.exchange_level() == feature::exchange_extended_apdu &&
      descriptor_.max_ccid_message_length < min_extended_level_message_length) {
    throw Error(ErrorCode::device,
                "dwMaxCCIDMessageLength " + std::to_string(descriptor_.max_ccid_message_length) +
                    " is below the " + std::to_string(min_extended_level_message_length) +
                    " bytes an extended-APDU-level reader must take (CCID 5.1: 261 + the 10-byte header)",
                transport_.describe());
  }
  if (options_.slot > descriptor_.max_slot_index) {
    throw Error(ErrorCode::invalid_argument,
                "slot " + std::to_string(options_.slot) + " beyond bMaxSlotIndex " +
                    std::to_string(descriptor_.max_slot_index),
                transport_.describe());
  }
}

Message HostDriver::read_response(std::uint8_t seq, MessageType expected, const std::string& context) {
  const std::size_t max_length = descriptor_.max_ccid_message_length;
  for (unsigned extensions = 0;; ++extensions) {
    // A message may arrive over several bulk transfers when it exceeds the buffer.
    Bytes frame = transport_.bulk_in(bulk_in_, max_length, options_.response_timeout);
    while (frame.size() < header_size ||
           frame.size() < header_size + static_cast<std::size_t>(Message::declared_length(frame))) {
      if (frame.size() >= header_size && Message::declared_length(frame) > max_length - header_size) break;
      Bytes more = transport_.bulk_in(bulk_in_, max_length, options_.response_timeout);
      if (more.empty()) break;
      append(frame, more);
    }
    Message response = Message::parse(frame, max_length);
    if (response.seq != seq || response.slot != options_.slot) {
      throw Error(ErrorCode::protocol,
                  "response for slot " + std::to_string(response.slot) + " seq " + std::to_string(response.seq) +
                      ", expected slot " + std::to_string(options_.slot) + " seq " + std::to_string(seq),
                  context);
    }
    if (response.message_type() != expected) {
      throw Error(ErrorCode::protocol, "got " + describe(response.message_type()) + ", expected " + describe(expected),
                  context);
    }
    if (command_status(response.b_status()) != CommandStatus::time_extension) return response;
    if (extensions >= options_.max_time_extensions) {
      throw Error(ErrorCode::timeout,
                  "reader asked for more time " + std::to_string(extensions) + " times without answering", context);
    }
  }
}

Message HostDriver::exchange(const Message& command, MessageType expected) {
  const std::string context = transport_.describe() + " " + describe(command.message_type());
  transport_.bulk_out(bulk_out_, command.encode(), options_.response_timeout);
  ++messages_sent_;
  return read_response(command.seq, expected, context);
}

SlotState HostDriver::slot_status() {
  const Message r = exchange(get_slot_status(options_.slot, next_seq()), MessageType::slot_status);
  return SlotState{icc_status(r.b_status()), r.b_status(), r.b_error()};
}

Bytes HostDriver::power_on() {
  const Message r = exchange(icc_power_on(options_.slot, next_seq(), 0), MessageType::data_block);
  if (command_status(r.b_status()) != CommandStatus::ok) {
    throw Error(ErrorCode::device, "IccPowerOn failed: " + describe_status(r.b_status(), r.b_error()),
                transport_.describe());
  }
  if (r.data.empty()) throw Error(ErrorCode::protocol, "IccPowerOn returned an empty ATR", transport_.describe());
  return r.data;
}

void HostDriver::power_off() {
  const Message r = exchange(icc_power_off(options_.slot, next_seq()), MessageType::slot_status);
  if (command_status(r.b_status()) != CommandStatus::ok) {
    throw Error(ErrorCode::device, "IccPowerOff failed: " + describe_status(r.b_status(), r.b_error()),
                transport_.describe());
  }
}

Message HostDriver::xfr(ByteView data, std::uint16_t level) {
  const Message r = exchange(xfr_block(options_.slot, next_seq(), data, level), MessageType::data_block);
  if (command_status(r.b_status()) != CommandStatus::ok) {
    throw Error(ErrorCode::device, "XfrBlock failed: " + describe_status(r.b_status(), r.b_error()),
                transport_.describe());
  }
  return r;
}

Bytes HostDriver::transmit_raw(ByteView command_apdu) {
  const std::uint32_t level = descriptor_.exchange_level();
  if (level != feature::exchange_short_apdu && level != feature::exchange_extended_apdu) {
    throw Error(ErrorCode::device, "reader exchange level is not APDU (TPDU/character levels not supported yet)",
                transport_.describe());
  }
  const bool extended = level == feature::exchange_extended_apdu;
  const std::size_t room = descriptor_.max_ccid_message_length - header_size;  // >= 261 at the extended level (constructor)
  if (command_apdu.empty()) throw Error(ErrorCode::invalid_argument, "empty command APDU", transport_.describe());
  if (command_apdu.size() > room && !extended) {
    throw Error(ErrorCode::invalid_argument,
                "APDU of " + std::to_string(command_apdu.size()) + " bytes exceeds the reader's message limit",
                transport_.describe());
  }
  Message r;
  if (command_apdu.size() <= room) {
    r = xfr(command_apdu, chain::whole);
  } else {
    // Extended APDU level: the command goes out in blocks (CCID §6.1.4, wLevelParameter).
    for (std::size_t offset = 0; offset < command_apdu.size(); offset += room) {
      const std::size_t n = std::min(room, command_apdu.size() - offset);
      const bool last = offset + n == command_apdu.size();
      r = xfr(command_apdu.subspan(offset, n), offset == 0 ? chain::begins : last ? chain::ends : chain::continues);
      if (!last && r.b_chain_parameter() != chain::next_part) {
        throw Error(ErrorCode::protocol,
                    "reader answered a chained command block with bChainParameter " +
                        std::to_string(r.b_chain_parameter()) + ", expected 0x10",
                    transport_.describe());
      }
    }
  }
  if (r.b_chain_parameter() == chain::whole) return r.data;
  if (r.b_chain_parameter() != chain::begins || !extended) {
    throw Error(ErrorCode::protocol, "unexpected bChainParameter " + std::to_string(r.b_chain_parameter()),
                transport_.describe());
  }
  // The response comes in parts: ask for each with an empty block (wLevelParameter 0x10).
  Bytes response = std::move(r.data);
  for (std::size_t parts = 1;; ++parts) {
    if (response.size() > 65538) {
      throw Error(ErrorCode::protocol, "chained response exceeds an extended R-APDU", transport_.describe());
    }
    const Message next = xfr({}, chain::next_part);
    append(response, next.data);
    if (next.b_chain_parameter() == chain::ends) return response;
    // An empty middle part makes no progress: a reader sending them would be asked for ever.
    if (next.data.empty() && next.b_chain_parameter() == chain::continues) {
      throw Error(ErrorCode::protocol, "response part " + std::to_string(parts) + " is empty and not the last",
                  transport_.describe());
    }
    if (next.b_chain_parameter() != chain::continues) {
      throw Error(ErrorCode::protocol,
                  "response part " + std::to_string(parts) + " has bChainParameter " +
                      std::to_string(next.b_chain_parameter()),
                  transport_.describe());
    }
  }
}

iso7816::ResponseApdu HostDriver::transmit(const iso7816::CommandApdu& command) {
  return iso7816::ResponseApdu::parse(transmit_raw(command.encode()));
}

void HostDriver::abort() {
  const std::uint8_t seq = next_seq();
  usb::SetupPacket setup;
  setup.request_type = 0x21;  // host-to-device, class, interface
  setup.request = request::abort;
  setup.value = static_cast<std::uint16_t>((seq << 8) | options_.slot);
  setup.index = interface_number_;
  transport_.control_out(setup, {}, options_.control_timeout);
  const Message r = exchange(abort_command(options_.slot, seq), MessageType::slot_status);
  if (command_status(r.b_status()) != CommandStatus::ok) {
    throw Error(ErrorCode::device, "Abort failed: " + describe_status(r.b_status(), r.b_error()), transport_.describe());
  }
}

std::optional<SlotChange> HostDriver::wait_for_slot_change(Duration timeout) {
  if (!interrupt_in_) return std::nullopt;
  Bytes notification;
  try {
    notification = transport_.interrupt_in(*interrupt_in_, interrupt_packet_size_, timeout);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::timeout) return std::nullopt;
    throw;
  }
  if (notification.size() < 2 || notification[0] != static_cast<std::uint8_t>(MessageType::notify_slot_change)) {
    throw Error(ErrorCode::protocol, "interrupt IN carried " + to_hex(notification, " ") + ", not NotifySlotChange",
                transport_.describe());
  }
  // bmSlotICCState holds 2 bits per slot, 4 slots a byte (CCID §6.3.1): the byte for our slot
  // must be there, however many slots the reader announced.
  const std::size_t state_byte = 1 + options_.slot / 4u;
  if (notification.size() <= state_byte) {
    throw Error(ErrorCode::protocol,
                "NotifySlotChange of " + std::to_string(notification.size()) + " bytes lacks slot " +
                    std::to_string(options_.slot) + "'s state (byte " + std::to_string(state_byte) + ")",
                transport_.describe());
  }
  const unsigned bits = (notification[state_byte] >> ((options_.slot % 4u) * 2u)) & 0x3u;
  return SlotChange{(bits & 1u) != 0, (bits & 2u) != 0};
}

}  // namespace onshi::ccid
