#include "onshi/usb/in_process_transport.hpp"

#include "onshi/core/error.hpp"

namespace onshi::usb {

InProcessTransport::InProcessTransport(std::shared_ptr<UsbDeviceEmulation> device) : device_(std::move(device)) {
  if (!device_) throw Error(ErrorCode::invalid_argument, "no device", "in-process USB transport");
}

void InProcessTransport::require_attached(const char* operation) const {
  if (!device_->attached()) {
    throw Error(ErrorCode::device, "device is no longer attached", describe() + " " + operation);
  }
}

Bytes InProcessTransport::control_in(const SetupPacket& setup, Duration) {
  require_attached("control IN");
  Bytes data = device_->control_in(setup);
  if (data.size() > setup.length) data.resize(setup.length);
  return data;
}

void InProcessTransport::control_out(const SetupPacket& setup, ByteView data, Duration) {
  require_attached("control OUT");
  device_->control_out(setup, data);
}

void InProcessTransport::bulk_out(std::uint8_t endpoint, ByteView data, Duration) {
  require_attached("bulk OUT");
  device_->bulk_out(endpoint, data);
}

Bytes InProcessTransport::bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  require_attached("bulk IN");
  auto data = device_->bulk_in(endpoint, max_length, timeout);
  if (!data) {
    require_attached("bulk IN");  // unplugged while we waited: say so, not "timeout"
    throw Error(ErrorCode::timeout, "no data within the timeout", describe() + " bulk IN");
  }
  return std::move(*data);
}

Bytes InProcessTransport::interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  require_attached("interrupt IN");
  auto data = device_->interrupt_in(endpoint, max_length, timeout);
  if (!data) {
    require_attached("interrupt IN");
    throw Error(ErrorCode::timeout, "no data within the timeout", describe() + " interrupt IN");
  }
  return std::move(*data);
}

std::string InProcessTransport::describe() const { return "in-process:" + device_->serial_number(); }

}  // namespace onshi::usb
