#include "onshi/testing/p001_requests.hpp"

namespace onshi::testing {

ons::InformationRequest p001_information_request(ons::InformationKind kind, const std::string& facility) {
  ons::InformationRequest r;
  r.kind = kind;
  r.medical_institution_code = facility;
  r.insurer_number = "06132013";
  r.insurance_card_symbol = "101";
  r.insured_person_identification_number = "2345";
  r.branch_number = "00";
  r.start_date = "20200101";
  if (kind == ons::InformationKind::medication) r.end_date = "20991231";
  return r;
}

}  // namespace onshi::testing
