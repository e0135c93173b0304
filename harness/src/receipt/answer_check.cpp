#include "onshi/receipt/answer_check.hpp"

#include <optional>

#include "onshi/core/error.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "answer_reading.hpp"

namespace onshi::receipt {

using reading::compare;

std::string AnswerVerdict::summary() const {
  if (problems.empty()) return {};
  std::string out = problems.front();
  if (problems.size() > 1) out += "; and " + std::to_string(problems.size() - 1) + " more";
  return out;
}

AnswerVerdict check_answer(const std::string& bytes, const std::string& shown, const AnswerExpectation& expect,
                           const std::string& identifier, const std::string& facility_code) {
  AnswerVerdict verdict;
  auto& problems = verdict.problems;
  const std::string what = "a qualification result";
  const auto xml = reading::canonical_answer(bytes, shown, verdict, what);
  if (!xml) return verdict;
  ons::QualificationResult result;
  try {
    result = ons::decode_result(*xml, {xml->size() + 1});
  } catch (const Error& e) {
    reading::unreadable(verdict, shown, what, e);
    return verdict;
  }
  reading::check_character_code(verdict, shown, result.header.character_code_identifier);
  compare(problems, shown, "MessageHeader/SegmentOfResult", expect.segment_of_result,
          std::string(ons::to_code(result.header.segment_of_result)));
  compare(problems, shown, "MessageBody/ProcessingResultStatus", expect.processing_result_status,
          std::string(ons::to_code(result.body.processing_result_status)));
  compare(problems, shown, "MessageBody/QualificationValidity", expect.qualification_validity,
          result.body.qualification_validity ? std::string(ons::to_code(*result.body.qualification_validity)) : "");
  compare(problems, shown, "MessageHeader/ErrorCode", expect.error_code, result.header.error_code.value_or(""));
  compare(problems, shown, "MessageHeader/MedicalInstitutionCode", facility_code, result.header.medical_institution_code);
  if (expect.echo_identifier) {
    compare(problems, shown, "MessageHeader/ArbitraryFileIdentifier", identifier, result.header.arbitrary_file_identifier);
  }
  if (expect.name || expect.birthdate) {
    if (result.body.results.empty()) {
      problems.push_back(shown + ": MessageBody/ResultList is empty, expected the patient's qualification");
    } else {
      const ons::QualificationRecord& first = result.body.results.front();
      compare(problems, shown, "ResultList/ResultOfQualificationConfirmation/Name", expect.name, first.name);
      compare(problems, shown, "ResultList/ResultOfQualificationConfirmation/Birthdate", expect.birthdate,
              first.birthdate);
    }
  }
  return verdict;
}

}  // namespace onshi::receipt
