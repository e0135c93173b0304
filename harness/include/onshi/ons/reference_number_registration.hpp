#pragma once
// Bulk 照会番号 registration in two phases (OQSmuimm01req / OQSmuimm02req): a clinic registers
// its own patient ID (照会番号, ReferenceNumber) for many insured persons at once, and fetches
// the outcome by ReceptionNumber, as for the bulk qualification inquiry (bulk_inquiry.hpp).
// The file names and their specification numbers are known (docs/domain/file-interface.md:
// 01req = OQS-IF-009, 02res = OQS-IF-012); the elements are not public. The shape below is
// inferred, the harness's own (docs/domain/ons-messages.md, "Bulk 照会番号 registration"):
//   OQSmuimm01req: MessageHeader as OQSsiquc01req, then one
//     MessageBody/ReferenceNumberRegistrationInfo{InsurerNumber, InsuredCardSymbol?,
//     InsuredIdentificationNumber, InsuredBranchNumber?, Birthdate, ReferenceNumber,
//     ArbitraryIdentifier?} per person → a result with the ReceptionNumber, SegmentOfResult 2.
//   OQSmuimm02req: MessageHeader{MedicalInstitutionCode, ReceptionNumber} (the BulkFetch shape)
//     → SegmentOfResult 2 until ready, then 1 with NumberOfProcessingResult /
//     NumberOfNormalProcessing / NumberOfError and one
//     ReferenceNumberRegistrationResultList/ReferenceNumberRegistrationResult{ArbitraryIdentifier?,
//     ProcessingResultStatus, ProcessingResultCode?, ProcessingResultMessage?, ReferenceNumber}
//     per person.
// ReferenceNumber: 1..20 half-width letters and digits (the harness's bound; a clinic's ID).
#include <optional>
#include <string>
#include <vector>

#include "onshi/ons/codes.hpp"
#include "onshi/ons/message_header.hpp"

namespace onshi::ons {

struct ReferenceNumberEntry {
  std::string insurer_number;  // 8 digits, or 6 for 国保
  std::optional<std::string> insured_card_symbol;
  std::string insured_identification_number;
  std::optional<std::string> insured_branch_number;
  std::string birthdate;  // YYYYMMDD
  std::string reference_number;
  std::optional<std::string> arbitrary_identifier;

  bool operator==(const ReferenceNumberEntry&) const = default;
};

struct ReferenceNumberRegistration {
  RequestHeader header;
  std::vector<ReferenceNumberEntry> entries;

  bool operator==(const ReferenceNumberRegistration&) const = default;
};

// One person's outcome.
struct ReferenceNumberItemResult {
  std::optional<std::string> arbitrary_identifier;
  ProcessingResultStatus processing_result_status = ProcessingResultStatus::normal_end;
  std::optional<std::string> processing_result_code;  // the ErrorCode when it failed
  std::optional<std::string> processing_result_message;
  std::string reference_number;  // as asked

  bool operator==(const ReferenceNumberItemResult&) const = default;
};

struct ReferenceNumberResult {
  std::string process_execution_time;
  std::string medical_institution_code;
  std::string arbitrary_file_identifier;
  std::string reception_number;
  SegmentOfResult segment_of_result = SegmentOfResult::processing;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  CharacterCodeIdentifier character_code_identifier = CharacterCodeIdentifier::utf8;
  std::optional<unsigned> number_of_processing_result;
  std::optional<unsigned> number_of_normal_processing;
  std::optional<unsigned> number_of_error;
  ProcessingResultStatus processing_result_status = ProcessingResultStatus::normal_end;
  std::vector<ReferenceNumberItemResult> items;

  bool operator==(const ReferenceNumberResult&) const = default;
};

}  // namespace onshi::ons
