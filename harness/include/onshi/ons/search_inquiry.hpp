#pragma once
// The insurance-card path inquiry (OQSsiquc01req): XmlMsg/MessageBody/QualificationConfirmSearchInfo.
#include <optional>
#include <string>

#include "onshi/ons/codes.hpp"
#include "onshi/ons/message_header.hpp"

namespace onshi::ons {

struct QualificationSearchInquiry {
  RequestHeader header;
  std::string insurer_number;  // 8 digits, or 6 for 国保 (may arrive space-padded)
  std::optional<std::string> insured_card_symbol;
  std::string insured_identification_number;
  std::optional<std::string> insured_branch_number;
  std::string birthdate;  // YYYYMMDD
  ConsentFlag limit_application_certificate_consent = ConsentFlag::not_consented;
  std::optional<std::string> arbitrary_identifier;

  bool operator==(const QualificationSearchInquiry&) const = default;
};

}  // namespace onshi::ons
