#pragma once
// Secrets never reach logs or records in clear: PINs become "****", card numbers keep
// their last two digits.
#include <string>
#include <string_view>

namespace onshi {

std::string redact_pin(std::string_view pin);
std::string redact_number(std::string_view number);

}  // namespace onshi
