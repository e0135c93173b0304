#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "onshi/ons/xml_codec.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::ons {
namespace {

using onshi::testing::throws_error;

QualificationRecord full_record() {
  QualificationRecord r;
  r.insured_card_classification = InsuredCardClassification::insured_general;
  r.insurer_number = "06132013";
  r.insured_card_symbol = "101";
  r.insured_identification_number = "2345";
  r.insured_branch_number = "00";
  r.personal_family_classification = PersonalFamilyClassification::insured_person;
  r.insured_name = "試験　花子";
  r.name = "試験　花子";
  r.name_kana = "ｼｹﾝ ﾊﾅｺ";
  r.sex1 = Sex::female;
  r.birthdate = "19850412";
  r.address = "東京都千代田区霞が関一丁目二番二号";
  r.post_number = "100-8916";
  r.qualification_date = "20150401";
  r.disqualification_date = "20300331";
  r.insured_card_valid_date = "20150401";
  r.insured_partial_contribution_ratio = "030";
  r.preschool_classification = PreschoolClassification::preschool;
  r.reason_of_loss = ReasonOfLoss::other;
  r.insurer_name = "オンシ健康保険組合 (synthetic)";
  r.limit_application_certificate_consent = ConsentRecord{ConsentFlag::consented, "20260401093000", std::nullopt};
  r.limit_application_certificate_info = LimitApplicationCertificateInfo{
      LimitApplicationCertificateClassification::limit, ClassificationFlag::a03, "20260401", "20260401", "20270731",
      std::nullopt};
  r.pharmacists_info_consent = ConsentRecord{ConsentFlag::consented, "20260401093000", "20260402093000"};
  r.specific_health_checkups_info_consent = ConsentRecord{ConsentFlag::not_consented, std::nullopt, std::nullopt};
  r.diagnosis_info_consent = ConsentRecord{ConsentFlag::consented, "20260401093000", "20260402093000"};
  r.operation_info_consent = ConsentRecord{ConsentFlag::not_consented, std::nullopt, std::nullopt};
  return r;
}

QualificationResult sample_result() {
  QualificationResult q;
  q.header.process_execution_time = "20260401093001";
  q.header.qualification_confirmation_date = "20260401";
  q.header.medical_institution_code = "1312345678";
  q.header.arbitrary_file_identifier = "OHIL-0001";
  q.header.reference_classification = ReferenceClassification::my_number_card;
  q.header.segment_of_result = SegmentOfResult::normal_end;
  q.header.character_code_identifier = CharacterCodeIdentifier::utf8;
  q.body.processing_result_status = ProcessingResultStatus::normal_end;
  q.body.qualification_validity = QualificationValidity::valid;
  q.body.results.push_back(full_record());
  return q;
}

std::vector<std::string> child_names(const pugi::xml_node& node) {
  std::vector<std::string> names;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) names.emplace_back(c.name());
  return names;
}

TEST(ResultCodec, RoundTrips) {
  const QualificationResult q = sample_result();
  EXPECT_EQ(decode_result(encode_xml(q)), q);
}

TEST(ResultCodec, ElementNamesAreDomainNames) {
  const std::string xml = encode_xml(sample_result());
  EXPECT_EQ(xml.rfind(R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>)", 0), 0u);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  const pugi::xml_node msg = doc.child("XmlMsg");
  EXPECT_EQ(child_names(msg.child("MessageHeader")),
            (std::vector<std::string>{"ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode",
                                      "ArbitraryFileIdentifier", "ReferenceClassification", "SegmentOfResult",
                                      "CharacterCodeIdentifier"}));
  EXPECT_EQ(child_names(msg.child("MessageBody")),
            (std::vector<std::string>{"ProcessingResultStatus", "QualificationValidity", "ResultList"}));
  const pugi::xml_node r = msg.child("MessageBody").child("ResultList").child("ResultOfQualificationConfirmation");
  EXPECT_EQ(child_names(r),
            (std::vector<std::string>{
                "InsuredCardClassification", "InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber",
                "InsuredBranchNumber", "PersonalFamilyClassification", "InsuredName", "Name", "NameKana", "Sex1",
                "Birthdate", "Address", "PostNumber", "QualificationDate", "DisqualificationDate",
                "InsuredCardValidDate", "InsuredPartialContributionRatio", "PreschoolClassification", "ReasonOfLoss",
                "InsurerName", "LimitApplicationCertificateRelatedConsFlg",
                "LimitApplicationCertificateRelatedConsTime", "LimitApplicationCertificateRelatedInfo",
                "PharmacistsInfoConsFlg", "PharmacistsInfoConsTime", "PharmacistsInfoAvailableTime",
                "SpecificHealthCheckupsInfoConsFlg", "DiagnosisInfoConsFlg", "DiagnosisInfoConsTime",
                "DiagnosisInfoAvailableTime", "OperationInfoConsFlg"}));
  EXPECT_EQ(child_names(r.child("LimitApplicationCertificateRelatedInfo")),
            (std::vector<std::string>{"LimitApplicationCertificateClassification",
                                      "LimitApplicationCertificateClassificationFlag",
                                      "LimitApplicationCertificateDate", "LimitApplicationCertificateValidStartDate",
                                      "LimitApplicationCertificateValidEndDate"}));
  EXPECT_STREQ(r.child_value("Sex1"), "2");
  EXPECT_STREQ(r.child_value("ReasonOfLoss"), "99");
  EXPECT_STREQ(r.child("LimitApplicationCertificateRelatedInfo").child_value("LimitApplicationCertificateClassificationFlag"),
               "A03");
}

TEST(ResultCodec, ErrorResultOmitsValidityAndList) {
  QualificationResult q = sample_result();
  q.header.segment_of_result = SegmentOfResult::abnormal_end;
  q.header.error_code = "HIL0403";
  q.header.error_message = "医療機関コードが一致しません";
  q.body.processing_result_status = ProcessingResultStatus::error;
  q.body.qualification_validity.reset();
  q.body.results.clear();
  const std::string xml = encode_xml(q);
  EXPECT_EQ(xml.find("QualificationValidity"), std::string::npos);
  EXPECT_EQ(xml.find("ResultList"), std::string::npos);
  EXPECT_NE(xml.find("<ErrorCode>HIL0403</ErrorCode>"), std::string::npos);
  EXPECT_EQ(decode_result(xml), q);
}

TEST(ResultCodec, DecodesAFaceResultInAnyOrder) {
  // The shape a face-reader result file has (elements unordered, space-padded 国保 insurer,
  // elements this model does not carry), with synthetic values.
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<XmlMsg>
  <MessageHeader>
    <ProcessExecutionTime>20260221174835</ProcessExecutionTime>
    <CharacterCodeIdentifier>0</CharacterCodeIdentifier>
    <SegmentOfResult>1</SegmentOfResult>
    <QualificationConfirmationDate>20260221</QualificationConfirmationDate>
    <ReferenceClassification>1</ReferenceClassification>
    <ArbitraryFileIdentifier>AbCdEf0123==</ArbitraryFileIdentifier>
    <MedicalInstitutionCode>1312345678</MedicalInstitutionCode>
  </MessageHeader>
  <MessageBody>
    <ResultList>
      <ResultOfQualificationConfirmation>
        <Address>東京都</Address>
        <SpecificHealthCheckupsInfoConsTime>20260221174835</SpecificHealthCheckupsInfoConsTime>
        <DiagnosisInfoConsFlg>0</DiagnosisInfoConsFlg>
        <SpecificHealthCheckupsInfoAvailableTime>20260222174835</SpecificHealthCheckupsInfoAvailableTime>
        <PersonalFamilyClassification>1</PersonalFamilyClassification>
        <Sex1>1</Sex1>
        <SpecificDiseasesCertificateRelatedConsFlg>0</SpecificDiseasesCertificateRelatedConsFlg>
        <Name>見本　太郎</Name>
        <InsurerNumber>  138149</InsurerNumber>
        <NameKana>ﾐﾎﾝ ﾀﾛｳ</NameKana>
        <InsuredCardClassification>01</InsuredCardClassification>
        <Birthdate>19480923</Birthdate>
        <InsuredCertificateIssuanceDate>20191001</InsuredCertificateIssuanceDate>
        <InsuredIdentificationNumber>4260</InsuredIdentificationNumber>
        <SpecificHealthCheckupsInfoConsFlg>1</SpecificHealthCheckupsInfoConsFlg>
      </ResultOfQualificationConfirmation>
    </ResultList>
    <ProcessingResultStatus>1</ProcessingResultStatus>
    <QualificationValidity>1</QualificationValidity>
  </MessageBody>
</XmlMsg>)";
  const QualificationResult q = decode_result(xml);
  ASSERT_EQ(q.body.results.size(), 1u);
  const QualificationRecord& r = q.body.results[0];
  EXPECT_EQ(r.insurer_number, "  138149");
  EXPECT_EQ(r.name, "見本　太郎");
  EXPECT_EQ(r.sex1, Sex::male);
  ASSERT_TRUE(r.specific_health_checkups_info_consent.has_value());
  EXPECT_EQ(r.specific_health_checkups_info_consent->available_time, "20260222174835");
  EXPECT_EQ(r.diagnosis_info_consent->flag, ConsentFlag::not_consented);
  EXPECT_FALSE(r.pharmacists_info_consent.has_value());
}

TEST(ResultCodec, NamesTheBadRecordElement) {
  QualificationResult q = sample_result();
  q.body.results.push_back(full_record());
  std::string xml = encode_xml(q);
  const std::size_t second = xml.find("<Sex1>", xml.find("<Sex1>") + 1);
  xml.replace(second, std::string("<Sex1>2</Sex1>").size(), "<Sex1>9</Sex1>");
  EXPECT_TRUE(throws_error([&] { decode_result(xml); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation[2]/Sex1",
                           "unknown Sex code '9'"));
}

TEST(ResultCodec, RequiresValidityOnlyForNormalResults) {
  QualificationResult q = sample_result();
  q.body.qualification_validity.reset();
  EXPECT_TRUE(throws_error([&] { decode_result(encode_xml(q)); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/QualificationValidity", "missing"));
}

TEST(ResultCodec, ConsentTimeWithoutFlagIsRejected) {
  QualificationResult q = sample_result();
  std::string xml = encode_xml(q);
  const std::string flag = "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>";
  xml.erase(xml.find(flag), flag.size());
  EXPECT_TRUE(throws_error([&] { decode_result(xml); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation[1]/PharmacistsInfoConsFlg",
                           "without its flag"));
}

TEST(ResultCodec, BadTimesAreNamed) {
  QualificationResult q = sample_result();
  q.header.process_execution_time = "20260401250000";
  EXPECT_TRUE(throws_error([&] { decode_result(encode_xml(q)); }, ErrorCode::malformed_input,
                           "XmlMsg/MessageHeader/ProcessExecutionTime"));
}

}  // namespace
}  // namespace onshi::ons
