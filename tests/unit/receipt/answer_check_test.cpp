// Judging an answer file: each way it can be wrong is named with the file and the field.
#include <gtest/gtest.h>

#include <string>

#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/receipt/answer_check.hpp"

namespace onshi::receipt {
namespace {

constexpr const char* kShown = "res/OQSsiquc01res_20261201_0001.xml";

ons::QualificationResult valid_answer() {
  ons::QualificationResult r;
  r.header.process_execution_time = "20261201090000";
  r.header.qualification_confirmation_date = "20261201";
  r.header.medical_institution_code = "1312345678";
  r.header.arbitrary_file_identifier = "rc-a";
  r.header.reference_classification = ons::ReferenceClassification::insurance_card_info;
  r.body.qualification_validity = ons::QualificationValidity::valid;
  ons::QualificationRecord record;
  record.insurer_number = "06132013";
  record.insured_identification_number = "2345";
  record.name = "試験　花子";
  record.birthdate = "19850412";
  r.body.results.push_back(record);
  return r;
}

AnswerExpectation expected() {
  AnswerExpectation e;
  e.segment_of_result = "1";
  e.processing_result_status = "1";
  e.qualification_validity = "1";
  e.name = "試験　花子";
  e.birthdate = "19850412";
  return e;
}

AnswerVerdict judge(const std::string& bytes) { return check_answer(bytes, kShown, expected(), "rc-a", "1312345678"); }

TEST(AnswerCheckTest, TheExpectedAnswerPassesInBothEncodings) {
  const std::string xml = ons::encode_xml(valid_answer());
  EXPECT_TRUE(judge(xml).passed()) << judge(xml).summary();
  const std::string sjis = ons::from_canonical(xml, {ons::WireSyntax::xml, ons::TextEncoding::shift_jis});
  const AnswerVerdict v = judge(sjis);
  EXPECT_TRUE(v.passed()) << v.summary();
  EXPECT_EQ(v.encoding, ons::TextEncoding::shift_jis);
}

TEST(AnswerCheckTest, EachWrongFieldIsNamed) {
  ons::QualificationResult r = valid_answer();
  r.body.qualification_validity = ons::QualificationValidity::invalid;
  r.header.arbitrary_file_identifier = "someone-else";
  r.header.medical_institution_code = "1300000001";
  r.body.results.front().name = "別人";
  const AnswerVerdict v = judge(ons::encode_xml(r));
  ASSERT_EQ(v.problems.size(), 4U) << v.summary();
  EXPECT_EQ(v.problems[0], std::string(kShown) + ": MessageBody/QualificationValidity is '2', expected '1'");
  EXPECT_EQ(v.problems[1], std::string(kShown) + ": MessageHeader/MedicalInstitutionCode is '1300000001', expected '1312345678'");
  EXPECT_EQ(v.problems[2], std::string(kShown) + ": MessageHeader/ArbitraryFileIdentifier is 'someone-else', expected 'rc-a'");
  EXPECT_NE(v.problems[3].find("ResultOfQualificationConfirmation/Name is '別人'"), std::string::npos);
  EXPECT_EQ(v.summary(), v.problems[0] + "; and 3 more");
}

TEST(AnswerCheckTest, UnreadableFilesAreNamed) {
  EXPECT_EQ(judge("").summary(), std::string(kShown) + ": the answer file is empty");
  const std::string xml = ons::encode_xml(valid_answer());
  EXPECT_NE(judge(xml.substr(0, xml.size() / 2)).summary().find("cannot be read as a qualification result"),
            std::string::npos);
  std::string euc = xml;
  euc.replace(euc.find("UTF-8"), 5, "EUC-JP");
  EXPECT_NE(judge(euc).summary().find("EUC-JP"), std::string::npos) << judge(euc).summary();
}

TEST(AnswerCheckTest, ACharacterCodeIdentifierThatContradictsTheDeclarationIsNamed) {
  // UTF-8 bytes and declaration, CharacterCodeIdentifier 1: what a rig with wire = "xml-sjis"
  // used to write into face/ (issue 10).
  ons::QualificationResult r = valid_answer();
  r.header.character_code_identifier = ons::CharacterCodeIdentifier::shift_jis;
  const AnswerVerdict v = judge(ons::encode_xml(r));
  ASSERT_EQ(v.problems.size(), 1U) << v.summary();
  EXPECT_EQ(v.problems[0],
            std::string(kShown) + ": MessageHeader/CharacterCodeIdentifier is '1' but the file is UTF-8 (expected '0')");
}

}  // namespace
}  // namespace onshi::receipt
