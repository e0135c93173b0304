#pragma once
// The libusb host backend: a UsbTransport on a physical USB device, found by VID:PID (and
// serial when several match), with the wanted interface claimed (the kernel driver detached
// while we hold it). Every transfer is bounded by its timeout. libusb errors become
// Error(device/not_found/timeout) that say what to do: busy (another process or driver holds
// the interface — often pcscd's libccid), absent, no permission, or vanished (unplugged or
// re-enumerated; reopen() finds it again). libusb's headers stay out of this header.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/error.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/usb_transport.hpp"

namespace onshi::usb {

struct LibusbSelector {
  std::optional<std::uint16_t> vendor_id;
  std::optional<std::uint16_t> product_id;
  std::string serial;  // empty: any
  std::uint8_t interface_class = 0x0B;  // the interface to claim (CCID)
  std::string to_string() const;
};

// "08e6:4433" or "08e6:4433:SERIAL"; Error(invalid_argument) naming the text.
LibusbSelector parse_libusb_selector(const std::string& text);

struct LibusbDevice {
  std::uint8_t bus = 0;
  std::uint8_t address = 0;
  std::string port_path;  // "1-2.3", stable across re-enumeration on the same port
  DeviceDescriptor device;
  ConfigurationDescriptor configuration;  // the active (or first) configuration, class blocks included
  std::string configuration_error;  // why `configuration` is empty (malformed, unreadable), if it is
  std::string manufacturer;  // empty when the device could not be opened to read strings
  std::string product;
  std::string serial;
  std::string open_error;  // why strings are missing (permission, busy), if they are
};

// Every USB device libusb sees. Error(device) when libusb cannot start (no usbfs).
std::vector<LibusbDevice> libusb_list_devices(bool read_strings = true);

// Maps a libusb error code (LIBUSB_ERROR_*) to the harness's error, naming `context`.
Error libusb_error(int code, const std::string& context);

class LibusbTransport final : public UsbTransport {
 public:
  // Error(not_found) when nothing matches, Error(invalid_argument) when several match and no
  // serial picks one, Error(device) when busy or not permitted.
  static std::unique_ptr<LibusbTransport> open(const LibusbSelector& selector);
  ~LibusbTransport() override;

  Bytes control_in(const SetupPacket& setup, Duration timeout) override;
  void control_out(const SetupPacket& setup, ByteView data, Duration timeout) override;
  void bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) override;
  Bytes bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  Bytes interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  std::string describe() const override;

  // After the device vanished (Error(device) "vanished"): wait up to `timeout` for a device
  // matching the selector to come back (re-enumeration, re-plug) and reopen it. Sleeps on
  // hot-plug arrival events where libusb has them, else polls every 200 ms.
  void reopen(Duration timeout);

  // True when libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) and our callback is registered:
  // a device that leaves is then reported by the next call (every transfer checks), even
  // while the CCID driver only polls for a card.
  bool hotplug() const;
  // False once the device left (hot-plug) or was found gone; true when unknown (no hot-plug).
  bool attached();

 private:
  struct Impl;
  explicit LibusbTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::usb
