// XML codec of the insurance-card path inquiry (OQSsiquc01req, QualificationConfirmSearchInfo).
#include <algorithm>

#include "onshi/ons/xml_codec.hpp"
#include "xml_support.hpp"

namespace onshi::ons {

namespace detail {

void write_search_info(detail::XmlNode body, const QualificationSearchInquiry& inquiry) {
  detail::XmlNode info = detail::add_element(body, "QualificationConfirmSearchInfo");
  detail::add_text(info, "InsurerNumber", inquiry.insurer_number);
  detail::add_text(info, "InsuredCardSymbol", inquiry.insured_card_symbol);
  detail::add_text(info, "InsuredIdentificationNumber", inquiry.insured_identification_number);
  detail::add_text(info, "InsuredBranchNumber", inquiry.insured_branch_number);
  detail::add_text(info, "Birthdate", inquiry.birthdate);
  detail::add_code(info, "LimitApplicationCertificateRelatedConsFlg", inquiry.limit_application_certificate_consent);
  detail::add_text(info, "ArbitraryIdentifier", inquiry.arbitrary_identifier);
}

std::string required_insurer_number(const Element& parent) {
  // 保険者番号: 8 digits, or a 6-digit 国保 number left-padded with spaces or zeros.
  const detail::Element insurer = parent.child("InsurerNumber");
  std::string value = insurer.text();
  const std::string_view n(value);
  const std::size_t first = n.find_first_not_of(' ');
  const std::string_view trimmed = first == std::string_view::npos ? std::string_view{} : n.substr(first);
  const bool numeric = std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric || (trimmed.size() != 6 && trimmed.size() != 8) || n.size() > 8) {
    insurer.fail("expected an 8-digit (or 6-digit 国保) insurer number, got '" + excerpt(value, 16) + "'");
  }
  return value;
}

QualificationSearchInquiry read_search_info(const Element& info) {
  QualificationSearchInquiry inquiry;
  inquiry.insurer_number = required_insurer_number(info);
  inquiry.insured_card_symbol = info.optional_text("InsuredCardSymbol");
  inquiry.insured_identification_number = info.text("InsuredIdentificationNumber");
  if (inquiry.insured_identification_number.empty()) info.child("InsuredIdentificationNumber").fail("empty value");
  inquiry.insured_branch_number = info.optional_text("InsuredBranchNumber");
  inquiry.birthdate = detail::required_date(info, "Birthdate");
  inquiry.limit_application_certificate_consent = info.code<ConsentFlag>("LimitApplicationCertificateRelatedConsFlg");
  inquiry.arbitrary_identifier = info.optional_text("ArbitraryIdentifier");
  return inquiry;
}

}  // namespace detail

std::string encode_xml(const QualificationSearchInquiry& inquiry) {
  detail::MessageWriter w;
  detail::write_request_header(w.root(), inquiry.header);
  detail::write_search_info(detail::add_element(w.root(), "MessageBody"), inquiry);
  return w.str();
}

QualificationSearchInquiry decode_search_inquiry(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const detail::Element root = message.root();
  const RequestHeader header = detail::read_request_header(root);
  QualificationSearchInquiry inquiry = detail::read_search_info(root.child("MessageBody").child("QualificationConfirmSearchInfo"));
  inquiry.header = header;
  return inquiry;
}

}  // namespace onshi::ons
