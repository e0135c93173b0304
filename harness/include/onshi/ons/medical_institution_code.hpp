#pragma once
// The 医療機関コード (medical institution code) as ONS messages, terminal certificates, rig
// files and population files carry it: exactly 10 ASCII digits. One check, so every loader
// refuses the same values with the same words.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "onshi/core/digits.hpp"

namespace onshi::ons {

inline constexpr std::size_t medical_institution_code_digits = 10;

// nullopt when `code` is a well-formed 医療機関コード; otherwise what is wrong with it, naming
// the value (cut to 40 bytes), for the caller to prefix with where it was read.
inline std::optional<std::string> medical_institution_code_problem(std::string_view code) {
  if (is_digits(code, medical_institution_code_digits)) return std::nullopt;
  return "a 医療機関コード is 10 digits, got '" + std::string(code.substr(0, 40)) + "'";
}

inline bool is_medical_institution_code(std::string_view code) {
  return !medical_institution_code_problem(code).has_value();
}

}  // namespace onshi::ons
