#include "onshi/ons/insurer_number.hpp"

#include <algorithm>

#include "onshi/core/error.hpp"

namespace onshi::ons {
namespace {
bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

char insurer_check_digit(std::string_view base) {
  if (!digits(base)) throw Error(ErrorCode::invalid_argument, "base must be digits", std::string(base));
  int sum = 0;
  int weight = 2;
  for (auto it = base.rbegin(); it != base.rend(); ++it) {
    const int product = (*it - '0') * weight;
    sum += product / 10 + product % 10;
    weight = weight == 2 ? 1 : 2;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string strip_insurer_padding(std::string_view number) {
  std::string_view n = number;
  while (!n.empty() && n.front() == ' ') n.remove_prefix(1);
  // 8 positions with leading "00" is a zero-padded 6-digit 国保 number.
  if (n.size() == 8 && n.substr(0, 2) == "00") n.remove_prefix(2);
  return std::string(n);
}

std::string insurer_number_problem(std::string_view number) {
  const std::string n = strip_insurer_padding(number);
  if (!digits(n) || (n.size() != 6 && n.size() != 8)) return "must be 6 or 8 digits";
  const char expected = insurer_check_digit(std::string_view(n).substr(0, n.size() - 1));
  if (n.back() != expected) {
    return std::string("check digit ") + n.back() + " should be " + expected;
  }
  return {};
}

}  // namespace onshi::ons
