#include "onshi/receipt/card_evidence.hpp"

#include <algorithm>

#include "onshi/jpki/application_ids.hpp"

namespace onshi::receipt {
namespace {

constexpr std::uint8_t ins_verify = 0x20;
constexpr std::uint8_t ins_terminal_authenticate = 0xA2;  // docs/domain/card.md, 特定機関認証
constexpr std::uint8_t ins_compute_signature = 0x2A;
constexpr std::uint8_t cla_chaining = 0x10;
constexpr std::uint8_t ins_select = 0xA4;
constexpr std::uint8_t select_by_df_name = 0x04;

}  // namespace

std::string CardEvidence::identity_path() const {
  if (pin_verified > 0) return "pin";
  if (terminal_authenticated > 0) return "terminal-authentication";
  return "none";
}

std::string CardEvidence::describe() const {
  return "powered on " + std::to_string(powered_on) + " time(s), PIN verified " + std::to_string(pin_verified) +
         ", refused " + std::to_string(pin_refused) + ", 特定機関認証 " + std::to_string(terminal_authenticated) +
         ", signatures " + std::to_string(signed_nonce);
}

Bytes ObservedCard::power_on() {
  ++powered_on_;
  return card_->power_on();
}

Bytes ObservedCard::transmit(ByteView command) {
  Bytes response = card_->transmit(command);
  if (command.size() < 4 || response.size() < 2) return response;
  const std::uint8_t cla = command[0];
  const std::uint8_t ins = command[1];
  const std::uint8_t sw1 = response[response.size() - 2];
  const std::uint8_t sw2 = response[response.size() - 1];
  const bool ok = sw1 == 0x90 && sw2 == 0x00;
  if (ins == ins_select && command[2] == select_by_df_name && ok && command.size() >= 5) {
    // The PIN path's VERIFY is the JPKI AP's; the face path also VERIFYs, with 照合番号B in the
    // 券面AP (mocks/card/README.md), which proves nothing about the PIN.
    const ByteView aid = command.subspan(5, std::min<std::size_t>(command[4], command.size() - 5));
    in_jpki_ = std::ranges::equal(aid, jpki::aid::jpki);
  }
  // A VERIFY without data only asks for the tries left.
  if (ins == ins_verify && command.size() > 5 && in_jpki_) {
    if (ok) ++pin_verified_;
    if (sw1 == 0x63 || (sw1 == 0x69 && sw2 == 0x83)) ++pin_refused_;
  } else if (ins == ins_terminal_authenticate && (cla & cla_chaining) == 0 && ok) {
    ++terminal_authenticated_;
  } else if (ins == ins_compute_signature && ok) {
    ++signed_;
  }
  return response;
}

CardEvidence ObservedCard::evidence() const {
  CardEvidence e;
  e.powered_on = powered_on_.load();
  e.pin_verified = pin_verified_.load();
  e.pin_refused = pin_refused_.load();
  e.terminal_authenticated = terminal_authenticated_.load();
  e.signed_nonce = signed_.load();
  return e;
}

}  // namespace onshi::receipt
