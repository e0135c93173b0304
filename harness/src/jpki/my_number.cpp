#include "onshi/jpki/my_number.hpp"

#include <algorithm>
#include <array>

#include "onshi/core/error.hpp"

namespace onshi::jpki {
namespace {

constexpr std::array<unsigned, 11> weights{6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

char my_number_check_digit(std::string_view base11) {
  if (base11.size() != weights.size() || !all_digits(base11)) {
    throw Error(ErrorCode::invalid_argument, "a My Number check digit needs exactly 11 digits", "My Number");
  }
  unsigned sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) sum += weights[i] * static_cast<unsigned>(base11[i] - '0');
  const unsigned remainder = sum % 11;
  const unsigned check = remainder <= 1 ? 0 : 11 - remainder;  // (-sum) mod 11, then mod 10
  return static_cast<char>('0' + check % 10);
}

bool is_valid_my_number(std::string_view number) {
  if (number.size() != my_number_digits || !all_digits(number)) return false;
  return my_number_check_digit(number.substr(0, 11)) == number[11];
}

}  // namespace onshi::jpki
