#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "onshi/testing/error_of.hpp"
#include "onshi/ons/base64.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::ons {
namespace {

using onshi::testing::throws_error;

CardQualificationInquiry sample() {
  CardQualificationInquiry q;
  q.header.qualification_confirmation_date = "20260401";
  q.header.medical_institution_code = "1312345678";
  q.header.arbitrary_file_identifier = "OHIL-0001";
  q.user_authentication_certificate = from_hex("308201A0DEADBEEF");  // opaque to the codec
  q.challenge = from_hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  q.challenge_signature = from_hex("0102030405");
  q.consents.pharmacists_info = ConsentFlag::consented;
  q.consents.specific_health_checkups_info = ConsentFlag::not_consented;
  q.consents.diagnosis_info = ConsentFlag::consented;
  q.consents.limit_application_certificate = ConsentFlag::consented;
  return q;
}

TEST(CardInquiryCodec, RoundTrips) {
  const CardQualificationInquiry q = sample();
  EXPECT_EQ(decode_card_inquiry(encode_xml(q)), q);
}

TEST(CardInquiryCodec, WritesTheProfileElementsInOrder) {
  const std::string xml = encode_xml(sample());
  EXPECT_EQ(xml.rfind(R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>)", 0), 0u) << xml;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  const pugi::xml_node header = doc.child("XmlMsg").child("MessageHeader");
  EXPECT_STREQ(header.child_value("QualificationConfirmationDate"), "20260401");
  EXPECT_STREQ(header.child_value("MedicalInstitutionCode"), "1312345678");
  EXPECT_STREQ(header.child_value("ArbitraryFileIdentifier"), "OHIL-0001");
  const pugi::xml_node info = doc.child("XmlMsg").child("MessageBody").child("CardQualificationConfirmInfo");
  std::vector<std::string> names;
  for (pugi::xml_node c = info.first_child(); c; c = c.next_sibling()) names.emplace_back(c.name());
  const std::vector<std::string> expected = {"UserAuthenticationCertificate", "Challenge", "ChallengeSignature",
                                             "PharmacistsInfoConsFlg", "SpecificHealthCheckupsInfoConsFlg",
                                             "DiagnosisInfoConsFlg", "LimitApplicationCertificateRelatedConsFlg"};
  EXPECT_EQ(names, expected);  // OperationInfoConsFlg was not asked: omitted
  EXPECT_STREQ(info.child_value("PharmacistsInfoConsFlg"), "1");
  EXPECT_STREQ(info.child_value("SpecificHealthCheckupsInfoConsFlg"), "0");
  EXPECT_EQ(base64_decode(info.child_value("Challenge")), sample().challenge);
}

TEST(CardInquiryCodec, OmitsAbsentArbitraryFileIdentifier) {
  CardQualificationInquiry q = sample();
  q.header.arbitrary_file_identifier.reset();
  const std::string xml = encode_xml(q);
  EXPECT_EQ(xml.find("ArbitraryFileIdentifier"), std::string::npos);
  EXPECT_EQ(decode_card_inquiry(xml), q);
}

// Removes the first <name>…</name> (or <name/>) from an encoded message.
std::string without(std::string xml, const std::string& name) {
  const std::size_t start = xml.find("<" + name + ">");
  const std::string close = "</" + name + ">";
  const std::size_t end = xml.find(close, start);
  return xml.erase(start, end + close.size() - start);
}

std::string replaced(std::string xml, const std::string& from, const std::string& to) {
  const std::size_t at = xml.find(from);
  return xml.replace(at, from.size(), to);
}

TEST(CardInquiryCodec, MissingElementsAreNamed) {
  const std::string xml = encode_xml(sample());
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(without(xml, "MedicalInstitutionCode")); },
                           ErrorCode::malformed_input, "XmlMsg/MessageHeader/MedicalInstitutionCode", "missing"));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(without(xml, "ChallengeSignature")); },
                           ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/CardQualificationConfirmInfo/ChallengeSignature", "missing"));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(without(xml, "MessageBody")); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody", "missing"));
}

TEST(CardInquiryCodec, BadValuesAreNamed) {
  const std::string xml = encode_xml(sample());
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(replaced(xml, "1312345678", "131234567X")); },
                           ErrorCode::malformed_input, "XmlMsg/MessageHeader/MedicalInstitutionCode", "10 digits"));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(replaced(xml, "20260401", "20261301")); },
                           ErrorCode::malformed_input, "XmlMsg/MessageHeader/QualificationConfirmationDate"));
  EXPECT_TRUE(throws_error(
      [&] { decode_card_inquiry(replaced(xml, "<PharmacistsInfoConsFlg>1<", "<PharmacistsInfoConsFlg>2<")); },
      ErrorCode::malformed_input, "XmlMsg/MessageBody/CardQualificationConfirmInfo/PharmacistsInfoConsFlg",
      "unknown ConsentFlag code '2'"));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(replaced(xml, "<ChallengeSignature>", "<ChallengeSignature>*")); },
                           ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/CardQualificationConfirmInfo/ChallengeSignature", "base64"));
  CardQualificationInquiry shorty = sample();
  shorty.challenge.resize(8);
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(encode_xml(shorty)); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/CardQualificationConfirmInfo/Challenge", "8 bytes"));
  EXPECT_TRUE(throws_error(
      [&] { decode_card_inquiry(replaced(xml, "<Challenge>", "<Challenge>AAAA</Challenge><Challenge>")); },
      ErrorCode::malformed_input, "XmlMsg/MessageBody/CardQualificationConfirmInfo/Challenge", "duplicate"));
  EXPECT_TRUE(throws_error(
      [&] { decode_card_inquiry(replaced(xml, "<ArbitraryFileIdentifier>", "<ArbitraryFileIdentifier><b/>")); },
      ErrorCode::malformed_input, "XmlMsg/MessageHeader/ArbitraryFileIdentifier", "unexpected element"));
}

TEST(CardInquiryCodec, RejectsWhatIsNotAnXmlMsg) {
  EXPECT_TRUE(throws_error([] { decode_card_inquiry("hello"); }, ErrorCode::malformed_input, "XML document"));
  EXPECT_TRUE(throws_error([] { decode_card_inquiry("<XmlMsg><MessageHeader>"); }, ErrorCode::malformed_input,
                           "XML document", "not well-formed"));
  EXPECT_TRUE(throws_error([] { decode_card_inquiry("<Other/>"); }, ErrorCode::malformed_input, "XML document",
                           "expected <XmlMsg>"));
  EXPECT_TRUE(throws_error([] { decode_card_inquiry(""); }, ErrorCode::malformed_input, "XML document"));
}

TEST(CardInquiryCodec, RefusesDoctypeAndEntities) {
  // External entity (XXE) and "billion laughs" shapes: refused before anything is expanded.
  const std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE XmlMsg [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
                          "<XmlMsg><MessageHeader><MedicalInstitutionCode>&x;</MedicalInstitutionCode></MessageHeader></XmlMsg>";
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(xxe); }, ErrorCode::malformed_input, "XML document", "entity"));
  const std::string doctype = R"(<!DOCTYPE XmlMsg><XmlMsg/>)";
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(doctype); }, ErrorCode::malformed_input, "XML prolog", "DOCTYPE"));
  const std::string laughs = R"(<!DOCTYPE XmlMsg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><XmlMsg>&b;</XmlMsg>)";
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(laughs); }, ErrorCode::malformed_input, "XML document", "entity"));
  // Character and predefined references stay legal.
  std::string xml = encode_xml(sample());
  xml = replaced(xml, "OHIL-0001", "A&amp;B&#x41;&#66;");
  EXPECT_EQ(decode_card_inquiry(xml).header.arbitrary_file_identifier, "A&BAB");
}

TEST(CardInquiryCodec, EnforcesSizeAndEncoding) {
  const std::string xml = encode_xml(sample());
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(xml, XmlLimits{xml.size() - 1}); }, ErrorCode::malformed_input,
                           "XML document", "exceeds the limit"));
  EXPECT_NO_THROW(decode_card_inquiry(xml, XmlLimits{xml.size()}));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(replaced(xml, "UTF-8", "Shift_JIS")); },
                           ErrorCode::malformed_input, "XML declaration", "Shift_JIS"));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(replaced(xml, "OHIL", "\xC3\x28")); },
                           ErrorCode::malformed_input, "XML document", "invalid UTF-8"));
  EXPECT_TRUE(throws_error([&] { decode_card_inquiry(replaced(xml, "OHIL", "\xED\xA0\x80")); },  // a surrogate
                           ErrorCode::malformed_input, "XML document", "invalid UTF-8"));
}

TEST(CardInquiryCodec, AcceptsAnyElementOrderAndIgnoresUnknownElements) {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<XmlMsg>
  <MessageBody><CardQualificationConfirmInfo>
    <ChallengeSignature>AQID</ChallengeSignature>
    <FutureElement>x</FutureElement>
    <Challenge>AAAAAAAAAAAAAAAAAAAAAA==</Challenge>
    <UserAuthenticationCertificate>MIIB</UserAuthenticationCertificate>
  </CardQualificationConfirmInfo></MessageBody>
  <MessageHeader><MedicalInstitutionCode>1312345678</MedicalInstitutionCode>
    <QualificationConfirmationDate>20260401</QualificationConfirmationDate></MessageHeader>
</XmlMsg>)";
  const CardQualificationInquiry q = decode_card_inquiry(xml);
  EXPECT_EQ(q.challenge.size(), 16u);
  EXPECT_EQ(q.challenge_signature, from_hex("010203"));
  EXPECT_FALSE(q.consents.pharmacists_info.has_value());
}

TEST(CardInquiryCodec, EncoderRefusesControlCharacters) {
  CardQualificationInquiry q = sample();
  q.header.arbitrary_file_identifier = std::string("a\x01", 2);
  EXPECT_TRUE(throws_error([&] { encode_xml(q); }, ErrorCode::invalid_argument, "ArbitraryFileIdentifier"));
}

}  // namespace
}  // namespace onshi::ons
