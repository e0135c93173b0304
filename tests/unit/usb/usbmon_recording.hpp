#pragma once
// Test support for running the libusb backend under umockdev without hardware: a UsbTransport
// wrapper that records every transfer the CCID host driver makes against the emulated reader,
// and a writer for those records as a usbmon capture (pcap, LINKTYPE_USB_LINUX_MMAPPED), which
// `umockdev-run --pcap` replays in order to libusb through its fake usbdevfs.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "onshi/core/bytes.hpp"
#include "onshi/usb/usb_transport.hpp"

namespace onshi::test {

struct RecordedTransfer {
  std::uint8_t xfer_type = 0;  // usbmon: 1 interrupt, 2 control, 3 bulk
  std::uint8_t endpoint = 0;   // with 0x80 for IN
  Bytes setup;                 // control only
  std::uint32_t requested = 0;
  Bytes data;                  // OUT data sent, or IN data received
};

class RecordingTransport final : public usb::UsbTransport {
 public:
  explicit RecordingTransport(usb::UsbTransport& inner) : inner_(inner) {}
  std::vector<RecordedTransfer> transfers;

  Bytes control_in(const usb::SetupPacket& setup, Duration timeout) override {
    Bytes d = inner_.control_in(setup, timeout);
    transfers.push_back({2, 0x80, setup.encode(), setup.length, d});
    return d;
  }
  void control_out(const usb::SetupPacket& setup, ByteView data, Duration timeout) override {
    inner_.control_out(setup, data, timeout);
    transfers.push_back({2, 0x00, setup.encode(), static_cast<std::uint32_t>(data.size()), Bytes(data.begin(), data.end())});
  }
  void bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) override {
    inner_.bulk_out(endpoint, data, timeout);
    transfers.push_back({3, endpoint, {}, static_cast<std::uint32_t>(data.size()), Bytes(data.begin(), data.end())});
  }
  Bytes bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override {
    Bytes d = inner_.bulk_in(endpoint, max_length, timeout);
    transfers.push_back({3, endpoint, {}, static_cast<std::uint32_t>(max_length), d});
    return d;
  }
  Bytes interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) override {
    Bytes d = inner_.interrupt_in(endpoint, max_length, timeout);
    transfers.push_back({1, endpoint, {}, static_cast<std::uint32_t>(max_length), d});
    return d;
  }
  std::string describe() const override { return "recording:" + inner_.describe(); }

 private:
  usb::UsbTransport& inner_;
};

// One usbmon "mmapped" packet: the 64-byte header (host byte order) + captured data.
inline Bytes usbmon_packet(std::uint64_t id, char type, const RecordedTransfer& t, std::uint8_t busnum,
                           std::uint8_t devnum, std::uint32_t usec) {
  const bool in = (t.endpoint & 0x80) != 0;
  const bool carries_data = (type == 'S' && !in) || (type == 'C' && in);
  const Bytes& payload = t.data;
  Bytes p(64, 0);
  std::memcpy(p.data(), &id, 8);
  p[8] = static_cast<std::uint8_t>(type);
  p[9] = t.xfer_type;
  p[10] = t.endpoint;
  p[11] = devnum;
  const std::uint16_t bus = busnum;
  std::memcpy(p.data() + 12, &bus, 2);
  p[14] = (type == 'S' && t.xfer_type == 2) ? 0 : '-';                              // flag_setup
  p[15] = carries_data && !payload.empty() ? 0 : static_cast<std::uint8_t>(in ? '<' : '>');  // flag_data
  const std::int64_t sec = 1;
  const std::int32_t us = static_cast<std::int32_t>(usec);
  std::memcpy(p.data() + 16, &sec, 8);
  std::memcpy(p.data() + 24, &us, 4);
  const std::int32_t status = type == 'S' ? -115 : 0;  // -EINPROGRESS while submitted
  std::memcpy(p.data() + 28, &status, 4);
  const std::uint32_t length = type == 'S' ? t.requested : static_cast<std::uint32_t>(payload.size());
  std::memcpy(p.data() + 32, &length, 4);
  const std::uint32_t captured = carries_data ? static_cast<std::uint32_t>(payload.size()) : 0;
  std::memcpy(p.data() + 36, &captured, 4);
  if (type == 'S' && t.xfer_type == 2) std::memcpy(p.data() + 40, t.setup.data(), 8);
  if (carries_data) append(p, payload);
  return p;
}

inline void write_usbmon_pcap(const std::string& path, const std::vector<RecordedTransfer>& transfers,
                              std::uint8_t busnum, std::uint8_t devnum) {
  std::ofstream out(path, std::ios::binary);
  auto put32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  auto put16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  put32(0xa1b2c3d4);
  put16(2);
  put16(4);
  put32(0);
  put32(0);
  put32(262144);
  put32(220);  // LINKTYPE_USB_LINUX_MMAPPED
  std::uint64_t id = 0xffff900000000000ULL;
  std::uint32_t usec = 0;
  for (const RecordedTransfer& t : transfers) {
    for (char type : {'S', 'C'}) {
      const Bytes p = usbmon_packet(id, type, t, busnum, devnum, usec += 10);
      put32(1);
      put32(usec);
      put32(static_cast<std::uint32_t>(p.size()));
      put32(static_cast<std::uint32_t>(p.size()));
      out.write(reinterpret_cast<const char*>(p.data()), static_cast<std::streamsize>(p.size()));
    }
    id += 0x100;
  }
}

}  // namespace onshi::test
