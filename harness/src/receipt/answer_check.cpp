#include "onshi/receipt/answer_check.hpp"

#include <optional>

#include "onshi/core/error.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::receipt {
namespace {

constexpr std::size_t kMaxAnswerBytes = std::size_t{8} << 20;

std::string encoding_name(ons::TextEncoding e) { return e == ons::TextEncoding::shift_jis ? "Shift_JIS" : "UTF-8"; }

void compare(std::vector<std::string>& problems, const std::string& shown, const char* field,
             const std::optional<std::string>& expected, const std::string& actual) {
  if (expected && *expected != actual) {
    problems.push_back(shown + ": " + field + " is " + (actual.empty() ? "absent" : "'" + actual + "'") + ", expected '" +
                       *expected + "'");
  }
}

std::string error_text(const Error& e) { return (e.context().empty() ? "" : e.context() + ": ") + e.message(); }

}  // namespace

std::string AnswerVerdict::summary() const {
  if (problems.empty()) return {};
  std::string out = problems.front();
  if (problems.size() > 1) out += "; and " + std::to_string(problems.size() - 1) + " more";
  return out;
}

AnswerVerdict check_answer(const std::string& bytes, const std::string& shown, const AnswerExpectation& expect,
                           const std::string& identifier, const std::string& facility_code) {
  AnswerVerdict verdict;
  verdict.bytes = bytes.size();
  auto& problems = verdict.problems;
  if (bytes.empty()) {
    problems.push_back(shown + ": the answer file is empty");
    return verdict;
  }
  if (bytes.size() > kMaxAnswerBytes) {
    problems.push_back(shown + ": the answer file is " + std::to_string(bytes.size()) + " bytes, above " +
                       std::to_string(kMaxAnswerBytes));
    return verdict;
  }
  ons::QualificationResult result;
  try {
    verdict.encoding = ons::declared_xml_encoding(bytes);
    const ons::CanonicalMessage canonical = ons::to_canonical(bytes, ons::WireSyntax::xml, {}, {kMaxAnswerBytes});
    result = ons::decode_result(canonical.xml, {kMaxAnswerBytes});
  } catch (const Error& e) {
    problems.push_back(shown + ": cannot be read as a qualification result: " + error_text(e));
    return verdict;
  }

  // A receipt computer trusts CharacterCodeIdentifier for how to show the text: it must say
  // what the declaration and the bytes are.
  const ons::CharacterCodeIdentifier declared = verdict.encoding == ons::TextEncoding::shift_jis
                                                    ? ons::CharacterCodeIdentifier::shift_jis
                                                    : ons::CharacterCodeIdentifier::utf8;
  if (result.header.character_code_identifier != declared) {
    problems.push_back(shown + ": MessageHeader/CharacterCodeIdentifier is '" +
                       std::string(ons::to_code(result.header.character_code_identifier)) + "' but the file is " +
                       encoding_name(verdict.encoding) + " (expected '" + std::string(ons::to_code(declared)) + "')");
  }
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
