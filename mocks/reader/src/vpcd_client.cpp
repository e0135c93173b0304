#include "onshi/mocks/reader/vpcd_client.hpp"

#include <thread>

#include "onshi/core/error.hpp"

namespace onshi::mocks::reader {

using namespace std::chrono_literals;

VpcdClient::VpcdClient(std::shared_ptr<iso7816::Icc> card, HostPort vpcd)
    : card_(std::move(card)), vpcd_(std::move(vpcd)) {
  if (!card_) throw Error(ErrorCode::invalid_argument, "no card to export", "vpcd client");
}

std::optional<Bytes> VpcdClient::answer(ByteView payload) {
  if (payload.size() == 1) {
    ++stats_.control_frames;
    switch (payload[0]) {
      case 0x00:  // power off
        if (powered_) card_->power_off();
        powered_ = false;
        return std::nullopt;
      case 0x01:  // power on
      case 0x02:  // reset
        atr_ = card_->power_on();
        powered_ = true;
        return std::nullopt;
      case 0x04:  // get ATR (also vpcd's presence probe)
        if (atr_.empty()) atr_ = card_->power_on(), powered_ = true;
        return atr_;
      default:
        throw Error(ErrorCode::protocol, "unknown vpcd control byte 0x" + to_hex(payload), "vpcd " + vpcd_.to_string());
    }
  }
  if (payload.empty()) throw Error(ErrorCode::protocol, "empty vpcd frame", "vpcd " + vpcd_.to_string());
  ++stats_.apdus;
  if (!powered_) {
    atr_ = card_->power_on();
    powered_ = true;
  }
  return card_->transmit(payload);
}

void VpcdClient::serve(const std::atomic<bool>& stop, Duration connect_timeout) {
  usb::TcpStream stream;
  const auto deadline = std::chrono::steady_clock::now() + connect_timeout;
  while (!stream.is_open()) {
    try {
      stream = usb::TcpStream::connect(vpcd_, 2s);
    } catch (const Error&) {
      if (stop || std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(200ms);
    }
  }
  while (!stop) {
    if (!stream.wait_readable(100ms)) continue;
    Bytes length_bytes;
    try {
      length_bytes = stream.read_exact(2, 5s);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::io) return;  // vpcd closed the slot (pcscd stopped)
      throw;
    }
    const std::uint16_t length = load_be16(length_bytes, 0);
    const Bytes payload = stream.read_exact(length, 5s);
    if (payload.size() > 1 && pull_at_apdu_ != 0 && stats_.apdus + 1 == pull_at_apdu_) {
      pulled_ = true;
      return;  // the stream closes here, mid-exchange: vpcd sees the card go
    }
    if (const std::optional<Bytes> reply = answer(payload)) {
      if (reply->size() > 0xFFFF) throw Error(ErrorCode::protocol, "R-APDU too long for a vpcd frame");
      Bytes frame;
      store_be16(frame, static_cast<std::uint16_t>(reply->size()));
      append(frame, *reply);
      stream.write_all(frame);
    }
  }
}

}  // namespace onshi::mocks::reader
