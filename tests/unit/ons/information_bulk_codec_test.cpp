// Round trips and bad input for the medication/checkup and bulk codecs, and the new code
// tables the result codec carries (elderly recipient, 特定疾病, PrescriptionIssueSelect).
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::ons {
namespace {

InformationRequest medication_request() {
  InformationRequest r;
  r.kind = InformationKind::medication;
  r.medical_institution_code = "1312345678";
  r.insurer_number = "06132013";
  r.insurance_card_symbol = "101";
  r.insured_person_identification_number = "2345";
  r.branch_number = "00";
  r.arbitrary_file_identifier = "YZK-1";
  r.start_date = "20230401";
  r.end_date = "20260331";
  r.medical_treatment_flag = MedicalTreatmentFlag::home_visit;
  return r;
}

TEST(InformationCodec, MedicationRequestUsesItsOwnElementNames) {
  const std::string xml = encode_xml(medication_request());
  EXPECT_NE(xml.find("<InsuranceCardSymbol>101</InsuranceCardSymbol>"), std::string::npos);
  EXPECT_NE(xml.find("<InsuredPersonIdentificationNumber>2345</InsuredPersonIdentificationNumber>"), std::string::npos);
  EXPECT_NE(xml.find("<MedicalTreatmentFlag>2</MedicalTreatmentFlag>"), std::string::npos);
  EXPECT_EQ(decode_information_request(xml, InformationKind::medication), medication_request());
}

TEST(InformationCodec, CheckupRequestHasNoEndDate) {
  InformationRequest r = medication_request();
  r.kind = InformationKind::checkup;
  r.end_date.reset();
  EXPECT_EQ(decode_information_request(encode_xml(r), InformationKind::checkup), r);
  EXPECT_THROW(decode_information_request(encode_xml(medication_request()), InformationKind::checkup), Error);
  InformationRequest backwards = medication_request();
  backwards.end_date = "20200101";
  try {
    decode_information_request(encode_xml(backwards), InformationKind::medication);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.context(), "XmlMsg/MessageBody/EndDate");
  }
}

TEST(InformationCodec, ResultsRoundTrip) {
  InformationResult r;
  r.kind = InformationKind::checkup;
  r.process_execution_time = "20260401093000";
  r.medical_institution_code = "1312345678";
  r.cons_time = "20260401090000";
  r.available_time = "20260402090000";
  r.checkups.push_back({"20250612", "165.2", "60.1", "22.0", "80.3", "120", "78", "5.6", "110"});
  EXPECT_EQ(decode_information_result(encode_xml(r), InformationKind::checkup), r);
  InformationResult m;
  m.kind = InformationKind::medication;
  m.process_execution_time = "20260401093000";
  m.medical_institution_code = "1312345678";
  m.medications.push_back({"20250101", "オンシ薬局", "薬", "621700001", "1", "錠", "14"});
  EXPECT_EQ(decode_information_result(encode_xml(m), InformationKind::medication), m);
  EXPECT_THROW(decode_information_result(encode_xml(m), InformationKind::checkup), Error);
}

TEST(BulkCodec, InquiryFetchAndCountedResultRoundTrip) {
  BulkInquiry b;
  b.header = {"20260401", "1312345678", std::string("BULK-1")};
  for (const char* id : {"A1", "A2"}) {
    QualificationSearchInquiry q;
    q.header = b.header;
    q.insurer_number = "06132013";
    q.insured_identification_number = "2345";
    q.birthdate = "19850412";
    q.arbitrary_identifier = id;
    b.inquiries.push_back(q);
  }
  EXPECT_EQ(decode_bulk_inquiry(encode_xml(b)), b);
  const BulkFetch f{"1312345678", "20260401093000000001"};
  EXPECT_EQ(decode_bulk_fetch(encode_xml(f)), f);

  BulkResult r;
  r.process_execution_time = "20260401093000";
  r.medical_institution_code = "1312345678";
  r.reception_number = f.reception_number;
  r.segment_of_result = SegmentOfResult::normal_end;
  r.number_of_processing_result = 2;
  r.number_of_normal_processing = 1;
  r.number_of_error = 1;
  BulkItemResult ok;
  ok.arbitrary_identifier = "A1";
  ok.qualification_validity = QualificationValidity::no_qualification;
  BulkItemResult bad;
  bad.arbitrary_identifier = "A2";
  bad.processing_result_status = ProcessingResultStatus::error;
  bad.processing_result_code = "HIL0420";
  r.items = {ok, bad};
  const std::string xml = encode_xml(r);
  EXPECT_NE(xml.find("<NumberOfProcessingResult>2</NumberOfProcessingResult>"), std::string::npos);
  EXPECT_EQ(decode_bulk_result(xml), r);

  BulkResult lying = r;
  lying.number_of_processing_result = 3;
  EXPECT_THROW(decode_bulk_result(encode_xml(lying)), Error);
  EXPECT_THROW(decode_bulk_fetch("<XmlMsg><MessageHeader><MedicalInstitutionCode>1312345678</MedicalInstitutionCode>"
                                 "<ReceptionNumber>12ab</ReceptionNumber></MessageHeader></XmlMsg>"),
               Error);
}

TEST(ResultCodec, ElderlySpecificDiseasesAndPrescriptionChoiceRoundTrip) {
  QualificationResult r;
  r.header.process_execution_time = "20260401093000";
  r.header.qualification_confirmation_date = "20260401";
  r.header.medical_institution_code = "1312345678";
  r.body.qualification_validity = QualificationValidity::valid;
  r.body.prescription_issue_select = PrescriptionIssueSelect::electronic;
  QualificationRecord rec;
  rec.insurer_number = "06132013";
  rec.insured_identification_number = "2345";
  rec.name = "見本　太郎";
  rec.birthdate = "19540101";
  rec.elderly_recipient_certificate_info = ElderlyRecipientCertificateInfo{"20250801", "20250801", "20260731", "020"};
  rec.specific_diseases_certificate_consent = SpecificDiseasesConsentRecord{SpecificDiseasesConsent::present, "20260401093000"};
  rec.specific_diseases_certificates.push_back(
      {SpecificDiseasesDiseaseCategory::dialysis, "20240401", "20240401", std::nullopt, "10000"});
  r.body.results.push_back(rec);
  const std::string xml = encode_xml(r);
  EXPECT_NE(xml.find("<SpecificDiseasesDiseaseCategory>1</SpecificDiseasesDiseaseCategory>"), std::string::npos);
  EXPECT_NE(xml.find("<ElderlyRecipientContributionRatio>020</ElderlyRecipientContributionRatio>"), std::string::npos);
  EXPECT_NE(xml.find("<PrescriptionIssueSelect>1</PrescriptionIssueSelect>"), std::string::npos);
  EXPECT_EQ(decode_result(xml), r);
}

}  // namespace
}  // namespace onshi::ons
