#include <gtest/gtest.h>

#include "onshi/ons/xml_codec.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::ons {
namespace {

using onshi::testing::throws_error;

QualificationSearchInquiry sample_search() {
  QualificationSearchInquiry q;
  q.header.qualification_confirmation_date = "20260401";
  q.header.medical_institution_code = "1312345678";
  q.insurer_number = "06132013";
  q.insured_card_symbol = "101";
  q.insured_identification_number = "2345";
  q.insured_branch_number = "00";
  q.birthdate = "19850412";
  q.limit_application_certificate_consent = ConsentFlag::consented;
  return q;
}

TEST(SearchInquiryCodec, RoundTripsWithDomainElementNames) {
  const QualificationSearchInquiry q = sample_search();
  const std::string xml = encode_xml(q);
  for (const char* name : {"<QualificationConfirmSearchInfo>", "<InsurerNumber>06132013<", "<InsuredCardSymbol>101<",
                           "<InsuredIdentificationNumber>2345<", "<InsuredBranchNumber>00<",
                           "<Birthdate>19850412<", "<LimitApplicationCertificateRelatedConsFlg>1<"}) {
    EXPECT_NE(xml.find(name), std::string::npos) << name << "\n" << xml;
  }
  EXPECT_EQ(xml.find("ArbitraryIdentifier>"), std::string::npos);
  EXPECT_EQ(decode_search_inquiry(xml), q);
}

TEST(SearchInquiryCodec, AcceptsSpacePadded6DigitInsurer) {
  QualificationSearchInquiry q = sample_search();
  q.insurer_number = "  138149";
  q.insured_card_symbol.reset();
  q.insured_branch_number.reset();
  q.arbitrary_identifier = "recep-7";
  EXPECT_EQ(decode_search_inquiry(encode_xml(q)), q);
}

TEST(SearchInquiryCodec, NamesBadElements) {
  QualificationSearchInquiry q = sample_search();
  q.insurer_number = "1234567";
  EXPECT_TRUE(throws_error([&] { decode_search_inquiry(encode_xml(q)); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsurerNumber", "insurer number"));
  q = sample_search();
  q.birthdate = "1985-04-12";
  EXPECT_TRUE(throws_error([&] { decode_search_inquiry(encode_xml(q)); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/QualificationConfirmSearchInfo/Birthdate"));
  std::string xml = encode_xml(sample_search());
  xml.erase(xml.find("<LimitApplicationCertificateRelatedConsFlg>"),
            std::string("<LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>").size());
  EXPECT_TRUE(throws_error([&] { decode_search_inquiry(xml); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/QualificationConfirmSearchInfo/LimitApplicationCertificateRelatedConsFlg",
                           "missing"));
}

}  // namespace
}  // namespace onshi::ons
