#pragma once
// The insurance-card path inquiry (/qualification/search) a terminal sends for a patient:
// the insurance card's fields as the patient holds them (docs/domain/ons-messages.md).
#include <string>

#include "onshi/ons/search_inquiry.hpp"
#include "onshi/population/population.hpp"

namespace onshi::population {

// confirmation_date: YYYYMMDD (JST). The card symbol and branch number are sent only when the
// card has them.
ons::QualificationSearchInquiry search_inquiry_for(const Patient& patient, const std::string& facility_code,
                                                   const std::string& confirmation_date);

}  // namespace onshi::population
