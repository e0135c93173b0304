#pragma once
// A result file from the terminal (face/ or res/) as the reference receipt computer reads
// it: the bytes converted by their declaration (text_encoding.hpp), parsed by libxml2, and
// checked as a careful receipt computer would: an XmlMsg with a MessageHeader whose
// CharacterCodeIdentifier (0 UTF-8, 1 Shift_JIS) matches the file's encoding, a
// SegmentOfResult and a ProcessingResultStatus.
#include <optional>
#include <string>
#include <string_view>

#include "text_encoding.hpp"

namespace onshi::reference_rc {

// What the receipt computer takes from an accepted result.
struct ResultFile {
  FileEncoding encoding = FileEncoding::utf8;
  std::string character_code_identifier;
  std::string segment_of_result;
  std::string processing_result_status;
  std::string error_code;
  std::string medical_institution_code;
  std::string arbitrary_file_identifier;
  std::string qualification_validity;
  // The first ResultOfQualificationConfirmation's insurance card, when there is one.
  std::string insurer_number;
  std::string insured_card_symbol;
  std::string insured_identification_number;
  std::string insured_branch_number;
  std::string birthdate;
};

// nullopt with `reason` set when the file is refused.
std::optional<ResultFile> read_result_file(std::string_view bytes, const std::string& name, std::string& reason);

}  // namespace onshi::reference_rc
