#pragma once
// Digit strings: codes, numbers and dates in ONS messages, card files and rig files.
#include <cstddef>
#include <string_view>

namespace onshi {

// True when `text` is non-empty and every character is 0-9.
constexpr bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Exactly `count` digits.
constexpr bool is_digits(std::string_view text, std::size_t count) { return text.size() == count && all_digits(text); }

}  // namespace onshi
