#pragma once
// What the card said to VERIFY: a wrong or blocked PIN is an outcome the flow branches on,
// not an error.
#include <cstdint>
#include <optional>
#include <string_view>

namespace onshi::jpki {

struct PinVerification {
  enum class Outcome {
    verified,   // 9000
    wrong_pin,  // 63Cx; tries_left = x, 0 when this attempt used the last try
    blocked,    // 6983 or 6984: the card refused to compare at all
  };

  Outcome outcome = Outcome::verified;
  unsigned tries_left = 0;
  std::uint16_t status_word = 0;

  bool verified() const { return outcome == Outcome::verified; }
  // No further VERIFY can succeed: blocked now, or the wrong PIN just used the last try.
  bool locked() const { return outcome == Outcome::blocked || (outcome == Outcome::wrong_pin && tries_left == 0); }

  // nullopt for a status word that is none of the three (the caller reports it as an error).
  static std::optional<PinVerification> from_status_word(std::uint16_t status);
};

std::string_view to_string(PinVerification::Outcome outcome);

}  // namespace onshi::jpki
