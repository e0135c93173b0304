// ONS decoders against input found by fuzzing (issue 14): character references XML forbids,
// raw control characters, error excerpts that would split a UTF-8 character, JSON keys that
// are no element names, and XML text that is not UTF-8 on its way to JSON. Each is refused
// with a named error (or mapped), never decoded into something the encoders then refuse.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "onshi/core/error.hpp"
#include "onshi/ons/json_xml.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::ons {
namespace {

using onshi::testing::error_of;
using onshi::testing::throws_error;

// The shipped sample search inquiry (fixtures/requests/search-P001.xml), one field replaced.
std::string search_with(const std::string& element, const std::string& value) {
  const std::string fields[][2] = {{"InsurerNumber", "06132013"},
                                   {"ArbitraryFileIdentifier", "P001"},
                                   {"Birthdate", "19850412"},
                                   {"LimitApplicationCertificateRelatedConsFlg", "0"}};
  std::string header;
  std::string info;
  for (const auto& [name, sample] : fields) {
    const std::string line = "<" + name + ">" + (name == element ? value : sample) + "</" + name + ">";
    (name == std::string("ArbitraryFileIdentifier") ? header : info) += line;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>"
         "<QualificationConfirmationDate>20261201</QualificationConfirmationDate>"
         "<MedicalInstitutionCode>1312345678</MedicalInstitutionCode>" +
         header + "</MessageHeader><MessageBody><QualificationConfirmSearchInfo>" + info +
         "<InsuredCardSymbol>101</InsuredCardSymbol><InsuredIdentificationNumber>2345</InsuredIdentificationNumber>"
         "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>";
}

bool is_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

TEST(OnsParserHardening, TheSampleWithAFieldReplacedStillDecodes) {
  const QualificationSearchInquiry inquiry = decode_search_inquiry(search_with("ArbitraryFileIdentifier", "見本"));
  EXPECT_EQ(inquiry.header.arbitrary_file_identifier, "見本");
}

TEST(OnsParserHardening, SurrogateCharacterReferenceIsRefused) {
  EXPECT_TRUE(throws_error([] { decode_search_inquiry(search_with("ArbitraryFileIdentifier", "&#xD800;")); },
                           ErrorCode::malformed_input, "XML document", "character reference to a code point XML forbids"));
}

TEST(OnsParserHardening, ControlCharacterReferenceIsRefused) {
  EXPECT_TRUE(throws_error([] { decode_search_inquiry(search_with("ArbitraryFileIdentifier", "a&#1;b")); },
                           ErrorCode::malformed_input, "XML document", "character reference to a code point XML forbids"));
  EXPECT_TRUE(throws_error([] { decode_search_inquiry(search_with("ArbitraryFileIdentifier", "&#x110000;")); },
                           ErrorCode::malformed_input, "XML document", "character reference"));
}

TEST(OnsParserHardening, RawControlCharacterIsRefused) {
  EXPECT_TRUE(throws_error([] { decode_search_inquiry(search_with("ArbitraryFileIdentifier", "a\x01" "b")); },
                           ErrorCode::malformed_input, "XML document", "control character U+0001"));
}

TEST(OnsParserHardening, AllowedCharacterReferencesDecodeAndEncodeAgain) {
  const QualificationSearchInquiry inquiry =
      decode_search_inquiry(search_with("ArbitraryFileIdentifier", "&#x1F600;&#12354;&#x9;"));
  EXPECT_EQ(inquiry.header.arbitrary_file_identifier, "\xF0\x9F\x98\x80\xE3\x81\x82\t");
  EXPECT_EQ(decode_search_inquiry(encode_xml(inquiry)).header.arbitrary_file_identifier,
            inquiry.header.arbitrary_file_identifier);
}

TEST(OnsParserHardening, ExcerptOfACodeIsCutOnACharacterBoundary) {
  // 39 ASCII bytes then a 3-byte character: a 40-byte cut would split it.
  const Error e = error_of([] {
    decode_search_inquiry(search_with("LimitApplicationCertificateRelatedConsFlg", std::string(39, 'x') + "試試"));
  });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_TRUE(is_utf8(e.what())) << e.what();
  EXPECT_NE(e.message().find(std::string(39, 'x') + "…'"), std::string::npos) << e.what();
}

TEST(OnsParserHardening, ExcerptOfADateAndAnInsurerNumberIsCutOnACharacterBoundary) {
  const Error date = error_of([] { decode_search_inquiry(search_with("Birthdate", std::string(38, '1') + "試")); });
  EXPECT_TRUE(is_utf8(date.what())) << date.what();
  const Error insurer = error_of([] { decode_search_inquiry(search_with("InsurerNumber", std::string(15, '0') + "試")); });
  EXPECT_TRUE(is_utf8(insurer.what())) << insurer.what();
}

TEST(OnsParserHardening, EncodingNameOfControlBytesIsEchoedPrintable) {
  // fuzz_mock_ons_request: the mock put this excerpt into an ErrorMessage and the encoder refused it.
  const Error e = error_of([] {
    to_canonical("<?xml version=\"1.0\" encoding=\"Shift_J\x01\x02\xFF\"?><XmlMsg/>", WireSyntax::xml);
  });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.message(), "unsupported encoding 'Shift_J?" "?" "?' (UTF-8 or Shift_JIS)");
}

TEST(OnsParserHardening, JsonKeyThatIsNoElementNameIsRefused) {
  const Error e = error_of([] { json_to_xml(R"({"XmlMsg":{"A><B":1}})"); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.message(), "JSON key 'A><B' is not an XML element name");
  EXPECT_EQ(e.context(), "XmlMsg/A><B");
  EXPECT_TRUE(throws_error([] { json_to_xml(R"({"XmlMsg":{"":1}})"); }, ErrorCode::malformed_input, "XmlMsg/",
                           "JSON key '' is not"));
  EXPECT_TRUE(throws_error([] { json_to_xml(R"({"XmlMsg":{"MessageBody":{"1st":"x"}}})"); },
                           ErrorCode::malformed_input, "XmlMsg/MessageBody/1st", "not an XML element name"));
  EXPECT_TRUE(throws_error([] { json_to_xml(R"({"XmlMsg":{"MessageBody":{"ResultList":[{"a b":"x"}]}}})"); },
                           ErrorCode::malformed_input, "XmlMsg/MessageBody/ResultList[1]/a b", "'a b'"));
}

TEST(OnsParserHardening, JsonKeysOfTheMessagesStillConvert) {
  const std::string xml = json_to_xml(R"({"XmlMsg":{"MessageHeader":{"Medical_Code-2.x":"1"}}})");
  EXPECT_NE(xml.find("<Medical_Code-2.x>1</Medical_Code-2.x>"), std::string::npos) << xml;
}

TEST(OnsParserHardening, XmlTextThatIsNotUtf8BecomesReplacementCharactersInJson) {
  const std::string json = xml_to_json("<XmlMsg><A>\xFF\xFE</A></XmlMsg>");
  EXPECT_TRUE(is_utf8(json));
  EXPECT_EQ(nlohmann::json::parse(json)["XmlMsg"]["A"], "\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace onshi::ons
