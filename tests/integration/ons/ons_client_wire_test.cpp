// The project's OnsClient against the mock ONS over real mTLS on 127.0.0.1, in every wire
// format (XML UTF-8, XML Shift_JIS, JSON) × both shipped interface profiles (2024.1, 2025.1):
// inquiries are answered, refusals decode into typed errors, and the renames really happen on
// the wire (a 2025 client talking to a 2024 mock is not understood). Paths and login field
// names come from the profile.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>

#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/config/data_paths.hpp"
#include "onshi/population/population.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/wire_format.hpp"

namespace onshi::testing {
namespace {
using namespace std::chrono_literals;

struct WireCase {
  const char* name;  // as in a rig file
  ons::WireFormat format;
  const char* profile;  // fixtures/ons/profile-<profile>.toml
};

const WireCase kCases[] = {
    {"xml", {ons::WireSyntax::xml, ons::TextEncoding::utf8}, "2024"},
    {"xml", {ons::WireSyntax::xml, ons::TextEncoding::utf8}, "2025"},
    {"xml_sjis", {ons::WireSyntax::xml, ons::TextEncoding::shift_jis}, "2024"},
    {"xml_sjis", {ons::WireSyntax::xml, ons::TextEncoding::shift_jis}, "2025"},
    {"json", {ons::WireSyntax::json, ons::TextEncoding::utf8}, "2024"},
    {"json", {ons::WireSyntax::json, ons::TextEncoding::utf8}, "2025"},
};

// gtest prints the case by name, not as bytes.
void PrintTo(const WireCase& c, std::ostream* os) { *os << c.name << " profile-" << c.profile; }

ons::InterfaceProfile shipped_profile(const std::string& version) {
  return ons::load_interface_profile(config::fixtures_dir() / "ons" / ("profile-" + version + ".toml"));
}

bool has(const std::vector<std::string>& v, const std::string& item) {
  return std::find(v.begin(), v.end(), item) != v.end();
}

class OnsClientWireTest : public MockOnsTest, public ::testing::WithParamInterface<WireCase> {
 protected:
  void customise(mocks::ons::OnsMockOptions& options) override {
    profile_ = shipped_profile(GetParam().profile);
    options.service.profile = profile_;  // client and mock agree, as WiredRig wires them
  }

  ons::OnsClient client(const std::string& facility = kTestFacility) const {
    ons::OnsClientOptions o;
    o.http = client_options(facility);
    o.endpoint.port = port();
    o.profile = profile_;
    o.wire = GetParam().format;
    return ons::OnsClient(o);
  }

  ons::CharacterCodeIdentifier expected_identifier() const {
    return GetParam().format.encoding == ons::TextEncoding::shift_jis ? ons::CharacterCodeIdentifier::shift_jis
                                                                       : ons::CharacterCodeIdentifier::utf8;
  }

  ons::InterfaceProfile profile_;
};

TEST_P(OnsClientWireTest, CardInquiryIsAnsweredWithConsentsUnderTheProfilesNames) {
  ons::OnsClient c = client();
  const ons::QualificationResult r = c.inquire(card_inquiry("P001"));
  EXPECT_EQ(r.body.qualification_validity, ons::QualificationValidity::valid);
  ASSERT_FALSE(r.body.results.empty());
  EXPECT_EQ(r.body.results.at(0).name, "試験　花子");
  // The mock answers in the format it was asked in: the request really went as configured.
  EXPECT_EQ(c.last_answer_format(), std::optional<ons::WireFormat>(GetParam().format));
  EXPECT_EQ(r.header.character_code_identifier, expected_identifier());
  // 2025: PharmaceuticalInfoConsFlg/…ConsTime/…AcquisitionTime on the wire, read back
  // under the canonical names; without the inbound renames this consent would be missing.
  ASSERT_TRUE(r.body.results.at(0).pharmacists_info_consent.has_value());
  EXPECT_EQ(r.body.results.at(0).pharmacists_info_consent->flag, ons::ConsentFlag::consented);
  EXPECT_TRUE(r.body.results.at(0).pharmacists_info_consent->available_time.has_value());
  // The mock understood the consent the client sent in this profile's names.
  EXPECT_TRUE(wait_for_journal_entry(
      [&](const mocks::ons::MockLogEntry& e) {
        return e.status == 200 && e.patient_id == "P001" && e.target == profile_.paths.card &&
               has(e.consents, "PharmacistsInfo=consented");
      },
      "answering P001's card inquiry with PharmacistsInfo=consented"));
}

TEST_P(OnsClientWireTest, SearchInquiryIsAnswered) {
  ons::OnsClient c = client();
  ons::QualificationSearchInquiry search;
  search.header = {format_jst_date(SystemClock::instance().wall_now()), kTestFacility, std::string("受付-0001")};
  search.insurer_number = "39130018";
  search.insured_identification_number = "12345674";
  search.birthdate = "19480923";
  const ons::QualificationResult r = c.inquire(search);
  EXPECT_EQ(r.header.reference_classification, ons::ReferenceClassification::insurance_card_info);
  EXPECT_EQ(r.header.arbitrary_file_identifier, "受付-0001");
  EXPECT_EQ(r.header.character_code_identifier, expected_identifier());
  EXPECT_EQ(c.last_answer_format(), std::optional<ons::WireFormat>(GetParam().format));
  ASSERT_FALSE(r.body.results.empty());
  EXPECT_EQ(r.body.results.at(0).name, "見本　太郎");
}

TEST_P(OnsClientWireTest, MedicationInformationIsAnsweredAfterConsent) {
  ons::OnsClient c = client();
  ASSERT_EQ(c.inquire(card_inquiry("P001")).body.qualification_validity, ons::QualificationValidity::valid);
  const ons::InformationRequest medication = p001_medication();
  const ons::InformationResult info = c.inquire(medication);
  EXPECT_EQ(c.last_answer_format(), std::optional<ons::WireFormat>(GetParam().format));
  EXPECT_FALSE(info.medications.empty());
  EXPECT_TRUE(info.cons_time.has_value());
}

TEST_P(OnsClientWireTest, FacilityMismatchRefusalDecodes) {
  ons::OnsClient c = client();
  try {
    c.inquire(card_inquiry("P001", kOtherTestFacility));
    FAIL() << "answered a request for another facility";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 403u);
    EXPECT_NE(e.context().find("ErrorCode HIL0403"), std::string::npos) << e.what();
    ASSERT_TRUE(e.result().has_value()) << e.what();
    EXPECT_EQ(e.result()->header.error_code, std::optional<std::string>("HIL0403"));
    ASSERT_TRUE(e.result()->header.error_message.has_value());
    // Japanese text survived Shift_JIS or JSON and back.
    EXPECT_NE(e.result()->header.error_message->find("医療機関コードが端末の電子証明書と一致しません"), std::string::npos)
        << *e.result()->header.error_message;
    EXPECT_EQ(e.result()->header.segment_of_result, ons::SegmentOfResult::abnormal_end);
    EXPECT_EQ(e.result()->header.character_code_identifier, expected_identifier());
    EXPECT_EQ(c.last_answer_format(), std::optional<ons::WireFormat>(GetParam().format));
  }
}

TEST_P(OnsClientWireTest, InsurerCheckDigitRefusalDecodes) {
  ons::OnsClient c = client();
  ons::QualificationSearchInquiry search;
  search.header = {format_jst_date(SystemClock::instance().wall_now()), kTestFacility, std::nullopt};
  search.insurer_number = "39130017";  // 39130018 with a wrong 検証番号
  search.insured_identification_number = "12345674";
  search.birthdate = "19480923";
  try {
    c.inquire(search);
    FAIL() << "answered an insurer number with a wrong check digit";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 400u);
    ASSERT_TRUE(e.result().has_value()) << e.what();
    EXPECT_EQ(e.result()->header.error_code, std::optional<std::string>("HIL0420"));
    EXPECT_NE(e.result()->header.error_message.value_or("").find("検証番号"), std::string::npos) << e.what();
    EXPECT_EQ(c.last_answer_format(), std::optional<ons::WireFormat>(GetParam().format));
  }
}

INSTANTIATE_TEST_SUITE_P(EveryWireFormatAndProfile, OnsClientWireTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<WireCase>& p) {
                           return std::string(p.param.name) + "_profile" + p.param.profile;
                         });

// A mock on the built-in 2024 profile and clients on 2025: the client really writes the 2025
// names, which a 2024 endpoint does not know (the consent arrives as not asked).
class OnsClientProfileMismatchTest : public MockOnsTest {};

TEST_F(OnsClientProfileMismatchTest, A2025ClientsConsentIsUnknownToA2024Endpoint) {
  for (const WireCase& wire : {kCases[0], kCases[2], kCases[4]}) {
    SCOPED_TRACE(wire.name);
    ons::OnsClientOptions o;
    o.http = client_options();
    o.endpoint.port = port();
    o.profile = shipped_profile("2025");
    o.wire = wire.format;
    ons::OnsClient c(o);
    const std::uint64_t before = server().journal().last_sequence();
    EXPECT_EQ(c.inquire(card_inquiry("P001")).body.qualification_validity, ons::QualificationValidity::valid);
    EXPECT_TRUE(wait_for_journal_entry(
        [&](const mocks::ons::MockLogEntry& e) {
          return e.status == 200 && e.patient_id == "P001" && has(e.consents, "PharmacistsInfo=not_asked") &&
                 has(e.consents, "SpecificHealthCheckupsInfo=consented");
        },
        "answering P001 with PharmacistsInfo=not_asked, SpecificHealthCheckupsInfo=consented", nullptr,
        onshi::testing::kJournalWait, before));
  }
}

// Text Shift_JIS cannot carry is refused before anything is sent, naming the request.
class OnsClientShiftJisTest : public MockOnsTest {};

TEST_F(OnsClientShiftJisTest, TextWithNoShiftJisFormIsRefusedBeforeSending) {
  ons::OnsClientOptions o;
  o.http = client_options();
  o.endpoint.port = port();
  o.wire = {ons::WireSyntax::xml, ons::TextEncoding::shift_jis};
  ons::OnsClient c(o);
  ons::QualificationSearchInquiry search;
  search.header = {format_jst_date(SystemClock::instance().wall_now()), kTestFacility, std::string("受付-\U0001F600")};
  search.insurer_number = "39130018";
  search.insured_identification_number = "12345674";
  search.birthdate = "19480923";
  try {
    c.inquire(search);
    FAIL() << "sent text Shift_JIS has no form for";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_NE(e.context().find("POST /onshi/v1/qualification/search"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server().journal().last_sequence(), 0u) << "nothing should have reached the mock";
}

// A profile of the endpoint's own: every path and the login field names differ from the
// built-in ones; the client follows the profile, and a client on the built-in profile is told
// by the 404 which path the endpoint does not have.
class OnsClientCustomProfileTest : public MockOnsTest {
 protected:
  void customise(mocks::ons::OnsMockOptions& options) override {
    profile_ = ons::default_interface_profile();
    profile_.version = "9999.1";
    profile_.paths = {"/v9/card", "/v9/search", "/v9/medication", "/v9/checkup", "/v9/bulk", "/v9/bulk/result", "/v9/auth"};
    profile_.login_id_field = "userId";
    profile_.password_field = "passphrase";
    options.service.profile = profile_;
    options.service.login_required = true;
    login_id_ = options.service.login_id;
    password_ = options.service.login_password;
  }
  ons::InterfaceProfile profile_;
  std::string login_id_;
  std::string password_;
};

TEST_F(OnsClientCustomProfileTest, PathsAndLoginFieldsComeFromTheProfile) {
  ons::OnsClientOptions o;
  o.http = client_options();
  o.endpoint.port = port();
  o.profile = profile_;
  o.wire = {ons::WireSyntax::json, ons::TextEncoding::utf8};
  ons::OnsClient c(o);
  EXPECT_EQ(c.login({login_id_, password_}).size(), 64u);
  EXPECT_EQ(c.inquire(card_inquiry("P001")).body.qualification_validity, ons::QualificationValidity::valid);
  EXPECT_TRUE(wait_for_journal_entry(
      [](const mocks::ons::MockLogEntry& e) { return e.status == 200 && e.target == "/v9/card"; }, "answering /v9/card"));

  ons::OnsClientOptions builtin = o;
  builtin.profile = ons::default_interface_profile();
  ons::OnsClient stranger(builtin);
  try {
    stranger.inquire(card_inquiry("P001"));
    FAIL() << "the endpoint answered a path it does not have";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 404u);
    EXPECT_FALSE(e.result().has_value());
    EXPECT_NE(e.context().find("no such endpoint: /onshi/v1/qualification/card"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace onshi::testing

namespace onshi::testing {
namespace {

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > s.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

// A plain-text refusal whose first line is longer than the hint keeps (160 bytes) and has a
// multi-byte character where the cut falls: the hint ends before the character, not inside it,
// so the error's context stays UTF-8 and can go into a record or a JSON report.
class OnsClientPlainTextHintTest : public MockOnsTest {};

TEST_F(OnsClientPlainTextHintTest, ALongRefusalIsCutBetweenCharactersNotInsideOne) {
  ons::OnsClientOptions o;
  o.http = client_options();
  o.endpoint.port = port();
  // "no such endpoint: " (18 bytes) + "/" + 140 × 'a' puts 日 on bytes 159..161 of the line.
  o.profile.paths.card = "/" + std::string(140, 'a') + "日本";
  ons::OnsClient c(o);
  try {
    c.inquire(card_inquiry("P001"));
    FAIL() << "the endpoint answered a path it does not have";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 404u);
    EXPECT_NE(e.context().find("no such endpoint: /aaa"), std::string::npos) << e.what();
    EXPECT_TRUE(is_valid_utf8(e.context())) << "the hint split a UTF-8 character: " << e.context();
  }
}

}  // namespace
}  // namespace onshi::testing
