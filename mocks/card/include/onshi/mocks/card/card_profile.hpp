#pragma once
// What differs between real My Number Cards (and their interfaces) that a host might notice,
// as data: the ATR, which status word a blocked PIN gives, how many tries the auth PIN has.
#include <cstdint>

#include "onshi/core/bytes.hpp"
#include "onshi/iso7816/status_word.hpp"
#include "onshi/jpki/pin_format.hpp"

namespace onshi::mocks::card {

// 3B E0 00 FF 81 31 FE 45 14: T=1, IFSC 254, no historical bytes (docs/domain/card.md, ATR).
Bytes contact_atr();
// PC/SC part-3 pseudo-ATR of the Type B contactless interface:
// 3B 88 80 01 + historical bytes 00 00 41 E0 B3 81 A1 00 + TCK 3B.
Bytes contactless_atr();

struct CardProfile {
  Bytes atr = contact_atr();
  // JPKI cards answer 6984 once the PIN is blocked (jpki/myna); ISO 7816-4 says 6983.
  std::uint16_t blocked_status_word = iso7816::sw::reference_data_not_usable;
  unsigned auth_pin_max_tries = jpki::auth_pin_max_tries;
  unsigned sign_password_max_tries = jpki::sign_password_max_tries;
  unsigned kenhojo_pin_max_tries = jpki::kenhojo_pin_max_tries;
  // No source gives the 照合番号A/B try counter; 10 is the harness's choice (docs/domain/card.md, PINs).
  unsigned collation_number_max_tries = 10;
  // Whether the card emulates 特定機関認証 (80 A2, PIN-less use of the auth key after a
  // terminal certificate check). Off: 80 A2 answers 6D00 like any unknown INS.
  bool terminal_authentication = true;

  static CardProfile contact() { return {}; }
  static CardProfile contactless();
  static CardProfile iso_blocked_status() {
    CardProfile profile;
    profile.blocked_status_word = iso7816::sw::auth_method_blocked;
    return profile;
  }
};

}  // namespace onshi::mocks::card
