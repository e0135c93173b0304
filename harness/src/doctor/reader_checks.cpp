// Each reader and the card it holds (docs/doctor.md, "Reader and card").
#include "examination.hpp"

namespace onshi::doctor::detail {

void check_reader_and_card(Examination& /*exam*/) {}

}  // namespace onshi::doctor::detail
