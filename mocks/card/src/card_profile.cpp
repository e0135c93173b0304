#include "onshi/mocks/card/card_profile.hpp"

namespace onshi::mocks::card {

Bytes contact_atr() { return {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}; }

Bytes contactless_atr() {
  // TCK (last byte) is the XOR of T0..the last historical byte, so the XOR of T0..TCK is 0.
  return {0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x41, 0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x3B};
}

CardProfile CardProfile::contactless() {
  CardProfile profile;
  profile.atr = contactless_atr();
  return profile;
}

}  // namespace onshi::mocks::card
