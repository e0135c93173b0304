#pragma once
// 保険者番号 and its 検証番号 (docs/domain/number-formats.md): 8 digits (法別2 + 都道府県2 + 保険者別3 + 検証1)
// or 6 for 国保 (都道府県2 + 保険者別3 + 検証1), in XML possibly left-padded with spaces or
// zeros to 8. Check digit: over the base digits from the right, weights 2,1,2,1...; add the
// digits of each product; check = (10 − sum mod 10) mod 10.
#include <string>
#include <string_view>

namespace onshi::ons {

// The check digit for `base` (digits only); throws Error(invalid_argument) otherwise.
char insurer_check_digit(std::string_view base);

// "" when `number` is a well-formed insurer number with a correct check digit; otherwise
// why not ("must be 6 or 8 digits", "check digit 4 should be 3").
std::string insurer_number_problem(std::string_view number);

// Without padding: "  138149" and "00138149" → "138149"; "06132013" stays 8 digits
// (法別 06 keeps its zero only when the number has 8 significant positions).
std::string strip_insurer_padding(std::string_view number);

}  // namespace onshi::ons
