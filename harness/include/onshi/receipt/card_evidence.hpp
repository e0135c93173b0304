#pragma once
// What the patient's card saw during a reception at the terminal under test: the harness placed
// the card, so it can tell from the card's side which identity path the terminal took, whatever
// the terminal writes (the face/ file does not say). An Icc decorator counting the commands that
// prove a path: VERIFY with a PIN that the card accepted (PIN path), 特定機関認証 (80 A2, the
// face and 目視確認 paths; mocks/card/README.md) and the user-authentication signature (80 2A).
#include <atomic>
#include <memory>
#include <string>

#include "onshi/iso7816/icc.hpp"

namespace onshi::receipt {

struct CardEvidence {
  unsigned powered_on = 0;
  unsigned pin_verified = 0;  // VERIFY of a JPKI PIN answered 9000
  unsigned pin_refused = 0;   // VERIFY with a PIN answered 63Cx / 6983
  unsigned terminal_authenticated = 0;  // the last block of 80 A2 answered 9000
  unsigned signed_nonce = 0;  // COMPUTE DIGITAL SIGNATURE answered 9000
  // "pin", "terminal-authentication" (face or 目視確認), or "none" when the card neither
  // verified a PIN nor authenticated a terminal before signing.
  std::string identity_path() const;
  // "powered on 1 time(s), PIN verified 1, refused 0, 特定機関認証 0, signatures 1"
  std::string describe() const;
};

class ObservedCard final : public iso7816::Icc {
 public:
  explicit ObservedCard(std::shared_ptr<iso7816::Icc> card) : card_(std::move(card)) {}
  Bytes power_on() override;
  void power_off() override { card_->power_off(); }
  Bytes transmit(ByteView command_apdu) override;
  CardEvidence evidence() const;

 private:
  std::shared_ptr<iso7816::Icc> card_;
  std::atomic<bool> in_jpki_{false};  // the JPKI AP is the one selected
  std::atomic<unsigned> powered_on_{0}, pin_verified_{0}, pin_refused_{0}, terminal_authenticated_{0}, signed_{0};
};

}  // namespace onshi::receipt
