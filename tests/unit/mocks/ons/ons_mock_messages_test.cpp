// The mock ONS's newer messages without sockets, on a clock the test steps: consent-gated
// medication/checkup information, two-phase bulk inquiries, the login step, the JSON and
// Shift_JIS wire profiles, a newer interface profile, and a generated population.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "onshi/config/data_paths.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/population/population_generator.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/testing/mock_ons_service_fixture.hpp"
#include "onshi/testing/p001_requests.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::mocks::ons {
namespace {
namespace o = onshi::ons;
using namespace std::chrono_literals;

constexpr const char* kFacility = "1312345678";
constexpr const char* kOtherFacility = "2798765432";

class OnsMockMessagesTest : public onshi::testing::MockOnsServiceTest {
 protected:
  MockResponse post(const OnsMockService& s, const std::string& path, const std::string& body,
                    const std::string& facility = kFacility, std::string content_type = "application/xml; charset=UTF-8",
                    std::string authorization = {}) const {
    MockRequest r{"POST", path, std::move(content_type), body, pki_.terminal(facility).certificate};
    r.authorization = std::move(authorization);
    return s.handle(r);
  }

  // A card inquiry for P001 at `facility` with the given medication/checkup consents.
  MockResponse card_visit(const OnsMockService& s, std::optional<o::ConsentFlag> medication,
                          std::optional<o::ConsentFlag> checkup, const std::string& facility = kFacility) const {
    o::CardQualificationInquiry q =
        onshi::testing::signed_card_inquiry(pki_.patient("P001"), {.facility = facility, .date = clock_.wall_now()});
    q.consents.pharmacists_info = medication;
    q.consents.specific_health_checkups_info = checkup;
    return post(s, profile().paths.card, o::encode_xml(q), facility);
  }

  static o::InformationRequest info(o::InformationKind kind, const std::string& facility = kFacility) {
    return onshi::testing::p001_information_request(kind, facility);
  }

  static const o::InterfaceProfile& profile() { return o::default_interface_profile(); }
  static std::string error_code_of(const MockResponse& r) {
    return r.outcome.error ? std::string(o::to_code(*r.outcome.error)) : std::string();
  }
};

TEST_F(OnsMockMessagesTest, MedicationNeedsTheConsentFromAnEarlierCardInquiryWithin24Hours) {
  const OnsMockService s(config());
  const auto ask = [&](o::InformationKind kind, const std::string& facility = kFacility) {
    const std::string& path = kind == o::InformationKind::medication ? profile().paths.medication : profile().paths.checkup;
    return post(s, path, o::encode_xml(info(kind, facility)), facility);
  };
  // Nothing on record yet.
  MockResponse none = ask(o::InformationKind::medication);
  EXPECT_EQ(none.status, 403u);
  EXPECT_EQ(error_code_of(none), "HIL0430");
  EXPECT_EQ(o::decode_information_result(none.body, o::InformationKind::medication).segment_of_result,
            o::SegmentOfResult::abnormal_end);

  // The patient consents to medication, declines checkups.
  ASSERT_EQ(card_visit(s, o::ConsentFlag::consented, o::ConsentFlag::not_consented).status, 200u);
  const WallTime consented_at = clock_.wall_now();
  clock_.advance(23h);
  const MockResponse ok = ask(o::InformationKind::medication);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  const o::InformationResult result = o::decode_information_result(ok.body, o::InformationKind::medication);
  EXPECT_EQ(result.cons_time, format_jst_datetime(consented_at));
  EXPECT_EQ(result.available_time, format_jst_datetime(consented_at + 24h));
  EXPECT_GT(result.medications.size(), 10u);  // about one dispensing a month for three years
  EXPECT_EQ(ok.outcome.patient_id, "P001");
  // Same data on the next ask: generated per patient, not per request.
  EXPECT_EQ(o::decode_information_result(ask(o::InformationKind::medication).body, o::InformationKind::medication).medications,
            result.medications);

  EXPECT_EQ(error_code_of(ask(o::InformationKind::checkup)), "HIL0430");  // declined
  EXPECT_EQ(error_code_of(ask(o::InformationKind::medication, kOtherFacility)), "HIL0430");  // given to another clinic

  clock_.advance(1h);  // exactly 24 h after ConsTime: lapsed
  const MockResponse lapsed = ask(o::InformationKind::medication);
  EXPECT_EQ(lapsed.status, 403u);
  EXPECT_EQ(error_code_of(lapsed), "HIL0431");

  // A new visit renews it; checkups consented this time have five yearly results.
  ASSERT_EQ(card_visit(s, std::nullopt, o::ConsentFlag::consented).status, 200u);
  EXPECT_EQ(error_code_of(ask(o::InformationKind::medication)), "HIL0431");  // not asked again: old consent stands, lapsed
  const MockResponse checkups = ask(o::InformationKind::checkup);
  ASSERT_EQ(checkups.status, 200u) << checkups.body;
  EXPECT_EQ(o::decode_information_result(checkups.body, o::InformationKind::checkup).checkups.size(), 5u);
}

TEST_F(OnsMockMessagesTest, InformationRequestForUnknownOrInvalidCardDataIsRefused) {
  const OnsMockService s(config());
  o::InformationRequest r = info(o::InformationKind::medication);
  r.insured_person_identification_number = "9999";
  EXPECT_EQ(error_code_of(post(s, profile().paths.medication, o::encode_xml(r))), "HIL0440");
  r = info(o::InformationKind::medication);
  r.insurer_number = "06132014";  // wrong 検証番号
  EXPECT_EQ(error_code_of(post(s, profile().paths.medication, o::encode_xml(r))), "HIL0420");
  EXPECT_EQ(error_code_of(post(s, profile().paths.medication, o::encode_xml(info(o::InformationKind::medication)),
                               kOtherFacility)),
            "HIL0403");
}

TEST_F(OnsMockMessagesTest, BulkIsProcessingUntilReadyThenCounted) {
  OnsMockServiceConfig c = config();
  c.bulk_ready_after = 30s;
  const OnsMockService s(std::move(c));
  o::BulkInquiry bulk;
  bulk.header = {format_jst_date(clock_.wall_now()), kFacility, std::string("BULK-1")};
  const auto add = [&](const char* id, const char* insurer, const char* number, const char* birth) {
    o::QualificationSearchInquiry q;
    q.insurer_number = insurer;
    q.insured_identification_number = number;
    q.birthdate = birth;
    q.arbitrary_identifier = id;
    bulk.inquiries.push_back(q);
  };
  add("1", "06132013", "2345", "19850412");   // P001
  add("2", "06132014", "2345", "19850412");   // bad check digit
  add("3", "06132013", "0000", "19850412");   // nobody
  const MockResponse accepted = post(s, profile().paths.bulk_submit, o::encode_xml(bulk));
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  const o::BulkResult receipt = o::decode_bulk_result(accepted.body);
  EXPECT_EQ(receipt.segment_of_result, o::SegmentOfResult::processing);
  ASSERT_FALSE(receipt.reception_number.empty());

  const o::BulkFetch fetch{kFacility, receipt.reception_number};
  const o::BulkResult early = o::decode_bulk_result(post(s, profile().paths.bulk_fetch, o::encode_xml(fetch)).body);
  EXPECT_EQ(early.segment_of_result, o::SegmentOfResult::processing);
  EXPECT_FALSE(early.number_of_processing_result.has_value());

  clock_.advance(30s);
  const MockResponse ready = post(s, profile().paths.bulk_fetch, o::encode_xml(fetch));
  ASSERT_EQ(ready.status, 200u) << ready.body;
  const o::BulkResult done = o::decode_bulk_result(ready.body);
  EXPECT_EQ(done.segment_of_result, o::SegmentOfResult::normal_end);
  EXPECT_EQ(done.number_of_processing_result, 3u);
  EXPECT_EQ(done.number_of_normal_processing, 2u);
  EXPECT_EQ(done.number_of_error, 1u);
  ASSERT_EQ(done.items.size(), 3u);
  EXPECT_EQ(done.items[0].qualification_validity, o::QualificationValidity::valid);
  EXPECT_EQ(done.items[0].results.at(0).name, "試験　花子");
  EXPECT_EQ(done.items[1].processing_result_code, "HIL0420");
  EXPECT_EQ(done.items[2].qualification_validity, o::QualificationValidity::no_qualification);

  // Another clinic cannot fetch it; a made-up number is unknown.
  EXPECT_EQ(error_code_of(post(s, profile().paths.bulk_fetch, o::encode_xml(o::BulkFetch{kOtherFacility, receipt.reception_number}),
                               kOtherFacility)),
            "HIL0450");
  EXPECT_EQ(error_code_of(post(s, profile().paths.bulk_fetch, o::encode_xml(o::BulkFetch{kFacility, "123"}))), "HIL0450");
}

TEST_F(OnsMockMessagesTest, BulkReferenceNumberRegistrationIsProcessingUntilReadyThenOneResultPerPerson) {
  OnsMockServiceConfig c = config();
  c.bulk_ready_after = 30s;
  const OnsMockService s(std::move(c));
  o::ReferenceNumberRegistration registration;
  registration.header = {format_jst_date(clock_.wall_now()), kFacility, std::string("IMM-1")};
  registration.entries.push_back({"06132013", std::nullopt, "2345", std::nullopt, "19850412", "K0001", std::string("1")});  // P001
  registration.entries.push_back({"06132014", std::nullopt, "2345", std::nullopt, "19850412", "K0002", std::string("2")});  // check digit
  registration.entries.push_back({"06132013", std::nullopt, "0000", std::nullopt, "19850412", "K0003", std::string("3")});  // nobody
  const MockResponse accepted = post(s, profile().paths.reference_submit, o::encode_xml(registration));
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  const o::ReferenceNumberResult receipt = o::decode_reference_number_result(accepted.body);
  EXPECT_EQ(receipt.segment_of_result, o::SegmentOfResult::processing);
  EXPECT_EQ(receipt.arbitrary_file_identifier, "IMM-1");
  ASSERT_FALSE(receipt.reception_number.empty());

  const o::BulkFetch fetch{kFacility, receipt.reception_number};
  const o::ReferenceNumberResult early =
      o::decode_reference_number_result(post(s, profile().paths.reference_fetch, o::encode_xml(fetch)).body);
  EXPECT_EQ(early.segment_of_result, o::SegmentOfResult::processing);
  EXPECT_TRUE(early.items.empty());

  clock_.advance(30s);
  const MockResponse ready = post(s, profile().paths.reference_fetch, o::encode_xml(fetch));
  ASSERT_EQ(ready.status, 200u) << ready.body;
  const o::ReferenceNumberResult done = o::decode_reference_number_result(ready.body);
  EXPECT_EQ(done.segment_of_result, o::SegmentOfResult::normal_end);
  EXPECT_EQ(done.number_of_processing_result, 3u);
  EXPECT_EQ(done.number_of_normal_processing, 1u);
  EXPECT_EQ(done.number_of_error, 2u);
  ASSERT_EQ(done.items.size(), 3u);
  EXPECT_EQ(done.items[0].processing_result_status, o::ProcessingResultStatus::normal_end);
  EXPECT_EQ(done.items[0].reference_number, "K0001");
  EXPECT_EQ(done.items[1].processing_result_code, "HIL0420");
  EXPECT_EQ(done.items[2].processing_result_code, "HIL0440");
  EXPECT_EQ(s.reference_number_of(kFacility, "P001"), "K0001");
  EXPECT_FALSE(s.reference_number_of(kOtherFacility, "P001").has_value());

  // Another clinic cannot fetch it, a bulk inquiry's fetch does not know it, a made-up number is
  // unknown, a malformed registration is refused naming the element.
  EXPECT_EQ(error_code_of(post(s, profile().paths.reference_fetch,
                               o::encode_xml(o::BulkFetch{kOtherFacility, receipt.reception_number}), kOtherFacility)),
            "HIL0450");
  EXPECT_EQ(error_code_of(post(s, profile().paths.bulk_fetch, o::encode_xml(fetch))), "HIL0450");
  EXPECT_EQ(error_code_of(post(s, profile().paths.reference_fetch, o::encode_xml(o::BulkFetch{kFacility, "123"}))),
            "HIL0450");
  std::string bad = o::encode_xml(registration);
  bad.replace(bad.find("K0001"), 5, "K-001");
  const MockResponse refused = post(s, profile().paths.reference_submit, bad);
  EXPECT_EQ(refused.status, 400u);
  EXPECT_NE(refused.body.find("ReferenceNumber"), std::string::npos) << refused.body;
}

TEST_F(OnsMockMessagesTest, LoginRequiredWantsAFreshTokenOfTheSameFacility) {
  OnsMockServiceConfig c = config();
  c.login_required = true;
  c.token_lifetime = 600s;
  const std::string login_body = nlohmann::json{{"loginId", c.login_id}, {"password", c.login_password}}.dump();
  const OnsMockService s(std::move(c));
  const std::string inquiry = o::encode_xml(info(o::InformationKind::medication));

  const MockResponse without = post(s, profile().paths.medication, inquiry);
  EXPECT_EQ(without.status, 401u);
  EXPECT_EQ(error_code_of(without), "HIL0401");

  EXPECT_EQ(post(s, profile().paths.login, R"({"loginId":"x","password":"y"})", kFacility, "application/json").status, 401u);
  EXPECT_EQ(post(s, profile().paths.login, "{", kFacility, "application/json").status, 400u);
  const MockResponse login = post(s, profile().paths.login, login_body, kFacility, "application/json");
  ASSERT_EQ(login.status, 200u) << login.body;
  const auto answer = nlohmann::json::parse(login.body);
  EXPECT_EQ(answer["status"], "OK");
  const std::string token = answer["result"]["idToken"];
  EXPECT_EQ(token.size(), 64u);
  const std::string other_token =
      nlohmann::json::parse(post(s, profile().paths.login, login_body, kFacility, "application/json").body)["result"]["idToken"];
  EXPECT_NE(token, other_token);  // random, not derived

  // With the token the request gets past login (and on to the consent check).
  EXPECT_EQ(error_code_of(post(s, profile().paths.medication, inquiry, kFacility, "application/xml", token)), "HIL0430");
  // Another facility's certificate cannot borrow it.
  EXPECT_EQ(error_code_of(post(s, profile().paths.medication, o::encode_xml(info(o::InformationKind::medication, kOtherFacility)),
                               kOtherFacility, "application/xml", token)),
            "HIL0401");
  clock_.advance(600s);
  EXPECT_EQ(error_code_of(post(s, profile().paths.medication, inquiry, kFacility, "application/xml", token)), "HIL0401");
}

TEST_F(OnsMockMessagesTest, JsonAndShiftJisAreAnsweredInKind) {
  const OnsMockService s(config());
  o::QualificationSearchInquiry q;
  q.header = {format_jst_date(clock_.wall_now()), kFacility, std::string("受付-1")};
  q.insurer_number = "06132013";
  q.insured_identification_number = "2345";
  q.birthdate = "19850412";
  const std::string xml = o::encode_xml(q);

  const MockResponse json = post(s, profile().paths.search, o::xml_to_json(xml), kFacility, "application/json");
  ASSERT_EQ(json.status, 200u) << json.body;
  EXPECT_EQ(json.content_type, "application/json; charset=UTF-8");
  const auto doc = nlohmann::json::parse(json.body);
  EXPECT_EQ(doc["XmlMsg"]["MessageBody"]["ResultList"][0]["ResultOfQualificationConfirmation"]["Name"], "試験　花子");

  const std::string sjis = o::from_canonical(xml, {o::WireSyntax::xml, o::TextEncoding::shift_jis});
  const MockResponse answer = post(s, profile().paths.search, sjis, kFacility, "application/xml; charset=Shift_JIS");
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(answer.content_type, "application/xml; charset=Shift_JIS");
  const o::QualificationResult result = o::decode_result(o::to_canonical(answer.body, o::WireSyntax::xml).xml);
  EXPECT_EQ(result.header.character_code_identifier, o::CharacterCodeIdentifier::shift_jis);
  EXPECT_EQ(result.header.arbitrary_file_identifier, "受付-1");
  EXPECT_EQ(result.body.results.at(0).name, "試験　花子");

  // Broken Shift_JIS: an ONS-style 400 that names the offset.
  const MockResponse broken = post(s, profile().paths.search, sjis.substr(0, sjis.size() - 30) + "\x82", kFacility);
  EXPECT_EQ(broken.status, 400u);
  EXPECT_NE(broken.body.find("not valid Shift_JIS"), std::string::npos) << broken.body;
  EXPECT_EQ(post(s, profile().paths.search, xml, kFacility, "text/html").status, 415u);
}

TEST_F(OnsMockMessagesTest, InjectedFaultsAnswerInTheRequestsWireFormat) {
  const OnsMockService s(config());
  o::QualificationSearchInquiry q;
  q.header = {format_jst_date(clock_.wall_now()), kFacility, std::string("受付-2")};
  q.insurer_number = "06132013";
  q.insured_identification_number = "2345";
  const std::string xml = o::encode_xml(q);
  auto faulted = [&](const std::string& body, const std::string& content_type, FaultKind kind) {
    MockRequest r{"POST", profile().paths.search, content_type, body, pki_.terminal(kFacility).certificate};
    FaultRule rule;
    rule.kind = kind;
    rule.status = 200;
    rule.error_code = "EOQ0001";
    rule.error_message = "資格確認システムで障害が発生しました";
    return s.fault_response(r, rule);
  };

  const MockResponse json = faulted(o::xml_to_json(xml), "application/json", FaultKind::maintenance);
  EXPECT_EQ(json.status, 503u);
  EXPECT_EQ(json.content_type, "application/json; charset=UTF-8");
  EXPECT_EQ(nlohmann::json::parse(json.body)["XmlMsg"]["MessageHeader"]["ErrorCode"], "HIL0503") << json.body;

  const std::string sjis = o::from_canonical(xml, {o::WireSyntax::xml, o::TextEncoding::shift_jis});
  const MockResponse answer = faulted(sjis, "application/xml; charset=Shift_JIS", FaultKind::ons_error);
  EXPECT_EQ(answer.content_type, "application/xml; charset=Shift_JIS");
  const o::QualificationResult result = o::decode_result(o::to_canonical(answer.body, o::WireSyntax::xml).xml);
  EXPECT_EQ(result.header.error_code, "EOQ0001");
  EXPECT_EQ(result.header.error_message, "資格確認システムで障害が発生しました");
  EXPECT_EQ(result.header.character_code_identifier, o::CharacterCodeIdentifier::shift_jis);

  // UTF-8 XML stays as it was; a bare HTTP error stays plain text whatever was asked.
  EXPECT_EQ(faulted(xml, "application/xml", FaultKind::processing).content_type, "application/xml; charset=UTF-8");
  EXPECT_EQ(faulted(xml, "application/json", FaultKind::http_error).content_type, "text/plain; charset=UTF-8");
}

TEST_F(OnsMockMessagesTest, NewerProfileMovesPathsAndRenamesConsentElements) {
  OnsMockServiceConfig c = config();
  c.profile = o::load_interface_profile(config::fixtures_dir() / "ons" / "profile-2025.toml");
  c.profile.paths.card = "/v2/card";
  const OnsMockService s(std::move(c));
  EXPECT_EQ(post(s, std::string(o::kCardInquiryPath), "<x/>").status, 404u);
  o::CardQualificationInquiry q =
      onshi::testing::signed_card_inquiry(pki_.patient("P001"), {.facility = kFacility, .date = clock_.wall_now()});
  q.consents.pharmacists_info = o::ConsentFlag::consented;
  const MockResponse r = post(s, "/v2/card", o::encode_xml(q));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.body.find("<PharmaceuticalInfoConsFlg>1</PharmaceuticalInfoConsFlg>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<PharmaceuticalInfoAcquisitionTime>"), std::string::npos);
  EXPECT_EQ(r.body.find("PharmacistsInfo"), std::string::npos);
}

TEST_F(OnsMockMessagesTest, GeneratedPopulationAnswersEveryStateOnTheSearchPath) {
  population::PopulationGeneratorOptions g;
  g.seed = 5;
  g.count = 400;
  const population::GeneratedPopulation generated = population::generate_population(g);
  OnsMockServiceConfig c = config();
  c.population = generated.population;
  c.enrolments = Enrolments{};
  const OnsMockService s(std::move(c));
  std::set<std::string> answered;
  for (std::size_t k = 0; k < generated.states.size(); ++k) {
    const population::Patient& p = generated.population.patients[k];
    o::QualificationSearchInquiry q;
    q.header = {format_jst_date(clock_.wall_now()), kFacility, std::nullopt};
    q.insurer_number = p.insurance.insurer_number;
    q.insured_identification_number = p.insurance.insured_identification_number;
    q.birthdate = p.birthdate;
    const MockResponse r = post(s, profile().paths.search, o::encode_xml(q));
    ASSERT_EQ(r.status, 200u) << p.id << r.body;
    const auto validity = o::decode_result(r.body).body.qualification_validity;
    ASSERT_TRUE(validity.has_value());
    const std::string state(population::to_string(generated.states[k]));
    const std::string code(o::to_code(*validity));
    SCOPED_TRACE(p.id + " " + state);
    if (state == "not_found") EXPECT_EQ(code, "4");
    else if (state == "several_matches") EXPECT_EQ(code, "5");
    else if (state == "lost") EXPECT_EQ(code, "2");
    else if (state == "new_qualification") EXPECT_EQ(code, "3");
    else EXPECT_EQ(code, "1");
    answered.insert(code);
  }
  EXPECT_EQ(answered, (std::set<std::string>{"1", "2", "3", "4", "5"}));
}

}  // namespace
}  // namespace onshi::mocks::ons
