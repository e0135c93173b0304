#pragma once
// Bulk qualification inquiry in two phases (docs/domain/ons-messages.md, bulk inquiry):
//   OQSmuquc01req: MessageHeader as OQSsiquc01req, MessageBody/QualificationConfirmSearchInfo*
//     (one per patient, ArbitraryIdentifier tells them apart) → a BulkResult carrying the
//     ReceptionNumber and SegmentOfResult 2 (処理中).
//   OQSmuquc02req: MessageHeader{MedicalInstitutionCode, ReceptionNumber} → a BulkResult,
//     SegmentOfResult 2 until ready, then 1 with NumberOfProcessingResult /
//     NumberOfNormalProcessing / NumberOfError in the header and one
//     QualificationConfirmResultList/QualificationConfirmResult per inquiry.
// The per-inquiry result element is the harness's shape (the official one is not public).
#include <optional>
#include <string>
#include <vector>

#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/search_inquiry.hpp"

namespace onshi::ons {

struct BulkInquiry {
  RequestHeader header;
  std::vector<QualificationSearchInquiry> inquiries;  // each one's header is ignored on the wire

  bool operator==(const BulkInquiry&) const = default;
};

struct BulkFetch {
  std::string medical_institution_code;
  std::string reception_number;

  bool operator==(const BulkFetch&) const = default;
};

// One inquiry's outcome inside a bulk result.
struct BulkItemResult {
  std::optional<std::string> arbitrary_identifier;
  ProcessingResultStatus processing_result_status = ProcessingResultStatus::normal_end;
  std::optional<std::string> processing_result_code;  // the ErrorCode when it failed
  std::optional<std::string> processing_result_message;
  std::optional<QualificationValidity> qualification_validity;
  std::vector<QualificationRecord> results;

  bool operator==(const BulkItemResult&) const = default;
};

struct BulkResult {
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
  std::vector<BulkItemResult> items;

  bool operator==(const BulkResult&) const = default;
};

}  // namespace onshi::ons
