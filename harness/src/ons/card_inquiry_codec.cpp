// XML codec of the card-path inquiry ("onshi-hil card profile 1", see card_inquiry.hpp).
#include "onshi/ons/base64.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace {

constexpr std::string_view kBody = "CardQualificationConfirmInfo";

struct ConsentElement {
  std::string_view name;
  std::optional<ConsentFlag> ConsentChoices::*member;
};
constexpr ConsentElement kConsentElements[] = {
    {"PharmacistsInfoConsFlg", &ConsentChoices::pharmacists_info},
    {"SpecificHealthCheckupsInfoConsFlg", &ConsentChoices::specific_health_checkups_info},
    {"DiagnosisInfoConsFlg", &ConsentChoices::diagnosis_info},
    {"OperationInfoConsFlg", &ConsentChoices::operation_info},
    {"LimitApplicationCertificateRelatedConsFlg", &ConsentChoices::limit_application_certificate},
};

Bytes binary(const detail::Element& parent, std::string_view name) {
  const detail::Element e = parent.child(name);
  Bytes value = base64_decode(e.text(), e.path());
  if (value.empty()) e.fail("empty value");
  return value;
}

}  // namespace

std::string encode_xml(const CardQualificationInquiry& inquiry) {
  detail::MessageWriter w;
  detail::write_request_header(w.root(), inquiry.header);
  detail::XmlNode info = detail::add_element(detail::add_element(w.root(), "MessageBody"), kBody);
  detail::add_text(info, "UserAuthenticationCertificate", base64_encode(inquiry.user_authentication_certificate));
  detail::add_text(info, "Challenge", base64_encode(inquiry.challenge));
  detail::add_text(info, "ChallengeSignature", base64_encode(inquiry.challenge_signature));
  for (const auto& c : kConsentElements) detail::add_code(info, c.name, inquiry.consents.*c.member);
  return w.str();
}

CardQualificationInquiry decode_card_inquiry(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const detail::Element root = message.root();
  CardQualificationInquiry inquiry;
  inquiry.header = detail::read_request_header(root);
  const detail::Element info = root.child("MessageBody").child(kBody);
  inquiry.user_authentication_certificate = binary(info, "UserAuthenticationCertificate");
  inquiry.challenge = binary(info, "Challenge");
  if (inquiry.challenge.size() < kMinChallengeBytes || inquiry.challenge.size() > kMaxChallengeBytes) {
    info.child("Challenge").fail("challenge of " + std::to_string(inquiry.challenge.size()) + " bytes (expected " +
                                 std::to_string(kMinChallengeBytes) + ".." + std::to_string(kMaxChallengeBytes) + ")");
  }
  inquiry.challenge_signature = binary(info, "ChallengeSignature");
  for (const auto& c : kConsentElements) inquiry.consents.*c.member = info.optional_code<ConsentFlag>(c.name);
  return inquiry;
}

}  // namespace onshi::ons
