#include "onshi/reader/ccid_card_reader.hpp"

#include "onshi/core/error.hpp"

namespace onshi::reader {

CcidCardReader::CcidCardReader(std::unique_ptr<usb::UsbTransport> transport, ccid::HostDriverOptions options)
    : transport_(std::move(transport)), driver_(*transport_, options) {}

std::string CcidCardReader::name() const { return "ccid/" + transport_->describe(); }

bool CcidCardReader::card_present() { return driver_.slot_status().icc != ccid::IccStatus::absent; }

bool CcidCardReader::wait_for_card(Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!card_present()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= Duration::zero()) return false;
    // A NotifySlotChange wakes us early; re-check the slot either way (notifications can be
    // missed or stale), polling at most every 200 ms when the reader has no interrupt pipe.
    const auto wait = std::min<Duration>(std::chrono::duration_cast<Duration>(left), std::chrono::milliseconds(200));
    driver_.wait_for_slot_change(wait);
  }
  return true;
}

Bytes CcidCardReader::connect() {
  Bytes atr = driver_.power_on();
  connected_ = true;
  return atr;
}

void CcidCardReader::disconnect() {
  if (!connected_) return;
  connected_ = false;
  driver_.power_off();
}

iso7816::ApduChannel& CcidCardReader::channel() {
  if (!connected_) throw Error(ErrorCode::state, "card not connected", name());
  return driver_;
}

}  // namespace onshi::reader
