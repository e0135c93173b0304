#pragma once
// A minimal ICC for CCID tests: answers every APDU with its own bytes + 9000, so CCID
// framing can be checked without the virtual My Number Card.
#include "onshi/core/bytes.hpp"
#include "onshi/iso7816/icc.hpp"

namespace onshi::test {

class EchoIcc final : public iso7816::Icc {
 public:
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

}  // namespace onshi::test
