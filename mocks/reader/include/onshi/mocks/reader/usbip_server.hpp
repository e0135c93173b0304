#pragma once
// Exports one emulated USB device over USB/IP (docs/domain/usbip.md), so `usbip list -r` lists it,
// `usbip attach` (Linux vhci, usbip-win) attaches it as a real USB device, and the harness's
// own userspace client imports it. Answers OP_REQ_DEVLIST and OP_REQ_IMPORT; on an imported
// connection runs CMD_SUBMIT (control on ep0 synchronously, bulk OUT at once, IN URBs held
// until the device has data — an interrupt URB may wait for a NotifySlotChange indefinitely)
// and CMD_UNLINK. When the device is unplugged the connection is closed, as usbipd does.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "onshi/core/host_port.hpp"
#include "onshi/usb/tcp_stream.hpp"
#include "onshi/usb/usb_device_emulation.hpp"

namespace onshi::mocks::reader {

struct UsbipServerOptions {
  HostPort listen{"127.0.0.1", 0};  // loopback by default; port 0 = ephemeral
  std::string busid = "1-1";
  std::uint32_t busnum = 1;
  std::uint32_t devnum = 2;
  // Fault: the connection is cut in the middle of the nth bulk IN RET_SUBMIT of an import
  // (its header and half its data sent), as a server or a line dropping mid-URB. 0: never.
  std::uint64_t drop_mid_bulk_in_reply = 0;
};

class UsbipServer {
 public:
  UsbipServer(std::shared_ptr<usb::UsbDeviceEmulation> device, UsbipServerOptions options = {});
  ~UsbipServer();
  UsbipServer(const UsbipServer&) = delete;
  UsbipServer& operator=(const UsbipServer&) = delete;

  void start();  // binds and serves in background threads
  void stop();   // closes the listener and any import; joins the threads
  std::uint16_t port() const;
  const UsbipServerOptions& options() const { return options_; }
  bool imported() const { return imported_.load(); }
  std::uint64_t urbs_handled() const { return urbs_handled_.load(); }

 private:
  void accept_loop();
  void serve(usb::TcpStream stream);
  void serve_import(usb::TcpStream& stream);

  std::shared_ptr<usb::UsbDeviceEmulation> device_;
  UsbipServerOptions options_;
  std::unique_ptr<usb::TcpListener> listener_;
  std::thread accept_thread_;
  std::thread session_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> imported_{false};
  std::atomic<std::uint64_t> urbs_handled_{0};
  std::mutex session_mutex_;
  usb::TcpStream* session_stream_ = nullptr;  // to wake the session on stop()
};

}  // namespace onshi::mocks::reader
