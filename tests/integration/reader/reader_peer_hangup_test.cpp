// Peers that go away must not end a process (issue 14, item 1): the USB/IP server with a
// client that closes mid-URB, and the vpcd client with a vpcd that closes while frames are
// still in flight. Both write with send(MSG_NOSIGNAL) (usb::TcpStream): the peer's going is a
// closed connection (an Error(io) at most), never SIGPIPE, which would end this test process.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>
#include <utility>

#include "onshi/core/error.hpp"
#include "onshi/iso7816/icc.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/mocks/reader/vpcd_client.hpp"
#include "onshi/usb/setup_packet.hpp"
#include "onshi/usb/usbip_protocol.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi::mocks::reader {
namespace {

using namespace std::chrono_literals;
namespace usbip = usb::usbip;

// An ISO 7816 card that answers every command 90 00.
class OkIcc : public iso7816::Icc {
 public:
  Bytes power_on() override { return from_hex("3B8880010000000000000000"); }
  void power_off() override {}
  Bytes transmit(ByteView) override { return from_hex("9000"); }
};

Bytes get_device_descriptor_setup() {
  usb::SetupPacket setup;
  setup.request_type = 0x80;  // IN, standard, device
  setup.request = 6;          // GET_DESCRIPTOR
  setup.value = 0x0100;       // device descriptor
  setup.length = 18;
  return setup.encode();
}

// The peer side as raw sockets, so it can leave with an RST (SO_LINGER 0) as well as a FIN.
class RawPeer {
 public:
  explicit RawPeer(int fd) : fd_(fd) {}
  ~RawPeer() { leave(false); }
  RawPeer(RawPeer&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RawPeer& operator=(RawPeer&&) = delete;
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  static RawPeer connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in addr = loopback(port);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return RawPeer(-1);
    }
    return RawPeer(fd);
  }
  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }

  bool is_open() const { return fd_ >= 0; }
  // The other end's port (for failure messages).
  std::uint16_t remote_port() const {
    sockaddr_in addr{};
    socklen_t length = sizeof addr;
    if (fd_ < 0 || ::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) return 0;
    return ntohs(addr.sin_port);
  }
  void send_all(ByteView data) const {
    for (std::size_t sent = 0; sent < data.size();) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }
  Bytes read_exact(std::size_t n) const {
    Bytes out(n);
    for (std::size_t got = 0; got < n;) {
      const ssize_t r = ::recv(fd_, out.data() + got, n - got, 0);
      if (r <= 0) return {};
      got += static_cast<std::size_t>(r);
    }
    return out;
  }
  // Closes without reading what the other side sends; with_reset: RST instead of FIN.
  void leave(bool with_reset) {
    if (fd_ < 0) return;
    if (with_reset) {
      const linger rst{1, 0};
      ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
    }
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// A listening socket on 127.0.0.1:<ephemeral> standing in for vpcd.
class RawListener {
 public:
  RawListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const sockaddr_in addr = RawPeer::loopback(0);
    ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 4);
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.sin_port);
  }
  ~RawListener() { ::close(fd_); }
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;

  std::uint16_t port() const { return port_; }
  RawPeer accept() const { return RawPeer(::accept(fd_, nullptr, nullptr)); }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

class UsbipPeerHangup : public ::testing::Test {
 protected:
  void SetUp() override {
    device_ = std::make_shared<EmulatedCcidReader>();
    server_ = std::make_unique<UsbipServer>(device_);
    server_->start();
  }
  void TearDown() override { server_->stop(); }

  // An imported connection, or a closed one when the server refused the import.
  RawPeer import() const {
    RawPeer peer = RawPeer::connect_to(server_->port());
    Bytes request = usbip::OpHeader{usbip::version, usbip::op_req_import, 0}.encode();
    append(request, usbip::encode_busid("1-1"));
    peer.send_all(request);
    const Bytes reply = peer.read_exact(usbip::op_header_size);
    if (reply.empty() || usbip::OpHeader::parse(reply).status != 0 || peer.read_exact(usbip::device_record_size).empty()) {
      peer.leave(false);
    }
    return peer;
  }

  // The import ends once the server has seen the client go (bounded wait).
  bool import_ended() const {
    for (int i = 0; i < 200 && server_->imported(); ++i) std::this_thread::sleep_for(10ms);
    return !server_->imported();
  }

  std::shared_ptr<EmulatedCcidReader> device_;
  std::unique_ptr<UsbipServer> server_;
};

TEST_F(UsbipPeerHangup, ClientsClosingMidUrbEndTheirImportAndAFreshImportWorks) {
  for (int i = 0; i < 40; ++i) {
    RawPeer stream = import();
    ASSERT_TRUE(stream.is_open()) << "iteration " << i << ": import refused";
    usbip::UrbHeader urb;
    urb.command = usbip::cmd_submit;
    urb.seqnum = 1;
    urb.ep = 0;
    if (i % 2 == 0) {
      // A control IN whose answer meets a closed socket.
      urb.direction = usbip::direction_in;
      urb.transfer_buffer_length = 18;
      const Bytes setup = get_device_descriptor_setup();
      std::copy(setup.begin(), setup.end(), urb.setup.begin());
      Bytes wire = urb.encode();
      // Two URBs back to back: the second answer is written after the peer's RST.
      urb.seqnum = 2;
      append(wire, urb.encode());
      stream.send_all(wire);
    } else {
      // A bulk OUT that announces 64 bytes and sends 10: the client leaves mid-URB.
      urb.ep = 2;
      urb.direction = usbip::direction_out;
      urb.transfer_buffer_length = 64;
      Bytes wire = urb.encode();
      append(wire, Bytes(10, 0x6F));
      stream.send_all(wire);
    }
    stream.leave(i % 4 < 2);
    ASSERT_TRUE(import_ended()) << "iteration " << i;
  }

  auto transport = usb::UsbipTransport::import({"127.0.0.1", server_->port()}, "1-1");
  const Bytes descriptor = transport->control_in(usb::SetupPacket::parse(get_device_descriptor_setup()), 5s);
  ASSERT_EQ(descriptor.size(), 18u);
  EXPECT_EQ(descriptor[1], 0x01);  // bDescriptorType: device
}

TEST(VpcdPeerHangup, VpcdClosingWithFramesInFlightEndsTheExportWithAnIoError) {
  for (const bool with_reset : {false, true}) {
    const RawListener vpcd;
    VpcdClient client(std::make_shared<OkIcc>(), {"127.0.0.1", vpcd.port()});
    const std::atomic<bool> stop{false};
    auto served = std::async(std::launch::async, [&] {
      try {
        client.serve(stop, 5s);
        return std::string("returned");
      } catch (const Error& e) {
        return std::string(to_string(e.code()));
      }
    });
    RawPeer peer = vpcd.accept();
    ASSERT_TRUE(peer.is_open());
    const std::uint16_t client_port = peer.remote_port();
    // One GET ATR answered (the export is serving; a reset during its connect would only
    // make it connect again), then two more sent and vpcd goes: their replies meet a closed
    // (or reset) socket.
    const Bytes get_atr = from_hex("000104");
    peer.send_all(get_atr);
    Bytes atr_frame = from_hex("000C");
    append(atr_frame, OkIcc().power_on());
    ASSERT_EQ(peer.read_exact(atr_frame.size()), atr_frame);
    Bytes two_more = get_atr;
    append(two_more, get_atr);
    peer.send_all(two_more);
    peer.leave(with_reset);
    ASSERT_EQ(served.wait_for(10s), std::future_status::ready) << "the export did not notice vpcd going (accepted the connection from port " << client_port << ")";
    const std::string ended = served.get();
    EXPECT_TRUE(ended == "returned" || ended == to_string(ErrorCode::io)) << ended;
  }
}

}  // namespace
}  // namespace onshi::mocks::reader
