#pragma once
// A CardReader over the CCID host driver, on any USB transport (in-process, libusb, USB/IP).
#include <memory>

#include "onshi/ccid/host_driver.hpp"
#include "onshi/reader/card_reader.hpp"
#include "onshi/usb/usb_transport.hpp"

namespace onshi::reader {

class CcidCardReader final : public CardReader {
 public:
  explicit CcidCardReader(std::unique_ptr<usb::UsbTransport> transport, ccid::HostDriverOptions options = {});

  std::string name() const override;
  bool card_present() override;
  bool wait_for_card(Duration timeout) override;
  Bytes connect() override;
  void disconnect() override;
  iso7816::ApduChannel& channel() override;

  ccid::HostDriver& driver() { return driver_; }

 private:
  std::unique_ptr<usb::UsbTransport> transport_;
  ccid::HostDriver driver_;
  bool connected_ = false;
};

}  // namespace onshi::reader
