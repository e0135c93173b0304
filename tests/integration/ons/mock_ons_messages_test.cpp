// The mock ONS's newer messages over real mTLS on 127.0.0.1: the project's OnsClient logs
// in, asks for medication information after a card inquiry gave consent, runs a bulk
// inquiry through 処理中 to its result; curl sends one JSON and one Shift_JIS request.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include <nlohmann/json.hpp>

#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/testing/test_clock.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::testing {
namespace {
using namespace std::chrono_literals;

class MockOnsMessagesTest : public MockOnsTest {
 protected:
  void customise(mocks::ons::OnsMockOptions& options) override {
    options.service.clock = &clock_;
    options.service.login_required = true;
    options.service.bulk_ready_after = 60s;
    login_id_ = options.service.login_id;
    password_ = options.service.login_password;
  }

  ons::OnsClient client() const {
    ons::OnsClientOptions o;
    o.http = client_options();
    o.endpoint.port = port();
    return ons::OnsClient(o);
  }

  TestClock clock_;  // wall time starts at the real now: the test PKI is valid
  std::string login_id_;
  std::string password_;
};

TEST_F(MockOnsMessagesTest, ClientLogsInThenGetsMedicationAfterConsentAndABulkResult) {
  ons::OnsClient c = client();
  try {
    c.inquire(card_inquiry("P001"));
    FAIL() << "answered without login";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 401u);
    EXPECT_NE(e.context().find("HIL0401"), std::string::npos) << e.what();
  }
  const std::string token = c.login({login_id_, password_});
  EXPECT_EQ(token.size(), 64u);

  const ons::InformationRequest medication = p001_medication();
  try {
    c.inquire(medication);
    FAIL() << "answered without consent";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 403u);
    EXPECT_NE(e.context().find("HIL0430"), std::string::npos) << e.what();
  }
  ons::CardQualificationInquiry visit = card_inquiry("P001");
  ASSERT_EQ(visit.consents.pharmacists_info, ons::ConsentFlag::consented) << "fixture asks for medication consent";
  ASSERT_EQ(c.inquire(visit).body.qualification_validity, ons::QualificationValidity::valid);
  const ons::InformationResult info = c.inquire(medication);
  EXPECT_FALSE(info.medications.empty());
  EXPECT_TRUE(info.cons_time.has_value());
  // The journal records the consent decision behind the answer.
  EXPECT_TRUE(wait_for_journal_entry(
      [](const mocks::ons::MockLogEntry& e) {
        return e.status == 200 && e.patient_id == "P001" &&
               std::find(e.consents.begin(), e.consents.end(), "PharmacistsInfo=consented") != e.consents.end() &&
               e.target == ons::default_interface_profile().paths.medication;
      },
      "answering P001's medication with PharmacistsInfo=consented"));

  ons::BulkInquiry bulk;
  bulk.header = {format_jst_date(clock_.wall_now()), kTestFacility, std::string("BULK-IT")};
  ons::QualificationSearchInquiry q;
  q.insurer_number = "06132013";
  q.insured_identification_number = "2345";
  q.birthdate = "19850412";
  q.arbitrary_identifier = "row-1";
  bulk.inquiries = {q, q};
  const ons::BulkResult receipt = c.submit(bulk);
  EXPECT_EQ(receipt.segment_of_result, ons::SegmentOfResult::processing);
  const ons::BulkFetch fetch{kTestFacility, receipt.reception_number};
  EXPECT_EQ(c.fetch(fetch).segment_of_result, ons::SegmentOfResult::processing);
  clock_.advance(61s);
  const ons::BulkResult done = c.fetch(fetch);
  EXPECT_EQ(done.segment_of_result, ons::SegmentOfResult::normal_end);
  EXPECT_EQ(done.number_of_processing_result, 2u);
  EXPECT_EQ(done.number_of_normal_processing, 2u);
  EXPECT_EQ(done.number_of_error, 0u);
}

TEST_F(MockOnsMessagesTest, CurlJsonAndShiftJisRequests) {
  // Login over curl with the terminal certificate, JSON credentials.
  std::vector<std::string> login = curl_as(kTestFacility);
  const std::string credentials = nlohmann::json{{"loginId", login_id_}, {"password", password_}}.dump();
  login.insert(login.end(), {"-H", "Content-Type: application/json;charset=UTF-8", "--data-binary", credentials,
                             url(ons::default_interface_profile().paths.login)});
  const ProcessResult l = run_process(login);
  ASSERT_EQ(l.exit_code, 0) << l.err;
  const auto [login_status, login_body] = status_and_body(l.out);
  ASSERT_EQ(login_status, 200u) << login_body;
  const std::string token = nlohmann::json::parse(login_body)["result"]["idToken"];

  ons::QualificationSearchInquiry q;
  q.header = {format_jst_date(clock_.wall_now()), kTestFacility, std::string("受付-0001")};
  q.insurer_number = "06132013";
  q.insured_identification_number = "2345";
  q.birthdate = "19850412";
  const std::string xml = ons::encode_xml(q);

  // JSON, as the terminal's web API sends it (docs/domain/ons-messages.md).
  std::vector<std::string> json = curl_as(kTestFacility);
  json.insert(json.end(), {"-H", "Content-Type: application/json;charset=UTF-8", "-H", "Authorization: " + token,
                           "--data-binary", "@" + write_temp("search.json", ons::xml_to_json(xml)).string(),
                           url(ons::kSearchInquiryPath)});
  const ProcessResult j = run_process(json);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto [json_status, json_body] = status_and_body(j.out);
  ASSERT_EQ(json_status, 200u) << json_body;
  const auto doc = nlohmann::json::parse(json_body);
  EXPECT_EQ(doc["XmlMsg"]["MessageHeader"]["ArbitraryFileIdentifier"], "受付-0001");
  EXPECT_EQ(doc["XmlMsg"]["MessageBody"]["ResultList"][0]["ResultOfQualificationConfirmation"]["Name"], "試験　花子");

  // Shift_JIS XML, answered in Shift_JIS with CharacterCodeIdentifier 1.
  const std::string sjis = ons::from_canonical(xml, {ons::WireSyntax::xml, ons::TextEncoding::shift_jis});
  std::vector<std::string> s = curl_as(kTestFacility);
  s.insert(s.end(), {"-H", "Content-Type: application/xml; charset=Shift_JIS", "-H", "Authorization: " + token,
                     "--data-binary", "@" + write_temp("search-sjis.xml", sjis).string(), url(ons::kSearchInquiryPath)});
  const ProcessResult x = run_process(s);
  ASSERT_EQ(x.exit_code, 0) << x.err;
  const auto [sjis_status, sjis_body] = status_and_body(x.out);
  ASSERT_EQ(sjis_status, 200u) << sjis_body;
  EXPECT_NE(sjis_body.find("encoding=\"Shift_JIS\""), std::string::npos);
  EXPECT_NE(sjis_body.find("\x8E\x8E\x8C\xB1"), std::string::npos);  // 試験 in Shift_JIS
  const ons::QualificationResult r = ons::decode_result(ons::to_canonical(sjis_body, ons::WireSyntax::xml).xml);
  EXPECT_EQ(r.header.character_code_identifier, ons::CharacterCodeIdentifier::shift_jis);
  EXPECT_EQ(r.body.results.at(0).name, "試験　花子");
}

}  // namespace
}  // namespace onshi::testing
