#pragma once
// The device side of an emulated USB device: what it answers on each endpoint. The
// in-process transport calls it directly; a USB/IP server calls it for each URB. Mirrors
// UsbTransport so the same emulated reader serves every host backend.
#include <cstdint>
#include <optional>
#include <string>

#include "onshi/core/bytes.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/setup_packet.hpp"

namespace onshi::usb {

class UsbDeviceEmulation {
 public:
  virtual ~UsbDeviceEmulation() = default;

  virtual DeviceDescriptor device_descriptor() const = 0;
  virtual ConfigurationDescriptor configuration_descriptor() const = 0;

  // Control transfers on endpoint 0; throw Error(device) to stall.
  virtual Bytes control_in(const SetupPacket& setup) = 0;
  virtual void control_out(const SetupPacket& setup, ByteView data) = 0;
  // Bulk OUT data as the host sent it (one transfer; a CCID message may span several).
  virtual void bulk_out(std::uint8_t endpoint, ByteView data) = 0;
  // Waits up to `timeout` for IN data; nullopt means the device NAKed throughout.
  virtual std::optional<Bytes> bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) = 0;
  virtual std::optional<Bytes> interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) = 0;

  // False once the device is unplugged; transfers then fail with Error(device).
  virtual bool attached() const = 0;
  virtual std::string serial_number() const = 0;
};

}  // namespace onshi::usb
