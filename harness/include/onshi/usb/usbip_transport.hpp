#pragma once
// The userspace USB/IP client: a UsbTransport that imports one device from a USB/IP server
// (Linux usbipd on another machine, or onshi-hil's own server) and runs each transfer as a
// CMD_SUBMIT / RET_SUBMIT pair on the import connection. A transfer that times out is
// unlinked (CMD_UNLINK), as the kernel's vhci does; a closed connection means the device
// vanished and is reported as Error(device).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "onshi/usb/tcp_stream.hpp"
#include "onshi/usb/usb_transport.hpp"
#include "onshi/usb/usbip_protocol.hpp"

namespace onshi::usb {

// OP_REQ_DEVLIST: the devices a USB/IP server exports (what `usbip list -r` shows).
std::vector<usbip::DeviceRecord> usbip_list_devices(const HostPort& server, Duration timeout = std::chrono::seconds(5));

class UsbipTransport final : public UsbTransport {
 public:
  // OP_REQ_IMPORT of `busid`; Error(not_found) when the server refuses it (not exported or
  // already imported), Error(io) when it cannot be reached.
  static std::unique_ptr<UsbipTransport> import(const HostPort& server, const std::string& busid,
                                                Duration timeout = std::chrono::seconds(5));

  Bytes control_in(const SetupPacket& setup, Duration timeout) override;
  void control_out(const SetupPacket& setup, ByteView data, Duration timeout) override;
  void bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) override;
  Bytes bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  Bytes interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override;
  std::string describe() const override;

  const usbip::DeviceRecord& device() const { return device_; }

 private:
  UsbipTransport(TcpStream stream, HostPort server, usbip::DeviceRecord device);
  // One URB: submit, wait for its RET_SUBMIT (unlinking it on timeout); returns IN data.
  Bytes submit(std::uint32_t direction, std::uint8_t endpoint, ByteView out_data, std::uint32_t in_length,
               const SetupPacket* setup, Duration timeout, const char* what);
  usbip::UrbHeader read_reply(Bytes& payload, Duration timeout, const std::string& context);
  [[noreturn]] void vanished(const std::string& context, const std::string& why);

  TcpStream stream_;
  HostPort server_;
  usbip::DeviceRecord device_;
  std::uint32_t next_seqnum_ = 1;
  std::set<std::uint32_t> pending_in_;  // seqnums of IN URBs: their RET_SUBMIT carries data
  bool broken_ = false;
};

}  // namespace onshi::usb
