#pragma once
// What a reader slot holds: an integrated circuit card that powers up with an ATR and
// answers command APDUs with response APDUs. The virtual My Number Card implements it;
// so will a card reached through another reader.
#include "onshi/core/bytes.hpp"

namespace onshi::iso7816 {

class Icc {
 public:
  virtual ~Icc() = default;
  // Cold reset; returns the ATR. Volatile state (selected AP/EF, verified PINs) is cleared;
  // persistent state (PIN counters) is not.
  virtual Bytes power_on() = 0;
  virtual void power_off() = 0;
  // A raw command APDU in, a raw response APDU (data + SW1 SW2) out. Malformed input is
  // answered with a status word, as a card would, never thrown.
  virtual Bytes transmit(ByteView command_apdu) = 0;
};

}  // namespace onshi::iso7816
