#pragma once
// What the reception flow asks of a card reader, whatever sits behind it (a CCID reader
// over USB, a PC/SC reader): wait for a card, power it, exchange APDUs, let it go.
#include <string>

#include "onshi/core/bytes.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/iso7816/apdu_channel.hpp"

namespace onshi::reader {

class CardReader {
 public:
  virtual ~CardReader() = default;

  virtual std::string name() const = 0;
  virtual bool card_present() = 0;
  // Returns once a card is in the slot, false when `timeout` passes first.
  virtual bool wait_for_card(Duration timeout) = 0;
  // Powers the card; returns its ATR.
  virtual Bytes connect() = 0;
  virtual void disconnect() = 0;
  // Valid between connect() and disconnect().
  virtual iso7816::ApduChannel& channel() = 0;
};

}  // namespace onshi::reader
