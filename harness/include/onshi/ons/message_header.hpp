#pragma once
// The two MessageHeader shapes of the XmlMsg envelope: what a terminal sends with an
// inquiry, and what ONS puts in front of a result.
#include <optional>
#include <string>

#include "onshi/ons/codes.hpp"

namespace onshi::ons {

struct RequestHeader {
  std::string qualification_confirmation_date;  // YYYYMMDD (JST), the reception day
  std::string medical_institution_code;         // 10 digits; must match the terminal certificate
  std::optional<std::string> arbitrary_file_identifier;

  bool operator==(const RequestHeader&) const = default;
};

struct ResultHeader {
  std::string process_execution_time;  // YYYYMMDDHHmmss (JST)
  std::string qualification_confirmation_date;
  std::string medical_institution_code;
  std::string arbitrary_file_identifier;  // echoed; may be empty
  ReferenceClassification reference_classification = ReferenceClassification::my_number_card;
  SegmentOfResult segment_of_result = SegmentOfResult::normal_end;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  CharacterCodeIdentifier character_code_identifier = CharacterCodeIdentifier::utf8;

  bool operator==(const ResultHeader&) const = default;
};

}  // namespace onshi::ons
