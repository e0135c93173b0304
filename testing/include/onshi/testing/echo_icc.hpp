#pragma once
// EchoIcc: the smallest card for reader and transport tests. It powers up with a fixed ATR
// and answers every command APDU with the command's own bytes followed by 90 00, so CCID,
// USB/IP, vpcd or PC/SC framing can be checked without the virtual My Number Card.
//
//   auto card = std::make_shared<onshi::testing::EchoIcc>();
//   reader->insert_card(card);
//   ... card->power_ons, card->power_offs count the resets the reader made.
#include "onshi/core/bytes.hpp"
#include "onshi/iso7816/icc.hpp"

namespace onshi::testing {

class EchoIcc final : public iso7816::Icc {
 public:
  // A plausible T=1 ATR; tests compare against this member, so they may change it.
  Bytes atr = from_hex("3BE000FF8131FE4514");
  int power_ons = 0;
  int power_offs = 0;

  Bytes power_on() override {
    ++power_ons;
    return atr;
  }
  void power_off() override { ++power_offs; }
  Bytes transmit(ByteView command) override {
    Bytes out(command.begin(), command.end());
    out.push_back(0x90);
    out.push_back(0x00);
    return out;
  }
};

}  // namespace onshi::testing
