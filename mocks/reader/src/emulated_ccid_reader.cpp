#include "onshi/mocks/reader/emulated_ccid_reader.hpp"

#include "onshi/ccid/constants.hpp"
#include "onshi/core/error.hpp"
#include "onshi/usb/setup_packet.hpp"

namespace onshi::mocks::reader {

using ccid::CommandStatus;
using ccid::IccStatus;
using ccid::Message;
using ccid::MessageType;
namespace slot_error = ccid::slot_error;

namespace {

constexpr std::uint8_t manufacturer_string = 1;
constexpr std::uint8_t product_string = 2;
constexpr std::uint8_t serial_string = 3;

// The response type the CCID spec pairs with each command.
MessageType response_type_for(std::uint8_t command) {
  switch (static_cast<MessageType>(command)) {
    case MessageType::icc_power_on:
    case MessageType::xfr_block:
    case MessageType::secure: return MessageType::data_block;
    case MessageType::get_parameters:
    case MessageType::reset_parameters:
    case MessageType::set_parameters: return MessageType::parameters;
    case MessageType::escape: return MessageType::escape_response;
    case MessageType::set_data_rate_and_clock: return MessageType::data_rate_and_clock;
    default: return MessageType::slot_status;
  }
}

Message failed(const Message& command, std::uint8_t status, std::uint8_t error) {
  Message r;
  r.type = static_cast<std::uint8_t>(response_type_for(command.type));
  r.slot = command.slot;
  r.seq = command.seq;
  r.specific = {status, error, 0};
  return r;
}

// T=1 protocol data for RDR_to_PC_Parameters, matching the contact ATR's TA1/TA3/TB3.
const Bytes t1_parameters{0x11, 0x10, 0x00, 0x45, 0x00, 0xFE, 0x00};

}  // namespace

EmulatedCcidReader::EmulatedCcidReader(ReaderIdentity identity)
    : identity_(std::move(identity)), protocol_data_(t1_parameters) {}

void EmulatedCcidReader::pull_card_during_next_exchange(unsigned nth) {
  std::lock_guard lock(mutex_);
  pull_card_countdown_ = nth;
}

void EmulatedCcidReader::unplug_during_next_exchange(unsigned nth) {
  std::lock_guard lock(mutex_);
  unplug_countdown_ = nth;
}

void EmulatedCcidReader::insert_card(std::shared_ptr<iso7816::Icc> card) {
  std::lock_guard lock(mutex_);
  card_ = std::move(card);
  powered_ = false;
  queue_notification(true);
}

void EmulatedCcidReader::remove_card() {
  std::lock_guard lock(mutex_);
  if (card_ && powered_) card_->power_off();
  card_.reset();
  powered_ = false;
  queue_notification(true);
}

bool EmulatedCcidReader::card_present() const {
  std::lock_guard lock(mutex_);
  return card_ != nullptr;
}

void EmulatedCcidReader::unplug() {
  {
    std::lock_guard lock(mutex_);
    attached_ = false;
  }
  bulk_in_ready_.notify_all();
  interrupt_ready_.notify_all();
}

bool EmulatedCcidReader::attached() const {
  std::lock_guard lock(mutex_);
  return attached_;
}

std::uint64_t EmulatedCcidReader::commands_handled() const {
  std::lock_guard lock(mutex_);
  return commands_handled_;
}

void EmulatedCcidReader::queue_notification(bool changed) {
  interrupt_queue_.push_back(ccid::notify_slot_change({card_ != nullptr, false, false, false},
                                                      {changed, false, false, false}));
  interrupt_ready_.notify_all();
}

usb::DeviceDescriptor EmulatedCcidReader::device_descriptor() const {
  usb::DeviceDescriptor d;
  d.bcd_usb = 0x0110;
  d.vendor_id = identity_.vendor_id;
  d.product_id = identity_.product_id;
  d.bcd_device = identity_.bcd_device;
  d.max_packet_size0 = 64;
  d.manufacturer_index = manufacturer_string;
  d.product_index = product_string;
  d.serial_number_index = serial_string;
  return d;
}

usb::ConfigurationDescriptor EmulatedCcidReader::configuration_descriptor() const {
  usb::InterfaceDescriptor ccid_interface;
  ccid_interface.interface_class = ccid::interface_class;
  ccid_interface.class_specific = identity_.class_descriptor.encode();
  ccid_interface.endpoints = {
      {bulk_out_endpoint, usb::TransferType::bulk, identity_.max_packet_size, 0},
      {bulk_in_endpoint, usb::TransferType::bulk, identity_.max_packet_size, 0},
      {interrupt_in_endpoint, usb::TransferType::interrupt, 8, 0x10},
  };
  usb::ConfigurationDescriptor c;
  c.interfaces.push_back(std::move(ccid_interface));
  return c;
}

Bytes EmulatedCcidReader::control_in(const usb::SetupPacket& setup) {
  namespace req = usb::standard_request;
  const std::uint8_t type = static_cast<std::uint8_t>(setup.request_type & 0x60);
  if (type == 0x00) {  // standard
    switch (setup.request) {
      case req::get_descriptor: {
        const auto descriptor = static_cast<std::uint8_t>(setup.value >> 8);
        const auto index = static_cast<std::uint8_t>(setup.value & 0xFF);
        if (descriptor == usb::descriptor_type::device) return device_descriptor().encode();
        if (descriptor == usb::descriptor_type::configuration && index == 0) {
          return configuration_descriptor().encode();
        }
        if (descriptor == usb::descriptor_type::string) {
          if (index == 0) return usb::encode_language_ids();
          if (index == manufacturer_string) return usb::encode_string_descriptor(identity_.manufacturer);
          if (index == product_string) return usb::encode_string_descriptor(identity_.product);
          if (index == serial_string) return usb::encode_string_descriptor(identity_.serial_number);
        }
        break;  // device_qualifier etc.: a full-speed device stalls
      }
      case req::get_status: return Bytes{0, 0};
      case req::get_configuration: {
        std::lock_guard lock(mutex_);
        return Bytes{configuration_};
      }
      case req::get_interface: return Bytes{0};
      default: break;
    }
  } else if (type == 0x20) {  // class
    Bytes out;
    if (setup.request == ccid::request::get_clock_frequencies) {
      store_le32(out, identity_.class_descriptor.default_clock_khz);
      return out;
    }
    if (setup.request == ccid::request::get_data_rates) {
      store_le32(out, identity_.class_descriptor.data_rate_bps);
      return out;
    }
  }
  throw Error(ErrorCode::device, "stall: unsupported control IN request 0x" + to_hex(setup.encode()),
              "emulated reader " + identity_.serial_number);
}

void EmulatedCcidReader::control_out(const usb::SetupPacket& setup, ByteView) {
  namespace req = usb::standard_request;
  const std::uint8_t type = static_cast<std::uint8_t>(setup.request_type & 0x60);
  if (type == 0x00) {
    switch (setup.request) {
      case req::set_configuration: {
        std::lock_guard lock(mutex_);
        configuration_ = static_cast<std::uint8_t>(setup.value);
        return;
      }
      case req::set_interface:
      case req::clear_feature:
      case req::set_feature:
      case req::set_address: return;
      default: break;
    }
  } else if (type == 0x20 && setup.request == ccid::request::abort) {
    // wValue = bSeq << 8 | bSlot. Until the matching PC_to_RDR_Abort arrives on bulk OUT,
    // other commands are answered CMD_ABORTED (CCID §5.3.1).
    std::lock_guard lock(mutex_);
    abort_seq_ = static_cast<std::uint8_t>(setup.value >> 8);
    command_chain_.clear();
    command_chain_open_ = false;
    pending_response_.clear();
    return;
  }
  throw Error(ErrorCode::device, "stall: unsupported control OUT request 0x" + to_hex(setup.encode()),
              "emulated reader " + identity_.serial_number);
}

void EmulatedCcidReader::bulk_out(std::uint8_t endpoint, ByteView data) {
  std::lock_guard lock(mutex_);
  if (!attached_) throw Error(ErrorCode::device, "device unplugged", "emulated reader " + identity_.serial_number);
  if (endpoint != bulk_out_endpoint) {
    throw Error(ErrorCode::device, "stall: no bulk OUT endpoint " + std::to_string(endpoint),
                "emulated reader " + identity_.serial_number);
  }
  append(bulk_out_buffer_, data);
  const std::size_t max_length = identity_.class_descriptor.max_ccid_message_length;
  while (bulk_out_buffer_.size() >= ccid::header_size) {
    const std::uint32_t declared = Message::declared_length(bulk_out_buffer_);
    if (declared > max_length - ccid::header_size) {
      // Longer than we accept: answer "bad dwLength" and drop what we have.
      Message header;
      header.type = bulk_out_buffer_[0];
      header.slot = bulk_out_buffer_[5];
      header.seq = bulk_out_buffer_[6];
      bulk_in_queue_.push_back(failed(header, slot_status_byte(CommandStatus::failed), slot_error::bad_length).encode());
      bulk_out_buffer_.clear();
      break;
    }
    const std::size_t total = ccid::header_size + declared;
    if (bulk_out_buffer_.size() < total) break;  // wait for the rest of the message
    const Message command = Message::parse(ByteView(bulk_out_buffer_).first(total), max_length);
    bulk_out_buffer_.erase(bulk_out_buffer_.begin(), bulk_out_buffer_.begin() + static_cast<std::ptrdiff_t>(total));
    ++commands_handled_;
    if (command.message_type() == MessageType::xfr_block) {
      if (unplug_countdown_ != 0 && --unplug_countdown_ == 0) {
        // Gone mid-exchange: the command is never answered; waiters learn it at once.
        attached_ = false;
        bulk_out_buffer_.clear();
        bulk_in_ready_.notify_all();
        interrupt_ready_.notify_all();
        return;
      }
      if (misbehaviour_countdown_ != 0 && --misbehaviour_countdown_ == 0) misbehaving_ = true;
      if (misbehaving_) {
        bulk_in_queue_.push_back(misbehaving_answer(command));
        continue;
      }
      queue_time_extensions(command);
    }
    bulk_in_queue_.push_back(handle(command).encode());
  }
  bulk_in_ready_.notify_all();
}

std::optional<Bytes> EmulatedCcidReader::bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  std::unique_lock lock(mutex_);
  if (endpoint != bulk_in_endpoint) {
    throw Error(ErrorCode::device, "stall: no bulk IN endpoint " + std::to_string(endpoint),
                "emulated reader " + identity_.serial_number);
  }
  if (!bulk_in_ready_.wait_for(lock, timeout, [&] { return !bulk_in_queue_.empty() || storming_ || !attached_; }) ||
      !attached_) {
    return std::nullopt;
  }
  if (bulk_in_queue_.empty()) {  // a storm: one more "wait longer" for every read, never the answer
    return ccid::data_block(storming_->slot, storming_->seq, slot_status_byte(CommandStatus::time_extension), 1, {})
        .encode();
  }
  Bytes& front = bulk_in_queue_.front();
  if (front.size() <= max_length) {
    Bytes out = std::move(front);
    bulk_in_queue_.pop_front();
    return out;
  }
  // A message larger than the host's buffer goes out over several transfers.
  Bytes out(front.begin(), front.begin() + static_cast<std::ptrdiff_t>(max_length));
  front.erase(front.begin(), front.begin() + static_cast<std::ptrdiff_t>(max_length));
  return out;
}

std::optional<Bytes> EmulatedCcidReader::interrupt_in(std::uint8_t endpoint, std::size_t, Duration timeout) {
  std::unique_lock lock(mutex_);
  if (endpoint != interrupt_in_endpoint) {
    throw Error(ErrorCode::device, "stall: no interrupt IN endpoint " + std::to_string(endpoint),
                "emulated reader " + identity_.serial_number);
  }
  if (!interrupt_ready_.wait_for(lock, timeout, [&] { return !interrupt_queue_.empty() || !attached_; }) ||
      !attached_) {
    return std::nullopt;
  }
  Bytes out = std::move(interrupt_queue_.front());
  interrupt_queue_.pop_front();
  return out;
}

std::uint8_t EmulatedCcidReader::slot_status_byte(CommandStatus command) const {
  const IccStatus icc = !card_ ? IccStatus::absent : powered_ ? IccStatus::present_active : IccStatus::present_inactive;
  return ccid::make_status(icc, command);
}

void EmulatedCcidReader::misbehave_from_exchange(Misbehaviour what, unsigned nth) {
  std::lock_guard lock(mutex_);
  misbehaviour_ = what;
  misbehaviour_countdown_ = nth;
  misbehaving_ = false;
}

Bytes EmulatedCcidReader::misbehaving_answer(const Message& command) {
  const auto answer_with = [&](Bytes apdu_response) {
    return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, apdu_response);
  };
  switch (*misbehaviour_) {
    case Misbehaviour::time_extension_storm:
      storming_ = command;
      return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::time_extension), 1, {})
          .encode();
    case Misbehaviour::wrong_length: {
      Bytes frame = handle(command).encode();
      const std::uint32_t real = Message::declared_length(frame);
      const std::uint32_t wrong = real == 0 ? 1 : real - 1;
      for (std::size_t i = 0; i < 4; ++i) frame[1 + i] = static_cast<std::uint8_t>(wrong >> (8 * i));
      return frame;
    }
    case Misbehaviour::wrong_sequence: {
      Bytes frame = handle(command).encode();
      frame[6] = static_cast<std::uint8_t>(frame[6] + 1);
      return frame;
    }
    case Misbehaviour::endless_61xx: return answer_with({0x61, 0x10}).encode();
    case Misbehaviour::endless_6cxx: return answer_with({0x6C, 0x10}).encode();
  }
  return handle(command).encode();
}

void EmulatedCcidReader::queue_time_extensions(const Message& command) {
  for (unsigned i = 0; i < identity_.time_extensions_per_exchange; ++i) {
    // bError carries the BWT multiplier the host should wait for.
    bulk_in_queue_.push_back(
        ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::time_extension), 1, {}).encode());
  }
}

Message EmulatedCcidReader::handle(const Message& command) {
  if (command.slot > identity_.class_descriptor.max_slot_index) {
    return failed(command, ccid::make_status(IccStatus::absent, CommandStatus::failed), slot_error::bad_slot);
  }
  if (abort_seq_) {
    if (command.message_type() == MessageType::abort && command.seq == *abort_seq_) {
      abort_seq_.reset();
      return ccid::slot_status(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, powered_ ? 0 : 3);
    }
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::aborted);
  }
  const std::uint8_t ok_status = slot_status_byte(CommandStatus::ok);
  switch (command.message_type()) {
    case MessageType::icc_power_on: return handle_power_on(command);
    case MessageType::icc_power_off:
      if (card_ && powered_) card_->power_off();
      powered_ = false;
      // bClockStatus 3: clock stopped in an unknown state (the card is not powered).
      return ccid::slot_status(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, 3);
    case MessageType::get_slot_status:
      return ccid::slot_status(command.slot, command.seq, ok_status, 0, powered_ ? 0 : 3);
    case MessageType::xfr_block: return handle_xfr_block(command);
    case MessageType::get_parameters:
    case MessageType::reset_parameters:
      if (!card_) return failed(command, slot_status_byte(CommandStatus::failed), slot_error::icc_mute);
      if (command.message_type() == MessageType::reset_parameters) protocol_data_ = t1_parameters;
      return ccid::parameters(command.slot, command.seq, ok_status, 0, 1, protocol_data_);
    case MessageType::set_parameters: return handle_set_parameters(command);
    case MessageType::abort:
      // A bulk Abort without the class request first: the spec lets the reader answer OK.
      return ccid::slot_status(command.slot, command.seq, ok_status, 0, powered_ ? 0 : 3);
    default:
      return failed(command, slot_status_byte(CommandStatus::failed), slot_error::command_not_supported);
  }
}

Message EmulatedCcidReader::handle_power_on(const Message& command) {
  if (command.b_power_select() > 3) {
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::bad_power_select);
  }
  if (!card_) return failed(command, slot_status_byte(CommandStatus::failed), slot_error::icc_mute);
  const Bytes atr = card_->power_on();
  powered_ = true;
  return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, atr);
}

Message EmulatedCcidReader::handle_set_parameters(const Message& command) {
  if (!card_) return failed(command, slot_status_byte(CommandStatus::failed), slot_error::icc_mute);
  if (command.b_protocol_num() != 1) {
    // Only T=1 is offered by the card's ATR; offset 7 names bProtocolNum.
    return failed(command, slot_status_byte(CommandStatus::failed), 7);
  }
  if (command.data.size() != t1_parameters.size()) {
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::bad_length);
  }
  // abProtocolDataStructure byte 5 is bIFSC (offset 10 + 5); 0 and 0xFF are reserved.
  if (command.data[5] == 0 || command.data[5] == 0xFF) {
    return failed(command, slot_status_byte(CommandStatus::failed), 15);
  }
  protocol_data_ = command.data;
  return ccid::parameters(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, 1, protocol_data_);
}

Message EmulatedCcidReader::handle_xfr_block(const Message& command) {
  if (!card_ || !powered_) {
    // No card, or a card that was never activated: the reader gets no answer from it.
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::icc_mute);
  }
  if (pull_card_countdown_ != 0 && --pull_card_countdown_ == 0) {
    // The card left the field while the reader was waiting for its answer.
    card_.reset();
    powered_ = false;
    command_chain_.clear();
    command_chain_open_ = false;
    queue_notification(true);
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::icc_mute);
  }
  const bool extended = identity_.class_descriptor.exchange_level() == ccid::feature::exchange_extended_apdu;
  const std::uint16_t level = command.w_level_parameter();
  if (level != ccid::chain::whole && !extended) {
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::bad_level_parameter);
  }
  switch (level) {
    case ccid::chain::whole:
      if (command_chain_open_) break;  // a new APDU while a chain is open: a protocol error
      if (command.data.empty()) return failed(command, slot_status_byte(CommandStatus::failed), slot_error::bad_length);
      pending_response_.clear();
      return respond_with_chaining(command, card_->transmit(command.data));
    case ccid::chain::begins:
      command_chain_ = command.data;
      command_chain_open_ = true;
      return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, {},
                              static_cast<std::uint8_t>(ccid::chain::next_part));
    case ccid::chain::continues:
      if (!command_chain_open_) break;
      append(command_chain_, command.data);
      return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, {},
                              static_cast<std::uint8_t>(ccid::chain::next_part));
    case ccid::chain::ends: {
      if (!command_chain_open_) break;
      append(command_chain_, command.data);
      command_chain_open_ = false;
      Bytes apdu = std::move(command_chain_);
      command_chain_.clear();
      return respond_with_chaining(command, card_->transmit(apdu));
    }
    case ccid::chain::next_part:
      if (pending_response_.empty() || !command.data.empty()) break;
      return respond_with_chaining(command, std::move(pending_response_));
    default: break;
  }
  command_chain_.clear();
  command_chain_open_ = false;
  return failed(command, slot_status_byte(CommandStatus::failed), slot_error::bad_level_parameter);
}

Message EmulatedCcidReader::respond_with_chaining(const Message& command, Bytes response) {
  const std::size_t room = identity_.class_descriptor.max_ccid_message_length - ccid::header_size;
  const bool continuing = !pending_response_.empty() || command.w_level_parameter() == ccid::chain::next_part;
  if (response.size() <= room) {
    pending_response_.clear();
    return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, response,
                            static_cast<std::uint8_t>(continuing ? ccid::chain::ends : ccid::chain::whole));
  }
  if (identity_.class_descriptor.exchange_level() != ccid::feature::exchange_extended_apdu) {
    // A short-APDU-level reader cannot chain: a response beyond one message is an overrun.
    pending_response_.clear();
    return failed(command, slot_status_byte(CommandStatus::failed), slot_error::xfr_overrun);
  }
  // Larger than one message: send the first part, keep the rest for the host's next_part blocks.
  pending_response_.assign(response.begin() + static_cast<std::ptrdiff_t>(room), response.end());
  response.resize(room);
  return ccid::data_block(command.slot, command.seq, slot_status_byte(CommandStatus::ok), 0, response,
                          static_cast<std::uint8_t>(continuing ? ccid::chain::continues : ccid::chain::begins));
}

}  // namespace onshi::mocks::reader
