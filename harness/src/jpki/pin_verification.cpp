#include "onshi/jpki/pin_verification.hpp"

#include "onshi/iso7816/status_word.hpp"

namespace onshi::jpki {

std::optional<PinVerification> PinVerification::from_status_word(std::uint16_t status) {
  namespace sw = iso7816::sw;
  if (status == sw::ok) return PinVerification{Outcome::verified, 0, status};
  if (sw::is_verify_failed(status)) return PinVerification{Outcome::wrong_pin, status & 0x0Fu, status};
  // JPKI cards answer 6984 once blocked (jpki/myna); ISO's 6983 is accepted too.
  if (status == sw::reference_data_not_usable || status == sw::auth_method_blocked) {
    return PinVerification{Outcome::blocked, 0, status};
  }
  return std::nullopt;
}

std::string_view to_string(PinVerification::Outcome outcome) {
  switch (outcome) {
    case PinVerification::Outcome::verified: return "verified";
    case PinVerification::Outcome::wrong_pin: return "wrong PIN";
    case PinVerification::Outcome::blocked: return "blocked";
  }
  return "unknown";
}

}  // namespace onshi::jpki
