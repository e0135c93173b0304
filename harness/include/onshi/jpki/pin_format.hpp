#pragma once
// What a card accepts as a PIN value before comparing it: the auth PIN is 4 ASCII digits,
// the sign password 6-16 upper-case alphanumerics (docs/domain/card.md, PINs). Both the host client
// (to refuse a malformed PIN before it can cost a real card a try) and the virtual card use it.
#include <cstddef>
#include <string_view>

#include "onshi/core/bytes.hpp"

namespace onshi::jpki {

struct PinFormat {
  enum class Alphabet { digits, upper_alphanumeric };

  std::size_t min_length = 4;
  std::size_t max_length = 4;
  Alphabet alphabet = Alphabet::digits;

  bool length_fits(std::size_t length) const { return length >= min_length && length <= max_length; }
  bool alphabet_fits(ByteView value) const;
  bool accepts(ByteView value) const { return length_fits(value.size()) && alphabet_fits(value); }
  bool accepts(std::string_view value) const;
};

inline constexpr PinFormat auth_pin_format{4, 4, PinFormat::Alphabet::digits};
inline constexpr PinFormat sign_password_format{6, 16, PinFormat::Alphabet::upper_alphanumeric};
inline constexpr PinFormat kenhojo_pin_format{4, 4, PinFormat::Alphabet::digits};
inline constexpr PinFormat collation_number_a_format{12, 12, PinFormat::Alphabet::digits};
inline constexpr PinFormat collation_number_b_format{14, 14, PinFormat::Alphabet::digits};
inline constexpr unsigned auth_pin_max_tries = 3;
inline constexpr unsigned kenhojo_pin_max_tries = 3;
inline constexpr unsigned sign_password_max_tries = 5;

}  // namespace onshi::jpki
