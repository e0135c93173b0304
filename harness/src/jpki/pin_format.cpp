#include "onshi/jpki/pin_format.hpp"

#include <algorithm>

namespace onshi::jpki {
namespace {

bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }
bool is_upper_alphanumeric(std::uint8_t c) { return is_digit(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool PinFormat::alphabet_fits(ByteView value) const {
  switch (alphabet) {
    case Alphabet::digits: return std::all_of(value.begin(), value.end(), is_digit);
    case Alphabet::upper_alphanumeric: return std::all_of(value.begin(), value.end(), is_upper_alphanumeric);
  }
  return false;
}

bool PinFormat::accepts(std::string_view value) const {
  const Bytes raw = to_bytes(value);
  return accepts(ByteView(raw));
}

}  // namespace onshi::jpki
