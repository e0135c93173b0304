#pragma once
// The 12-digit My Number (個人番号) and its check digit (docs/domain/number-formats.md):
// check = (-Σ wᵢdᵢ) mod 11 mod 10, weights 6,5,4,3,2,7,6,5,4,3,2 over digits 1..11.
#include <string>
#include <string_view>

namespace onshi::jpki {

inline constexpr std::size_t my_number_digits = 12;

// The check digit ('0'..'9') for 11 base digits. Throws Error(invalid_argument) otherwise.
char my_number_check_digit(std::string_view base11);
// 12 ASCII digits whose last is the check digit of the first 11.
bool is_valid_my_number(std::string_view number);

}  // namespace onshi::jpki
