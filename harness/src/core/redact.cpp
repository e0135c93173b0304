#include "onshi/core/redact.hpp"

namespace onshi {

std::string redact_pin(std::string_view pin) { return pin.empty() ? std::string() : std::string("****"); }

std::string redact_number(std::string_view number) {
  if (number.size() <= 2) return std::string(number.size(), '*');
  return std::string(number.size() - 2, '*') + std::string(number.substr(number.size() - 2));
}

}  // namespace onshi
