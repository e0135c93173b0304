#pragma once
// The host side's access to one USB device, shaped like libusb's synchronous API: control,
// bulk and interrupt transfers, each bounded by a timeout. Backends: in-process (an
// emulated device in this process), libusb, a USB/IP client.
#include <cstdint>
#include <string>

#include "onshi/core/bytes.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/usb/setup_packet.hpp"

namespace onshi::usb {

class UsbTransport {
 public:
  virtual ~UsbTransport() = default;

  // All transfers throw Error(timeout) when the timeout passes with nothing transferred,
  // and Error(device) when the device stalls the endpoint or is gone.
  virtual Bytes control_in(const SetupPacket& setup, Duration timeout) = 0;
  virtual void control_out(const SetupPacket& setup, ByteView data, Duration timeout) = 0;
  virtual void bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) = 0;
  // Returns up to `max_length` bytes: one transfer, ended by a short packet or a full buffer.
  virtual Bytes bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) = 0;
  virtual Bytes interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) = 0;

  // "in-process:ONSHI0001", "libusb:1-2", "usbip:127.0.0.1:3240/1-1" — for messages.
  virtual std::string describe() const = 0;
};

}  // namespace onshi::usb
