#pragma once
// An emulated USB CCID reader device with one slot that hosts an ICC (the virtual My Number
// Card, or any Icc). It answers CCID commands at the short- or extended-APDU exchange level
// its identity's class descriptor announces (with command and response chaining at the
// extended level), as the CCID spec says (bStatus/bError); signals insertion and removal on
// interrupt IN; asks for time extensions; honours the two-part Abort (class request +
// PC_to_RDR_Abort); and handles the standard control requests a host sends while
// enumerating. Reached in-process through usb::InProcessTransport, or exported over USB/IP.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "onshi/ccid/message.hpp"
#include "onshi/iso7816/icc.hpp"
#include "onshi/mocks/reader/reader_identity.hpp"
#include "onshi/usb/usb_device_emulation.hpp"

namespace onshi::mocks::reader {

class EmulatedCcidReader final : public usb::UsbDeviceEmulation {
 public:
  static constexpr std::uint8_t interrupt_in_endpoint = 0x81;
  static constexpr std::uint8_t bulk_in_endpoint = 0x82;
  static constexpr std::uint8_t bulk_out_endpoint = 0x03;

  explicit EmulatedCcidReader(ReaderIdentity identity = {});

  void insert_card(std::shared_ptr<iso7816::Icc> card);
  void remove_card();
  bool card_present() const;
  void unplug();  // the device vanishes: transfers fail from now on
  // Fault injection. The card is pulled while the nth XfrBlock from now is being processed
  // (after any time-extension blocks): the reader answers that exchange with ICC absent +
  // ICC_MUTE and signals the removal on interrupt IN.
  void pull_card_during_next_exchange(unsigned nth = 1);
  // The reader itself vanishes on the nth XfrBlock from now, leaving it unanswered.
  void unplug_during_next_exchange(unsigned nth = 1);
  // A broken reader or card: from the nth XfrBlock from now on, every XfrBlock is answered
  // wrongly, for ever, so a host that does not bound its retries never ends.
  enum class Misbehaviour {
    time_extension_storm,  // only time-extension blocks, one for every bulk IN read
    wrong_length,          // the answer's dwLength one less than the bytes that follow
    wrong_sequence,        // the answer carries bSeq + 1
    endless_61xx,          // the card says "61 10: more bytes, GET RESPONSE" to every APDU
    endless_6cxx,          // the card says "6C 10: wrong Le, ask again with 10" to every APDU
  };
  void misbehave_from_exchange(Misbehaviour what, unsigned nth = 1);

  const ReaderIdentity& identity() const { return identity_; }
  std::uint64_t commands_handled() const;

  // usb::UsbDeviceEmulation
  usb::DeviceDescriptor device_descriptor() const override;
  usb::ConfigurationDescriptor configuration_descriptor() const override;
  Bytes control_in(const usb::SetupPacket& setup) override;
  void control_out(const usb::SetupPacket& setup, ByteView data) override;
  void bulk_out(std::uint8_t endpoint, ByteView data) override;
  std::optional<Bytes> bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  std::optional<Bytes> interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  bool attached() const override;
  std::string serial_number() const override { return identity_.serial_number; }

 private:
  ccid::Message handle(const ccid::Message& command);  // called with mutex_ held
  ccid::Message handle_xfr_block(const ccid::Message& command);
  ccid::Message handle_power_on(const ccid::Message& command);
  ccid::Message handle_set_parameters(const ccid::Message& command);
  ccid::Message respond_with_chaining(const ccid::Message& command, Bytes response);
  std::uint8_t slot_status_byte(ccid::CommandStatus command) const;
  void queue_time_extensions(const ccid::Message& command);  // called with mutex_ held
  Bytes misbehaving_answer(const ccid::Message& command);     // called with mutex_ held
  void queue_notification(bool changed);  // called with mutex_ held

  ReaderIdentity identity_;
  mutable std::mutex mutex_;
  std::condition_variable bulk_in_ready_;
  std::condition_variable interrupt_ready_;
  std::shared_ptr<iso7816::Icc> card_;
  bool powered_ = false;
  bool attached_ = true;
  std::uint8_t configuration_ = 0;
  Bytes bulk_out_buffer_;          // a CCID message may span several OUT transfers
  std::deque<Bytes> bulk_in_queue_;  // whole response messages, split into transfers on read
  std::deque<Bytes> interrupt_queue_;
  std::uint64_t commands_handled_ = 0;
  unsigned pull_card_countdown_ = 0;  // 0: not armed
  unsigned unplug_countdown_ = 0;
  unsigned misbehaviour_countdown_ = 0;
  std::optional<Misbehaviour> misbehaviour_;   // armed
  bool misbehaving_ = false;                  // the armed exchange came: for ever from now
  std::optional<ccid::Message> storming_;     // the XfrBlock a time-extension storm answers
  Bytes protocol_data_;           // T=1 parameters last set (SetParameters) or the ATR's
  Bytes command_chain_;           // extended level: a command APDU arriving in several blocks
  bool command_chain_open_ = false;
  Bytes pending_response_;        // extended level: the rest of a response sent in parts
  std::optional<std::uint8_t> abort_seq_;  // class ABORT received, PC_to_RDR_Abort awaited
};

}  // namespace onshi::mocks::reader
