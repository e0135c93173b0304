#pragma once
// The harness's CCID host driver: finds the CCID interface in the device's configuration,
// then speaks CCID over bulk OUT / bulk IN / interrupt IN of any UsbTransport. It is the
// APDU channel the card operations run on.
#include <cstdint>
#include <optional>

#include "onshi/ccid/class_descriptor.hpp"
#include "onshi/ccid/message.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/iso7816/apdu_channel.hpp"
#include "onshi/usb/usb_transport.hpp"

namespace onshi::ccid {

struct HostDriverOptions {
  std::uint8_t slot = 0;
  Duration control_timeout = std::chrono::seconds(2);
  // One bulk read; a reader asking for more time sends a time-extension block first.
  Duration response_timeout = std::chrono::seconds(10);
  unsigned max_time_extensions = 100;  // bounds a reader that only ever asks for more time
};

struct SlotState {
  IccStatus icc = IccStatus::absent;
  std::uint8_t b_status = 0;
  std::uint8_t b_error = 0;
};

struct SlotChange {
  bool present = false;
  bool changed = false;
};

class HostDriver final : public iso7816::ApduChannel {
 public:
  // Reads the configuration descriptor (Error(device) when there is no CCID interface or its
  // endpoints are missing; Error(malformed_input) when its class descriptor is bad).
  explicit HostDriver(usb::UsbTransport& transport, HostDriverOptions options = {});

  const ClassDescriptor& class_descriptor() const { return descriptor_; }
  const usb::UsbTransport& transport() const { return transport_; }

  SlotState slot_status();
  // Activates the card; returns its ATR. Error(device) naming bError when it fails
  // (e.g. ICC_MUTE: no card).
  Bytes power_on();
  void power_off();
  // One raw APDU exchange at the reader's exchange level (chained in blocks at the extended
  // level when it exceeds dwMaxCCIDMessageLength, either way).
  Bytes transmit_raw(ByteView command_apdu);
  iso7816::ResponseApdu transmit(const iso7816::CommandApdu& command) override;

  // The two-part CCID abort: class request ABORT on ep0, then PC_to_RDR_Abort on bulk OUT
  // with the same bSeq; the reader drops any command in progress.
  void abort();

  // Waits for RDR_to_PC_NotifySlotChange on the interrupt endpoint; nullopt on timeout.
  std::optional<SlotChange> wait_for_slot_change(Duration timeout);

  std::uint64_t messages_sent() const { return messages_sent_; }

 private:
  Message exchange(const Message& command, MessageType expected);
  Message xfr(ByteView data, std::uint16_t level);  // one XfrBlock; throws unless it succeeded
  Message read_response(std::uint8_t seq, MessageType expected, const std::string& context);
  std::uint8_t next_seq() { return seq_++; }

  usb::UsbTransport& transport_;
  HostDriverOptions options_;
  ClassDescriptor descriptor_;
  std::uint8_t interface_number_ = 0;
  std::uint8_t bulk_in_ = 0;
  std::uint8_t bulk_out_ = 0;
  std::optional<std::uint8_t> interrupt_in_;
  std::uint16_t interrupt_packet_size_ = 8;
  std::uint8_t seq_ = 0;
  std::uint64_t messages_sent_ = 0;
};

}  // namespace onshi::ccid
