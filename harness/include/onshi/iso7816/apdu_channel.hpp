#pragma once
// The host side's view of a powered card: send a command APDU, get the response. A CCID
// host driver offers it; so can a PC/SC reader later. Card operations (JPKI) are written
// once on top of it.
#include "onshi/iso7816/apdu.hpp"

namespace onshi::iso7816 {

class ApduChannel {
 public:
  virtual ~ApduChannel() = default;
  // Throws Error(device/timeout/protocol) when the transport fails; an error status word
  // is a normal response, not an exception.
  virtual ResponseApdu transmit(const CommandApdu& command) = 0;
};

}  // namespace onshi::iso7816
