#pragma once
// A UsbTransport wired straight to an emulated device in the same process: no kernel, no
// socket, the same transfers. The default rig's reader link.
#include <memory>

#include "onshi/usb/usb_device_emulation.hpp"
#include "onshi/usb/usb_transport.hpp"

namespace onshi::usb {

class InProcessTransport final : public UsbTransport {
 public:
  explicit InProcessTransport(std::shared_ptr<UsbDeviceEmulation> device);

  Bytes control_in(const SetupPacket& setup, Duration timeout) override;
  void control_out(const SetupPacket& setup, ByteView data, Duration timeout) override;
  void bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) override;
  Bytes bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  Bytes interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  std::string describe() const override;

 private:
  void require_attached(const char* operation) const;
  std::shared_ptr<UsbDeviceEmulation> device_;
};

}  // namespace onshi::usb
