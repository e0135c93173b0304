#include "onshi/iso7816/status_word.hpp"

#include "onshi/core/bytes.hpp"

namespace onshi::iso7816::sw {

std::string describe(std::uint16_t status) {
  Bytes raw;
  store_be16(raw, status);
  const std::string hex = to_hex(raw);
  if (is_verify_failed(status)) {
    return hex + " verification failed, " + std::to_string(status & 0x0F) + " tries left";
  }
  // ISO 7816-4 5.1.3: SW2 counts bytes (0 = 256). A host that followed these for ever would
  // never end (a broken card answering them to everything), so they are named when they stop one.
  const unsigned count = (status & 0xFFu) == 0 ? 256u : (status & 0xFFu);
  if ((status & 0xFF00u) == 0x6100u) return hex + " " + std::to_string(count) + " more response bytes (GET RESPONSE)";
  if ((status & 0xFF00u) == 0x6C00u) return hex + " wrong Le: the card has " + std::to_string(count) + " bytes";
  switch (status) {
    case ok: return hex + " ok";
    case wrong_length: return hex + " wrong length";
    case security_status_not_satisfied: return hex + " security status not satisfied";
    case auth_method_blocked: return hex + " authentication method blocked";
    case reference_data_not_usable: return hex + " reference data not usable (blocked)";
    case conditions_not_satisfied: return hex + " conditions of use not satisfied";
    case command_not_allowed_no_ef: return hex + " command not allowed (no current EF)";
    case wrong_data: return hex + " incorrect data field";
    case function_not_supported: return hex + " function not supported";
    case file_not_found: return hex + " file or application not found";
    case wrong_p1p2: return hex + " incorrect P1-P2";
    case wrong_p1p2_offset: return hex + " wrong parameters (offset outside the EF)";
    case ins_not_supported: return hex + " instruction not supported";
    case cla_not_supported: return hex + " class not supported";
    case end_of_file: return hex + " end of file reached before Le bytes";
    default: return hex + " unknown status";
  }
}

}  // namespace onshi::iso7816::sw
