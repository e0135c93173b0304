#include "onshi/receipt/information_check.hpp"

#include "onshi/ons/codes.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "answer_reading.hpp"

namespace onshi::receipt {

AnswerVerdict check_information_answer(const std::string& bytes, const std::string& shown, ons::InformationKind kind,
                                       const AnswerExpectation& expect, const std::string& identifier,
                                       const std::string& facility_code) {
  AnswerVerdict verdict;
  auto& problems = verdict.problems;
  const std::string what = std::string("a ") + (kind == ons::InformationKind::medication ? "medication" : "checkup") +
                           " information result";
  const auto xml = reading::canonical_answer(bytes, shown, verdict, what);
  if (!xml) return verdict;
  ons::InformationResult result;
  try {
    result = ons::decode_information_result(*xml, kind, {xml->size() + 1});
  } catch (const Error& e) {
    reading::unreadable(verdict, shown, what, e);
    return verdict;
  }
  reading::check_character_code(verdict, shown, result.character_code_identifier);
  reading::compare(problems, shown, "MessageHeader/SegmentOfResult", expect.segment_of_result,
                   std::string(ons::to_code(result.segment_of_result)));
  reading::compare(problems, shown, "MessageBody/ProcessingResultStatus", expect.processing_result_status,
                   std::string(ons::to_code(result.processing_result_status)));
  reading::compare(problems, shown, "MessageHeader/ErrorCode", expect.error_code, result.error_code.value_or(""));
  reading::compare(problems, shown, "MessageHeader/MedicalInstitutionCode", facility_code, result.medical_institution_code);
  if (expect.echo_identifier) {
    reading::compare(problems, shown, "MessageHeader/ArbitraryFileIdentifier", identifier, result.arbitrary_file_identifier);
  }
  if (expect.information_returned) {
    const bool medication = kind == ons::InformationKind::medication;
    const bool empty = medication ? result.medications.empty() : result.checkups.empty();
    if (empty) {
      problems.push_back(shown + ": MessageBody/" +
                         (medication ? "MedicationInfoList" : "SpecificHealthCheckupInfoList") +
                         " is empty, expected the patient's information (a consent is on record)" +
                         (result.error_code ? " (ErrorCode " + *result.error_code + ")" : ""));
    }
    if (!result.cons_time) problems.push_back(shown + ": MessageBody/ConsTime is absent, expected the consent it rests on");
  }
  return verdict;
}

}  // namespace onshi::receipt
