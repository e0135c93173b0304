#include "onshi/population/search_inquiry_for.hpp"

namespace onshi::population {

ons::QualificationSearchInquiry search_inquiry_for(const Patient& patient, const std::string& facility_code,
                                                   const std::string& confirmation_date) {
  ons::QualificationSearchInquiry inquiry;
  inquiry.header.qualification_confirmation_date = confirmation_date;
  inquiry.header.medical_institution_code = facility_code;
  inquiry.insurer_number = patient.insurance.insurer_number;
  if (!patient.insurance.insured_card_symbol.empty()) inquiry.insured_card_symbol = patient.insurance.insured_card_symbol;
  inquiry.insured_identification_number = patient.insurance.insured_identification_number;
  if (!patient.insurance.insured_branch_number.empty()) {
    inquiry.insured_branch_number = patient.insurance.insured_branch_number;
  }
  inquiry.birthdate = patient.birthdate;
  return inquiry;
}

}  // namespace onshi::population
