// The receipt computer's medication, checkup and bulk requests: the session keys and their
// mistakes, the request files as the terminal's codecs read them, and each answer judged with
// every wrong field named (docs/receipt-computer.md).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/ons/bulk_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/receipt/bulk_check.hpp"
#include "onshi/receipt/information_check.hpp"
#include "onshi/receipt/receipt_session.hpp"
#include "onshi/receipt/request_file.hpp"

namespace onshi::receipt {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSessionHead = "schema = \"onshi-hil/receipt-session/1\"\n";
constexpr const char* kFacility = "1312345678";
// 2026-12-01 12:00 JST.
const WallTime kNoonJst = WallTime{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1}} + 3h;

class RequestKindsTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) const {
    const auto file = std::filesystem::temp_directory_path() /
                      ("onshi-kinds-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                       ".toml");
    std::ofstream(file) << kSessionHead << text;
    return file;
  }
  ReceiptSession load(const std::string& text) const { return load_session(write(text), population_); }
  std::string error_loading(const std::string& text) const {
    try {
      load(text);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  const population::Population population_ = population::load_population();
};

TEST_F(RequestKindsTest, MedicationCheckupAndBulkLoadWithTheirDefaults) {
  const ReceiptSession s = load(
      "[[request]]\nname = \"m\"\npatient = \"P001\"\nbody = \"medication\"\n"
      "[[request]]\nname = \"c\"\npatient = \"P003\"\nbody = \"checkup\"\n[request.expect]\nconsented = false\n"
      "[[request]]\nname = \"b\"\nbody = \"bulk\"\npatients = [\"P001\", \"P004\"]\n");
  ASSERT_EQ(s.requests.size(), 3U);
  EXPECT_EQ(s.requests[0].body, RequestBody::medication);
  EXPECT_TRUE(s.requests[0].expect.information_returned);
  EXPECT_EQ(s.requests[0].expect.segment_of_result, "1");
  EXPECT_FALSE(s.requests[0].expect.qualification_validity.has_value());
  // Not consented: the mock ONS's refusal.
  EXPECT_FALSE(s.requests[1].expect.information_returned);
  EXPECT_EQ(s.requests[1].expect.segment_of_result, "9");
  EXPECT_EQ(s.requests[1].expect.error_code, "HIL0430");
  const SessionRequest& bulk = s.requests[2];
  EXPECT_EQ(bulk.body, RequestBody::bulk);
  ASSERT_EQ(bulk.bulk.size(), 2U);
  EXPECT_EQ(bulk.bulk[0].patient, "P001");
  EXPECT_EQ(bulk.bulk[0].name, population_.patient("P001").name);
  EXPECT_EQ(bulk.bulk[1].qualification_validity, "3");
  EXPECT_EQ(bulk.patient, "P001");
}

TEST_F(RequestKindsTest, MistakesInTheNewKeysNameFileLineAndKey) {
  EXPECT_NE(error_loading("[[request]]\nname = \"b\"\nbody = \"bulk\"\npatients = [\"P001\", \"P001\"]\n")
                .find("key 'patients': patient 'P001' is listed twice"),
            std::string::npos);
  EXPECT_NE(error_loading("[[request]]\nname = \"b\"\nbody = \"bulk\"\npatients = [\"P999\"]\n")
                .find("key 'patients': no patient 'P999'"),
            std::string::npos);
  EXPECT_NE(error_loading("[[request]]\nname = \"b\"\nbody = \"bulk\"\n").find(":3: key 'patients': a bulk request needs"),
            std::string::npos)
      << error_loading("[[request]]\nname = \"b\"\nbody = \"bulk\"\n");
  EXPECT_NE(error_loading("[[request]]\nname = \"b\"\nbody = \"bulk\"\npatient = \"P001\"\npatients = [\"P001\"]\n")
                .find("key 'patient': a bulk request lists its persons in 'patients'"),
            std::string::npos);
  EXPECT_NE(error_loading("[[request]]\nname = \"s\"\npatient = \"P001\"\npatients = [\"P001\"]\n")
                .find("key 'patients': only a bulk request"),
            std::string::npos);
  EXPECT_NE(error_loading("[[request]]\nname = \"s\"\npatient = \"P001\"\n[request.expect]\nconsented = false\n")
                .find("key 'consented': only a medication or checkup request"),
            std::string::npos);
  EXPECT_NE(error_loading("[[request]]\nname = \"s\"\npatient = \"P001\"\nbody = \"imm\"\n").find("\"medication\""),
            std::string::npos);
}

TEST_F(RequestKindsTest, RequestFilesReadAsTheTerminalReadsThem) {
  const ReceiptSession s = load(
      "[[request]]\nname = \"m\"\npatient = \"P001\"\nbody = \"medication\"\nencoding = \"shift_jis\"\n"
      "identifier = \"受付-髙～\"\n"
      "[[request]]\nname = \"c\"\npatient = \"P001\"\nbody = \"checkup\"\n"
      "[[request]]\nname = \"b\"\nbody = \"bulk\"\npatients = [\"P001\", \"P002\"]\n");
  const population::Patient& p001 = population_.patient("P001");

  const std::string medication_bytes = request_bytes(s.requests[0], p001, kFacility, kNoonJst, &population_);
  EXPECT_EQ(ons::declared_xml_encoding(medication_bytes), ons::TextEncoding::shift_jis);
  const auto medication = ons::decode_information_request(
      ons::to_canonical(medication_bytes, ons::WireSyntax::xml, {}, {}).xml, ons::InformationKind::medication);
  EXPECT_EQ(medication.medical_institution_code, kFacility);
  EXPECT_EQ(medication.insurer_number, p001.insurance.insurer_number);
  EXPECT_EQ(medication.insured_person_identification_number, p001.insurance.insured_identification_number);
  EXPECT_EQ(medication.arbitrary_file_identifier, "受付-髙～");
  EXPECT_EQ(medication.start_date, "20230101");
  EXPECT_EQ(medication.end_date, "20261201");

  const auto checkup = ons::decode_information_request(request_bytes(s.requests[1], p001, kFacility, kNoonJst, &population_),
                                                       ons::InformationKind::checkup);
  EXPECT_FALSE(checkup.end_date.has_value());

  const auto bulk = ons::decode_bulk_inquiry(request_bytes(s.requests[2], p001, kFacility, kNoonJst, &population_));
  ASSERT_EQ(bulk.inquiries.size(), 2U);
  EXPECT_EQ(bulk.inquiries[1].arbitrary_identifier, "P002");
  EXPECT_EQ(bulk.inquiries[1].birthdate, population_.patient("P002").birthdate);
  EXPECT_EQ(bulk.header.arbitrary_file_identifier, "rc-b");

  const auto fetch = ons::decode_bulk_fetch(bulk_fetch_bytes(kFacility, "123", ons::TextEncoding::utf8));
  EXPECT_EQ(fetch.reception_number, "123");
  EXPECT_EQ(request_prefix(RequestBody::medication), "YZKsiquc01req_");
  EXPECT_EQ(request_prefix(RequestBody::checkup), "TKKsiquc01req_");
  EXPECT_EQ(request_prefix(RequestBody::bulk), "OQSmuquc01req_");
  EXPECT_EQ(request_prefix(RequestBody::truncated), "OQSsiquc01req_");
}

ons::InformationResult medication_answer() {
  ons::InformationResult r;
  r.kind = ons::InformationKind::medication;
  r.process_execution_time = "20261201120000";
  r.medical_institution_code = kFacility;
  r.arbitrary_file_identifier = "rc-m";
  r.cons_time = "20261201110000";
  r.available_time = "20261202110000";
  r.medications.push_back({"20250401", "オンシ薬局", "アムロジピン錠５ｍｇ", "621700001", "1", "錠", "28"});
  return r;
}

AnswerExpectation information_expected() {
  AnswerExpectation e;
  e.segment_of_result = "1";
  e.processing_result_status = "1";
  e.information_returned = true;
  return e;
}

TEST(InformationCheckTest, AConsentedAnswerPassesAndAnEmptyOneIsNamed) {
  constexpr const char* shown = "res/YZKsiquc01res_20261201_0001.xml";
  const auto judge = [&](const ons::InformationResult& r, const AnswerExpectation& e) {
    return check_information_answer(ons::encode_xml(r), shown, ons::InformationKind::medication, e, "rc-m", kFacility);
  };
  EXPECT_TRUE(judge(medication_answer(), information_expected()).passed());
  const std::string sjis =
      ons::from_canonical(ons::encode_xml(medication_answer()), {ons::WireSyntax::xml, ons::TextEncoding::shift_jis});
  EXPECT_TRUE(check_information_answer(sjis, shown, ons::InformationKind::medication, information_expected(), "rc-m",
                                       kFacility)
                  .passed());

  ons::InformationResult empty = medication_answer();
  empty.medications.clear();
  empty.cons_time.reset();
  const AnswerVerdict v = judge(empty, information_expected());
  ASSERT_EQ(v.problems.size(), 2U) << v.summary();
  EXPECT_EQ(v.problems[0], std::string(shown) + ": MessageBody/MedicationInfoList is empty, expected the patient's "
                                                "information (a consent is on record)");
  EXPECT_NE(v.problems[1].find("ConsTime is absent"), std::string::npos);
}

TEST(InformationCheckTest, TheRefusalIsExpectedWithoutConsentAndNamedWithIt) {
  constexpr const char* shown = "res/TKKsiquc01res_20261201_0002.xml";
  // What the terminal relays when the mock refuses: an error result with HIL0430.
  ons::QualificationResult refusal;
  refusal.header.process_execution_time = "20261201120000";
  refusal.header.qualification_confirmation_date = "20261201";
  refusal.header.medical_institution_code = kFacility;
  refusal.header.arbitrary_file_identifier = "rc-c";
  refusal.header.segment_of_result = ons::SegmentOfResult::abnormal_end;
  refusal.header.error_code = "HIL0430";
  refusal.header.error_message = "no consent on record";
  refusal.body.processing_result_status = ons::ProcessingResultStatus::error;
  const std::string bytes = ons::encode_xml(refusal);

  AnswerExpectation not_consented;
  not_consented.segment_of_result = "9";
  not_consented.processing_result_status = "2";
  not_consented.error_code = "HIL0430";
  const AnswerVerdict refused =
      check_information_answer(bytes, shown, ons::InformationKind::checkup, not_consented, "rc-c", kFacility);
  EXPECT_TRUE(refused.passed()) << refused.summary();

  const AnswerVerdict wanted =
      check_information_answer(bytes, shown, ons::InformationKind::checkup, information_expected(), "rc-c", kFacility);
  ASSERT_FALSE(wanted.passed());
  EXPECT_EQ(wanted.problems[0], std::string(shown) + ": MessageHeader/SegmentOfResult is '9', expected '1'");
  EXPECT_NE(wanted.summary().find("; and "), std::string::npos);
  bool named_code = false;
  for (const auto& p : wanted.problems) named_code = named_code || p.find("(ErrorCode HIL0430)") != std::string::npos;
  EXPECT_TRUE(named_code) << wanted.summary();
}

ons::BulkResult bulk_done(const population::Population& population) {
  ons::BulkResult r;
  r.process_execution_time = "20261201120000";
  r.medical_institution_code = kFacility;
  r.reception_number = "42";
  r.segment_of_result = ons::SegmentOfResult::normal_end;
  for (const char* id : {"P001", "P004"}) {
    ons::BulkItemResult item;
    item.arbitrary_identifier = id;
    const population::Patient& p = population.patient(id);
    item.qualification_validity = std::string(id) == "P001" ? ons::QualificationValidity::valid
                                                            : ons::QualificationValidity::invalid_new_qualification;
    ons::QualificationRecord record;
    record.insurer_number = p.insurance.insurer_number;
    record.insured_identification_number = p.insurance.insured_identification_number;
    record.name = p.name;
    record.birthdate = p.birthdate;
    item.results.push_back(record);
    r.items.push_back(item);
  }
  r.number_of_processing_result = 2;
  r.number_of_normal_processing = 2;
  r.number_of_error = 0;
  return r;
}

TEST_F(RequestKindsTest, BulkAnswersAreJudgedPerListedPerson) {
  const ReceiptSession s = load("[[request]]\nname = \"b\"\nbody = \"bulk\"\npatients = [\"P001\", \"P004\"]\n");
  const SessionRequest& request = s.requests[0];
  constexpr const char* shown = "res/OQSmuquc02res_20261201_0002.xml";

  ons::BulkResult receipt;
  receipt.process_execution_time = "20261201120000";
  receipt.medical_institution_code = kFacility;
  receipt.arbitrary_file_identifier = "rc-b";
  receipt.reception_number = "42";
  const BulkVerdict got = check_bulk_receipt(ons::encode_xml(receipt), "res/OQSmuquc01res_20261201_0001.xml", "rc-b", kFacility);
  EXPECT_TRUE(got.passed()) << got.summary();
  EXPECT_EQ(got.reception_number, "42");

  ons::BulkResult pending = receipt;
  const BulkVerdict wait = check_bulk_result(ons::encode_xml(pending), shown, request.bulk, request.expect, "42", kFacility);
  EXPECT_TRUE(wait.pending);
  EXPECT_TRUE(wait.passed()) << wait.summary();

  const BulkVerdict done =
      check_bulk_result(ons::encode_xml(bulk_done(population_)), shown, request.bulk, request.expect, "42", kFacility);
  EXPECT_FALSE(done.pending);
  EXPECT_TRUE(done.passed()) << done.summary();

  ons::BulkResult wrong = bulk_done(population_);
  wrong.items[1].qualification_validity = ons::QualificationValidity::valid;
  wrong.items.erase(wrong.items.begin());
  wrong.number_of_processing_result = 1;
  wrong.number_of_normal_processing = 1;
  const BulkVerdict v = check_bulk_result(ons::encode_xml(wrong), shown, request.bulk, request.expect, "42", kFacility);
  ASSERT_EQ(v.problems.size(), 3U) << v.summary();
  EXPECT_EQ(v.problems[0], std::string(shown) + ": MessageHeader/NumberOfProcessingResult is '1', expected '2'");
  EXPECT_EQ(v.problems[1], std::string(shown) +
                               ": no QualificationConfirmResult[ArbitraryIdentifier=P001], expected the result of the "
                               "listed person P001");
  EXPECT_EQ(v.problems[2], std::string(shown) +
                               ": QualificationConfirmResult[ArbitraryIdentifier=P004]/QualificationValidity is '1', "
                               "expected '3'");

  // An error result where the receipt was expected says why.
  ons::BulkResult refused = receipt;
  refused.segment_of_result = ons::SegmentOfResult::abnormal_end;
  refused.error_code = "HIL0802";
  refused.error_message = "not served";
  const BulkVerdict no = check_bulk_receipt(ons::encode_xml(refused), "res/x.xml", "rc-b", kFacility);
  EXPECT_EQ(no.summary(), "res/x.xml: MessageHeader/SegmentOfResult is '9', expected '2' (処理中) with a ReceptionNumber "
                          "(ErrorCode HIL0802: not served)");
}

}  // namespace
}  // namespace onshi::receipt
