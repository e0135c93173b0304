#pragma once
// SizedAnswerIcc: a card for transport tests that answers with exactly as many bytes as the
// APDU asks for (its Le: the last byte of a short APDU, 00 = 256; the last two bytes of an
// extended one), bytes 00 01 02 ..., then 90 00. It remembers the last command, so framing
// of long commands and answers over every transport can be checked byte for byte.
//
//   auto card = std::make_shared<onshi::testing::SizedAnswerIcc>();
//   const Bytes apdu = onshi::testing::extended_apdu(600, 1000);  // 600 data bytes, 1000 back
//   ... EXPECT_EQ(card->last_command, apdu);
#include <cstddef>
#include <cstdint>

#include "onshi/core/bytes.hpp"
#include "onshi/iso7816/icc.hpp"

namespace onshi::testing {

class SizedAnswerIcc final : public iso7816::Icc {
 public:
  Bytes atr = from_hex("3BE000FF8131FE4514");
  Bytes last_command;

  Bytes power_on() override { return atr; }
  void power_off() override {}
  Bytes transmit(ByteView command) override {
    last_command.assign(command.begin(), command.end());
    std::size_t n = 0;
    if (command.size() == 5) {
      n = command[4] == 0 ? 256 : command[4];
    } else if (command.size() > 7) {
      n = load_be16(command, command.size() - 2);
    }
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i);
    out.push_back(0x90);
    out.push_back(0x00);
    return out;
  }
};

// An extended-length case-4 APDU (UPDATE BINARY) with `lc` data bytes asking for `want` back.
inline Bytes extended_apdu(std::size_t lc, std::uint16_t want) {
  Bytes apdu{0x00, 0xD6, 0x00, 0x00, 0x00, static_cast<std::uint8_t>(lc >> 8), static_cast<std::uint8_t>(lc)};
  for (std::size_t i = 0; i < lc; ++i) apdu.push_back(static_cast<std::uint8_t>(i * 7));
  apdu.push_back(static_cast<std::uint8_t>(want >> 8));
  apdu.push_back(static_cast<std::uint8_t>(want));
  return apdu;
}

}  // namespace onshi::testing
