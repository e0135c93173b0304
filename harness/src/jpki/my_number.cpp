#include "onshi/jpki/my_number.hpp"

#include <array>

#include "onshi/core/digits.hpp"
#include "onshi/core/error.hpp"

namespace onshi::jpki {
namespace {

constexpr std::array<unsigned, 11> weights{6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

}  // namespace

char my_number_check_digit(std::string_view base11) {
  if (!is_digits(base11, weights.size())) {
    throw Error(ErrorCode::invalid_argument, "a My Number check digit needs exactly 11 digits", "My Number");
  }
  unsigned sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) sum += weights[i] * static_cast<unsigned>(base11[i] - '0');
  const unsigned remainder = sum % 11;
  const unsigned check = remainder <= 1 ? 0 : 11 - remainder;  // (-sum) mod 11, then mod 10
  return static_cast<char>('0' + check % 10);
}

bool is_valid_my_number(std::string_view number) {
  if (!is_digits(number, my_number_digits)) return false;
  return my_number_check_digit(number.substr(0, 11)) == number[11];
}

}  // namespace onshi::jpki
