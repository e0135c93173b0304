// The wire layer: Shift_JIS in and out through glibc iconv, JSON ⇄ XML, element renames of
// an interface profile, and the profiles shipped in fixtures/ons.
#include "onshi/config/data_paths.hpp"
#include "onshi/ons/wire_format.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include "onshi/core/error.hpp"
#include "onshi/population/population.hpp"
#include "onshi/ons/interface_profile.hpp"

namespace onshi::ons {
namespace {

// Error with that code whose what() (message and context) mentions `text`.
template <class F>
::testing::AssertionResult fails_with(F&& f, ErrorCode code, const std::string& text) {
  // An empty `text` is found in every message: such a check could not fail.
  if (text.empty()) return ::testing::AssertionFailure() << "fails_with needs the text the message must contain";
  try {
    f();
  } catch (const Error& e) {
    if (e.code() != code) return ::testing::AssertionFailure() << "code " << to_string(e.code()) << ": " << e.what();
    if (std::string(e.what()).find(text) == std::string::npos) return ::testing::AssertionFailure() << "no '" << text << "' in: " << e.what();
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no exception";
}
#define ONSHI_EXPECT_ERROR(expr, code, text) EXPECT_TRUE(fails_with([&] { (void)(expr); }, code, text))

QualificationSearchInquiry search() {
  QualificationSearchInquiry q;
  q.header = {"20260401", "1312345678", std::string("受付-0001")};
  q.insurer_number = "06132013";
  q.insured_card_symbol = "記号１０１";
  q.insured_identification_number = "2345";
  q.insured_branch_number = "00";
  q.birthdate = "19850412";
  q.limit_application_certificate_consent = ConsentFlag::consented;
  return q;
}

TEST(WireFormat, ShiftJisRequestDecodesToTheSameInquiry) {
  const std::string sjis = from_canonical(encode_xml(search()), {WireSyntax::xml, TextEncoding::shift_jis});
  EXPECT_NE(sjis.find("encoding=\"Shift_JIS\""), std::string::npos);
  EXPECT_EQ(sjis.find("記号"), std::string::npos);  // not UTF-8 any more
  EXPECT_EQ(sjis.find("\x8B\x4C\x8D\x86"), sjis.find("<InsuredCardSymbol>") + 19);  // 記号 in CP932
  const CanonicalMessage m = to_canonical(sjis, WireSyntax::xml);
  EXPECT_EQ(m.format, (WireFormat{WireSyntax::xml, TextEncoding::shift_jis}));
  EXPECT_EQ(decode_search_inquiry(m.xml), search());
}

TEST(WireFormat, ShiftJisResultSaysCharacterCodeIdentifierOne) {
  QualificationResult r;
  r.header.process_execution_time = "20260401093000";
  r.header.qualification_confirmation_date = "20260401";
  r.header.medical_institution_code = "1312345678";
  r.body.qualification_validity = QualificationValidity::valid;
  const std::string sjis = from_canonical(encode_xml(r), {WireSyntax::xml, TextEncoding::shift_jis});
  const QualificationResult back = decode_result(to_canonical(sjis, WireSyntax::xml).xml);
  EXPECT_EQ(back.header.character_code_identifier, CharacterCodeIdentifier::shift_jis);
}

TEST(WireFormat, BytesNotValidInTheDeclaredEncodingAreNamedWithTheirOffset) {
  std::string bad = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg>\x82</XmlMsg>";
  // 0x82 followed by '<' is not a Shift_JIS character.
  ONSHI_EXPECT_ERROR(to_canonical(bad, WireSyntax::xml), ErrorCode::malformed_input,
                     "byte offset " + std::to_string(bad.find('\x82')));
  std::string utf8_in_sjis = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg>\xFF\xFF</XmlMsg>";
  ONSHI_EXPECT_ERROR(to_canonical(utf8_in_sjis, WireSyntax::xml), ErrorCode::malformed_input, "not valid Shift_JIS");
  ONSHI_EXPECT_ERROR(to_canonical("<?xml version=\"1.0\" encoding=\"EUC-JP\"?><XmlMsg/>", WireSyntax::xml),
                     ErrorCode::malformed_input, "unsupported encoding 'EUC-JP'");
  // A UTF-8 declaration with Shift_JIS bytes is caught by the decoders' UTF-8 check.
  ONSHI_EXPECT_ERROR(decode_search_inquiry(to_canonical("<?xml version=\"1.0\"?><XmlMsg>\x8B\x4C</XmlMsg>", WireSyntax::xml).xml),
                     ErrorCode::malformed_input, "invalid UTF-8");
}

TEST(WireFormat, CharactersWithoutAShiftJisFormAreAnErrorNotMojibake) {
  ONSHI_EXPECT_ERROR(utf8_to_shift_jis("名前😀"), ErrorCode::invalid_argument, "no Shift_JIS form");
}

TEST(WireFormat, JsonHasTheXmlMsgShapeWithWrappedListItems) {
  QualificationResult r;
  r.header.process_execution_time = "20260401093000";
  r.header.qualification_confirmation_date = "20260401";
  r.header.medical_institution_code = "1312345678";
  r.body.qualification_validity = QualificationValidity::multiple;
  for (const char* branch : {"02", "03"}) {
    QualificationRecord rec;
    rec.insurer_number = "06132013";
    rec.insured_identification_number = "2345";
    rec.insured_branch_number = branch;
    rec.name = "試験　花子";
    rec.birthdate = "19850412";
    r.body.results.push_back(rec);
  }
  const std::string json = from_canonical(encode_xml(r), {WireSyntax::json, TextEncoding::utf8});
  const auto doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["XmlMsg"]["MessageBody"]["QualificationValidity"], "5");
  ASSERT_TRUE(doc["XmlMsg"]["MessageBody"]["ResultList"].is_array());
  EXPECT_EQ(doc["XmlMsg"]["MessageBody"]["ResultList"][1]["ResultOfQualificationConfirmation"]["InsuredBranchNumber"], "03");
  EXPECT_EQ(decode_result(to_canonical(json, WireSyntax::json).xml), r);
}

TEST(WireFormat, JsonRequestDecodesAndBadJsonIsNamed) {
  const std::string json = R"({"XmlMsg":{"MessageHeader":{"QualificationConfirmationDate":"20260401",
    "MedicalInstitutionCode":"1312345678","ArbitraryFileIdentifier":"受付-0001"},
    "MessageBody":{"QualificationConfirmSearchInfo":{"InsurerNumber":"06132013","InsuredCardSymbol":"記号１０１",
    "InsuredIdentificationNumber":"2345","InsuredBranchNumber":"00","Birthdate":"19850412",
    "LimitApplicationCertificateRelatedConsFlg":"1"}}}})";
  EXPECT_EQ(decode_search_inquiry(to_canonical(json, WireSyntax::json).xml), search());
  ONSHI_EXPECT_ERROR(json_to_xml("{\"XmlMsg\":"), ErrorCode::malformed_input, "not valid JSON");
  ONSHI_EXPECT_ERROR(json_to_xml("{\"Other\":{}}"), ErrorCode::malformed_input, "XmlMsg");
  ONSHI_EXPECT_ERROR(json_to_xml(R"({"XmlMsg":{"A":true}})"), ErrorCode::malformed_input, "true/false");
  std::string deep = "{\"XmlMsg\":";
  for (int i = 0; i < 40; ++i) deep += "{\"A\":";
  deep += "\"x\"" + std::string(40, '}') + "}";
  ONSHI_EXPECT_ERROR(json_to_xml(deep), ErrorCode::malformed_input, "deeper than 32");
  ONSHI_EXPECT_ERROR(json_to_xml(std::string(100, ' '), {64}), ErrorCode::malformed_input, "exceeds the limit");
}

TEST(WireFormat, ContentTypesPickTheSyntax) {
  EXPECT_EQ(wire_syntax_of("application/xml; charset=Shift_JIS"), WireSyntax::xml);
  EXPECT_EQ(wire_syntax_of("text/xml"), WireSyntax::xml);
  EXPECT_EQ(wire_syntax_of("Application/JSON;charset=UTF-8"), WireSyntax::json);
  EXPECT_EQ(wire_syntax_of("text/html"), std::nullopt);
  EXPECT_EQ(content_type_for({WireSyntax::xml, TextEncoding::shift_jis}), "application/xml; charset=Shift_JIS");
}

TEST(InterfaceProfile, ShippedDefaultMatchesTheBuiltIn) {
  EXPECT_EQ(load_interface_profile(config::fixtures_dir() / "ons" / "profile-2024.toml"), default_interface_profile());
}

TEST(InterfaceProfile, NewerProfileRenamesOnTheWireAndReadsBothNames) {
  const InterfaceProfile p2025 = load_interface_profile(config::fixtures_dir() / "ons" / "profile-2025.toml");
  EXPECT_EQ(p2025.version, "2025.1");
  const std::string canonical = "<XmlMsg><PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>"
                                "<PharmacistsInfoAvailableTime>20260402093000</PharmacistsInfoAvailableTime>"
                                "<![CDATA[<PharmacistsInfoConsFlg>]]></XmlMsg>";
  const std::string wire = rename_elements(canonical, p2025.outbound);
  EXPECT_NE(wire.find("<PharmaceuticalInfoConsFlg>1</PharmaceuticalInfoConsFlg>"), std::string::npos);
  EXPECT_NE(wire.find("<PharmaceuticalInfoAcquisitionTime>"), std::string::npos);
  EXPECT_NE(wire.find("<![CDATA[<PharmacistsInfoConsFlg>]]>"), std::string::npos);  // text left alone
  EXPECT_EQ(rename_elements(wire, p2025.inbound), canonical);
  EXPECT_EQ(rename_elements("<PharmaceuticalInfoAvailableTime/>", p2025.inbound), "<PharmacistsInfoAvailableTime/>");
}

TEST(InterfaceProfile, BadProfileNamesFileAndKey) {
  const auto file = std::filesystem::temp_directory_path() / "onshi-bad-profile.toml";
  {
    std::ofstream out(file);
    out << "name = \"x\"\nversion = \"1\"\n[paths]\ncard = \"no-slash\"\n";
  }
  // The whole location and the reason: file, line 4 (where `card` is), the key, what is wrong.
  ONSHI_EXPECT_ERROR(load_interface_profile(file), ErrorCode::config,
                     file.string() + ":4: key 'card'");
  ONSHI_EXPECT_ERROR(load_interface_profile(file), ErrorCode::config, "must start with /");
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace onshi::ons
