#include "onshi/receipt/bulk_check.hpp"

#include <map>
#include <optional>

#include "onshi/ons/bulk_inquiry.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "answer_reading.hpp"

namespace onshi::receipt {
namespace {

constexpr const char* kWhat = "a bulk qualification result";

std::optional<ons::BulkResult> decoded(const std::string& bytes, const std::string& shown, BulkVerdict& verdict) {
  const auto xml = reading::canonical_answer(bytes, shown, verdict, kWhat);
  if (!xml) return std::nullopt;
  try {
    ons::BulkResult result = ons::decode_bulk_result(*xml, {xml->size() + 1});
    reading::check_character_code(verdict, shown, result.character_code_identifier);
    return result;
  } catch (const Error& e) {
    reading::unreadable(verdict, shown, kWhat, e);
    return std::nullopt;
  }
}

// An error result in place of a bulk answer says why: its ErrorCode and message.
void refused(BulkVerdict& verdict, const std::string& shown, const ons::BulkResult& result, const std::string& expected) {
  verdict.problems.push_back(shown + ": MessageHeader/SegmentOfResult is '" +
                             std::string(ons::to_code(result.segment_of_result)) + "', expected " + expected +
                             (result.error_code ? " (ErrorCode " + *result.error_code + ": " +
                                                      result.error_message.value_or("") + ")"
                                                : ""));
}

std::string count_text(const std::optional<unsigned>& n) { return n ? std::to_string(*n) : ""; }

}  // namespace

BulkVerdict check_bulk_receipt(const std::string& bytes, const std::string& shown, const std::string& identifier,
                               const std::string& facility_code) {
  BulkVerdict verdict;
  const auto result = decoded(bytes, shown, verdict);
  if (!result) return verdict;
  if (result->segment_of_result != ons::SegmentOfResult::processing) {
    refused(verdict, shown, *result, "'2' (処理中) with a ReceptionNumber");
    return verdict;
  }
  verdict.reception_number = result->reception_number;
  reading::compare(verdict.problems, shown, "MessageHeader/MedicalInstitutionCode", facility_code,
                   result->medical_institution_code);
  reading::compare(verdict.problems, shown, "MessageHeader/ArbitraryFileIdentifier", identifier,
                   result->arbitrary_file_identifier);
  return verdict;
}

BulkVerdict check_bulk_result(const std::string& bytes, const std::string& shown, const std::vector<BulkPerson>& persons,
                              const AnswerExpectation& expect, const std::string& reception_number,
                              const std::string& facility_code) {
  BulkVerdict verdict;
  auto& problems = verdict.problems;
  const auto result = decoded(bytes, shown, verdict);
  if (!result) return verdict;
  if (result->segment_of_result == ons::SegmentOfResult::processing && !result->error_code) {
    verdict.pending = true;
    reading::compare(problems, shown, "MessageHeader/ReceptionNumber", reception_number, result->reception_number);
    return verdict;
  }
  if (expect.segment_of_result && *expect.segment_of_result != ons::to_code(result->segment_of_result)) {
    refused(verdict, shown, *result, "'" + *expect.segment_of_result + "'");
    return verdict;
  }
  reading::compare(problems, shown, "MessageBody/ProcessingResultStatus", expect.processing_result_status,
                   std::string(ons::to_code(result->processing_result_status)));
  reading::compare(problems, shown, "MessageHeader/ErrorCode", expect.error_code, result->error_code.value_or(""));
  reading::compare(problems, shown, "MessageHeader/MedicalInstitutionCode", facility_code,
                   result->medical_institution_code);
  reading::compare(problems, shown, "MessageHeader/ReceptionNumber", reception_number, result->reception_number);
  const std::string listed = std::to_string(persons.size());
  reading::compare(problems, shown, "MessageHeader/NumberOfProcessingResult", listed,
                   count_text(result->number_of_processing_result));

  std::map<std::string, const ons::BulkItemResult*> by_identifier;
  for (const ons::BulkItemResult& item : result->items) {
    const std::string id = item.arbitrary_identifier.value_or("");
    if (!by_identifier.emplace(id, &item).second) {
      problems.push_back(shown + ": two results for ArbitraryIdentifier '" + id + "'");
    }
  }
  unsigned normal = 0;
  for (const BulkPerson& person : persons) {
    const auto found = by_identifier.find(person.patient);
    const std::string field = "QualificationConfirmResult[ArbitraryIdentifier=" + person.patient + "]";
    if (found == by_identifier.end()) {
      problems.push_back(shown + ": no " + field + ", expected the result of the listed person " + person.patient);
      continue;
    }
    const ons::BulkItemResult& item = *found->second;
    if (item.processing_result_status == ons::ProcessingResultStatus::normal_end) ++normal;
    reading::compare(problems, shown, field + "/ProcessingResultStatus", std::string("1"),
                     std::string(ons::to_code(item.processing_result_status)) +
                         (item.processing_result_code ? " (" + *item.processing_result_code + ")" : ""));
    reading::compare(problems, shown, field + "/QualificationValidity", person.qualification_validity,
                     item.qualification_validity ? std::string(ons::to_code(*item.qualification_validity)) : "");
    if (person.name || person.birthdate) {
      if (item.results.empty()) {
        problems.push_back(shown + ": " + field + "/ResultList is empty, expected " + person.patient + "'s qualification");
      } else {
        reading::compare(problems, shown, field + "/ResultList/ResultOfQualificationConfirmation/Name", person.name,
                         item.results.front().name);
        reading::compare(problems, shown, field + "/ResultList/ResultOfQualificationConfirmation/Birthdate",
                         person.birthdate, item.results.front().birthdate);
      }
    }
  }
  if (result->items.size() > persons.size()) {
    problems.push_back(shown + ": " + std::to_string(result->items.size()) + " results for " + listed + " listed persons");
  }
  reading::compare(problems, shown, "MessageHeader/NumberOfNormalProcessing", std::to_string(normal),
                   count_text(result->number_of_normal_processing));
  return verdict;
}

}  // namespace onshi::receipt
