#include "answer_reading.hpp"

#include "onshi/ons/xml_codec.hpp"

namespace onshi::receipt::reading {
namespace {

constexpr std::size_t kMaxAnswerBytes = std::size_t{8} << 20;

std::string encoding_name(ons::TextEncoding e) { return e == ons::TextEncoding::shift_jis ? "Shift_JIS" : "UTF-8"; }

}  // namespace

void unreadable(AnswerVerdict& verdict, const std::string& shown, const std::string& what, const Error& e) {
  verdict.problems.push_back(shown + ": cannot be read as " + what + ": " + (e.context().empty() ? "" : e.context() + ": ") +
                             e.message());
}

std::optional<std::string> canonical_answer(const std::string& bytes, const std::string& shown, AnswerVerdict& verdict,
                                            const std::string& what) {
  verdict.bytes = bytes.size();
  if (bytes.empty()) {
    verdict.problems.push_back(shown + ": the answer file is empty");
    return std::nullopt;
  }
  if (bytes.size() > kMaxAnswerBytes) {
    verdict.problems.push_back(shown + ": the answer file is " + std::to_string(bytes.size()) + " bytes, above " +
                               std::to_string(kMaxAnswerBytes));
    return std::nullopt;
  }
  try {
    verdict.encoding = ons::declared_xml_encoding(bytes);
    return ons::to_canonical(bytes, ons::WireSyntax::xml, {}, {kMaxAnswerBytes}).xml;
  } catch (const Error& e) {
    unreadable(verdict, shown, what, e);
    return std::nullopt;
  }
}

void check_character_code(AnswerVerdict& verdict, const std::string& shown, ons::CharacterCodeIdentifier said) {
  const ons::CharacterCodeIdentifier declared = verdict.encoding == ons::TextEncoding::shift_jis
                                                    ? ons::CharacterCodeIdentifier::shift_jis
                                                    : ons::CharacterCodeIdentifier::utf8;
  if (said != declared) {
    verdict.problems.push_back(shown + ": MessageHeader/CharacterCodeIdentifier is '" + std::string(ons::to_code(said)) +
                               "' but the file is " + encoding_name(verdict.encoding) + " (expected '" +
                               std::string(ons::to_code(declared)) + "')");
  }
}

void compare(std::vector<std::string>& problems, const std::string& shown, const std::string& field,
             const std::optional<std::string>& expected, const std::string& actual) {
  if (expected && *expected != actual) {
    problems.push_back(shown + ": " + field + " is " + (actual.empty() ? "absent" : "'" + actual + "'") + ", expected '" +
                       *expected + "'");
  }
}

}  // namespace onshi::receipt::reading
