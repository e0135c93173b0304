// Whether the ONS side trusts the card's PKI (docs/doctor.md, "Card PKI and ONS PKI").
#include "examination.hpp"

namespace onshi::doctor::detail {

void check_card_pki(Examination& /*exam*/) {}

}  // namespace onshi::doctor::detail
