// The mock ONS's decisions without sockets: a fixed clock, the shared test PKI
// ($ONSHI_TEST_PKI), and requests built as a terminal would build them.
#include "onshi/mocks/ons/ons_mock_service.hpp"

#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/mock_ons_service_fixture.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"

namespace onshi::mocks::ons {
namespace {
namespace o = onshi::ons;

constexpr const char* kFacility = "1312345678";
constexpr const char* kOtherFacility = "2798765432";

class OnsMockServiceTest : public onshi::testing::MockOnsServiceTest {
 protected:
  o::CardQualificationInquiry inquiry(const pki::Credential& card, const std::string& facility = kFacility) const {
    o::CardQualificationInquiry q = onshi::testing::signed_card_inquiry(
        card, {.facility = facility, .date = clock_.wall_now(), .file_identifier = "T-0001"});
    q.consents.pharmacists_info = o::ConsentFlag::consented;
    q.consents.diagnosis_info = o::ConsentFlag::not_consented;
    q.consents.limit_application_certificate = o::ConsentFlag::consented;
    return q;
  }

  MockRequest request(const std::string& body, const std::string& terminal = kFacility,
                      std::string path = std::string(o::kCardInquiryPath)) const {
    return MockRequest{"POST", std::move(path), "application/xml; charset=UTF-8", body,
                       pki_.terminal(terminal).certificate};
  }

};

o::QualificationResult decoded(const MockResponse& r) { return o::decode_result(r.body); }

TEST_F(OnsMockServiceTest, EnrolledCardGetsThePatientsRecordWithStampedConsents) {
  const OnsMockService service(config());
  const MockResponse r = service.handle(request(o::encode_xml(inquiry(pki_.patient("P001")))));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.outcome.patient_id, "P001");
  const o::QualificationResult result = decoded(r);
  EXPECT_EQ(result.header.reference_classification, o::ReferenceClassification::my_number_card);
  EXPECT_EQ(result.header.segment_of_result, o::SegmentOfResult::normal_end);
  EXPECT_EQ(result.header.medical_institution_code, kFacility);
  EXPECT_EQ(result.header.arbitrary_file_identifier, "T-0001");
  EXPECT_EQ(result.header.process_execution_time, format_jst_datetime(clock_.wall_now()));
  EXPECT_EQ(result.body.processing_result_status, o::ProcessingResultStatus::normal_end);
  EXPECT_EQ(result.body.qualification_validity, o::QualificationValidity::valid);
  ASSERT_EQ(result.body.results.size(), 1u);
  const o::QualificationRecord& rec = result.body.results[0];
  EXPECT_EQ(rec.name, "試験　花子");
  EXPECT_EQ(rec.insurer_number, "06132013");
  EXPECT_EQ(rec.sex1, o::Sex::female);
  ASSERT_TRUE(rec.pharmacists_info_consent.has_value());
  EXPECT_EQ(rec.pharmacists_info_consent->cons_time, format_jst_datetime(clock_.wall_now()));
  EXPECT_EQ(rec.pharmacists_info_consent->available_time,
            format_jst_datetime(clock_.wall_now() + std::chrono::hours(24)));
  ASSERT_TRUE(rec.diagnosis_info_consent.has_value());
  EXPECT_EQ(rec.diagnosis_info_consent->flag, o::ConsentFlag::not_consented);
  EXPECT_FALSE(rec.diagnosis_info_consent->cons_time.has_value());
  EXPECT_FALSE(rec.specific_health_checkups_info_consent.has_value());  // not asked
  ASSERT_TRUE(rec.limit_application_certificate_info.has_value());
  EXPECT_EQ(rec.limit_application_certificate_info->classification_flag, o::ClassificationFlag::a03);
}

TEST_F(OnsMockServiceTest, UnenrolledCardAnswersNoQualification) {
  OnsMockServiceConfig c = config();
  c.enrolments = Enrolments{};
  const OnsMockService service(std::move(c));
  const MockResponse r = service.handle(request(o::encode_xml(inquiry(pki_.patient("P001")))));
  ASSERT_EQ(r.status, 200u) << r.body;
  const o::QualificationResult result = decoded(r);
  EXPECT_EQ(result.body.processing_result_status, o::ProcessingResultStatus::normal_end);
  EXPECT_EQ(result.body.qualification_validity, o::QualificationValidity::no_qualification);
  EXPECT_TRUE(result.body.results.empty());
}

void expect_refusal(const MockResponse& r, unsigned status, o::ProfileError error) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_EQ(r.outcome.error, error) << r.body;
  const o::QualificationResult result = o::decode_result(r.body);
  EXPECT_EQ(result.header.segment_of_result, o::SegmentOfResult::abnormal_end);
  EXPECT_EQ(result.body.processing_result_status, o::ProcessingResultStatus::error);
  EXPECT_EQ(result.header.error_code, std::string(o::to_code(error)));
  EXPECT_TRUE(result.header.error_message.has_value());
}

TEST_F(OnsMockServiceTest, FacilityCodeMustMatchTheTerminalCertificate) {
  const OnsMockService service(config());
  expect_refusal(service.handle(request(o::encode_xml(inquiry(pki_.patient("P001"), kFacility)), kOtherFacility)),
                 403, o::ProfileError::facility_mismatch);
}

TEST_F(OnsMockServiceTest, CardCertificateMustComeFromTheJpkiCa) {
  const OnsMockService service(config());
  // A well-formed certificate and a matching signature, but from another CA.
  const pki::Credential stranger{pki_.foreign_terminal.certificate, pki_.foreign_terminal.key};
  expect_refusal(service.handle(request(o::encode_xml(inquiry(stranger)))), 403,
                 o::ProfileError::certificate_untrusted);
}

TEST_F(OnsMockServiceTest, CardCertificateMustBeWithinItsValidity) {
  const OnsMockService service(config());
  clock_.set_wall(pki_.patient("P001").certificate.not_after() + std::chrono::hours(1));
  expect_refusal(service.handle(request(o::encode_xml(inquiry(pki_.patient("P001"))))), 403,
                 o::ProfileError::certificate_expired);
}

TEST_F(OnsMockServiceTest, ChallengeSignatureMustVerify) {
  const OnsMockService service(config());
  o::CardQualificationInquiry q = inquiry(pki_.patient("P001"));
  q.challenge_signature[10] ^= 0x01;
  expect_refusal(service.handle(request(o::encode_xml(q))), 403, o::ProfileError::signature_invalid);
  // Signed by another patient's card.
  q = inquiry(pki_.patient("P001"));
  q.challenge_signature = pki_.patient("P002").key.sign_pkcs1_raw(crypto::sha256_digest_info(q.challenge));
  expect_refusal(service.handle(request(o::encode_xml(q))), 403, o::ProfileError::signature_invalid);
}

TEST_F(OnsMockServiceTest, ReplayedChallengeIsRefused) {
  const OnsMockService service(config());
  const std::string body = o::encode_xml(inquiry(pki_.patient("P001")));
  EXPECT_EQ(service.handle(request(body)).status, 200u);
  expect_refusal(service.handle(request(body)), 403, o::ProfileError::challenge_replayed);
}

TEST_F(OnsMockServiceTest, HttpLevelRefusals) {
  const OnsMockService service(config());
  const std::string body = o::encode_xml(inquiry(pki_.patient("P001")));
  EXPECT_EQ(service.handle(request(body, kFacility, "/nowhere")).status, 404u);
  MockRequest get = request(body);
  get.method = "GET";
  const MockResponse r405 = service.handle(get);
  EXPECT_EQ(r405.status, 405u);
  EXPECT_EQ(tls::find_header(r405.headers, "allow"), "POST");
  MockRequest text = request(body);
  text.content_type = "text/plain";
  EXPECT_EQ(service.handle(text).status, 415u);

  const MockResponse bad = service.handle(request("<XmlMsg><MessageHeader/></XmlMsg>"));
  expect_refusal(bad, 400, o::ProfileError::malformed_request);
  EXPECT_NE(o::decode_result(bad.body).header.error_message->find("XmlMsg/MessageHeader/QualificationConfirmationDate"),
            std::string::npos);
  expect_refusal(service.handle(request("\x01\xff garbage")), 400, o::ProfileError::malformed_request);
}

TEST_F(OnsMockServiceTest, SearchFindsThePatientByInsuranceCard) {
  const OnsMockService service(config());
  o::QualificationSearchInquiry q;
  q.header.qualification_confirmation_date = format_jst_date(clock_.wall_now());
  q.header.medical_institution_code = kFacility;
  q.insurer_number = "06132013";
  q.insured_identification_number = "2345";
  q.birthdate = "19850412";
  const MockResponse r = service.handle(request(o::encode_xml(q), kFacility, std::string(o::kSearchInquiryPath)));
  ASSERT_EQ(r.status, 200u) << r.body;
  const o::QualificationResult result = decoded(r);
  EXPECT_EQ(result.header.reference_classification, o::ReferenceClassification::insurance_card_info);
  EXPECT_EQ(result.body.qualification_validity, o::QualificationValidity::valid);
  ASSERT_EQ(result.body.results.size(), 1u);
  EXPECT_EQ(result.body.results[0].name, "試験　花子");

  q.birthdate = "19850413";
  const MockResponse none = service.handle(request(o::encode_xml(q), kFacility, std::string(o::kSearchInquiryPath)));
  EXPECT_EQ(decoded(none).body.qualification_validity, o::QualificationValidity::no_qualification);
}

TEST_F(OnsMockServiceTest, EnrolmentOfAnUnknownPatientFailsAtStartUp) {
  OnsMockServiceConfig c = config();
  c.enrolments.enrol("0A", "P999");
  try {
    OnsMockService service(std::move(c));
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
  }
}

TEST(Enrolments, NormaliseSerialSpellings) {
  Enrolments e;
  e.enrol("00:0a:1b", "P001");
  EXPECT_EQ(e.patient_for("A1B"), "P001");
  EXPECT_EQ(e.patient_for("0a1b"), "P001");
  EXPECT_FALSE(e.patient_for("A1C").has_value());
}

}  // namespace
}  // namespace onshi::mocks::ons
