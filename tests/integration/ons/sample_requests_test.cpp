// The sample requests of fixtures/requests/ (README there) are what they claim: posted as
// files by the real curl binary, with the facility's terminal certificate, to the standalone
// onshi-ons-mock (a child process over the shared test PKI), each gets the answer the README
// promises. The search inquiry (UTF-8, Shift_JIS, JSON) and the bulk pair end with
// ProcessingResultStatus 1; the information requests are refused (HIL0430, no consent on
// record) until the harness's OnsClient sends P001's signed card inquiry with consent, and
// then answer with ProcessingResultStatus 1.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "onshi/testing/files.hpp"
#include "onshi/config/data_paths.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"

namespace onshi::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFacility = "1312345678";
constexpr const char* kXml = "application/xml; charset=UTF-8";
constexpr const char* kShiftJis = "application/xml; charset=Shift_JIS";
constexpr const char* kJson = "application/json; charset=UTF-8";
// bulk-fetch.xml's ReceptionNumber: a placeholder for the one bulk-submit.xml's answer carries.
constexpr const char* kReceptionPlaceholder = "00000000000000000000";

using onshi::testing::read_file;

struct Answer {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

class SampleRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    pki_dir_ = *dir;
    paths_ = std::make_unique<pki::PkiPaths>(pki_dir_);
    work_ = std::filesystem::temp_directory_path() /
            ("onshi-sample-requests-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(work_);
    mock_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{ONSHI_ONS_MOCK, "--pki", pki_dir_.string(), "--port", "0", "--bulk-delay-ms", "0"},
        work_ / "mock.log");
    std::vector<std::string> groups;
    ASSERT_TRUE(mock_->wait_for_output(std::regex(R"(listening on https://127\.0\.0\.1:([0-9]+))"), 30s, &groups));
    port_ = groups.at(1);
  }

  void TearDown() override {
    if (mock_) {
      EXPECT_EQ(mock_->stop(), 0) << mock_->output();  // the mock ends cleanly on SIGTERM
    }
    std::error_code ignored;
    std::filesystem::remove_all(work_, ignored);
  }

  static std::filesystem::path sample(const std::string& name) { return config::fixtures_dir() / "requests" / name; }

  // What the README's curl command does: POST the file as it is, as facility 1312345678.
  Answer post(const std::filesystem::path& file, const std::string& path, const std::string& content_type) {
    const std::filesystem::path body = work_ / "answer.body";
    const std::filesystem::path headers = work_ / "answer.headers";
    const ProcessResult r = run_process(
        {"curl", "-sS", "--cacert", paths_->ons_ca_cert().string(), "--cert", paths_->terminal_cert(kFacility).string(),
         "--key", paths_->terminal_key(kFacility).string(), "-H", "Content-Type: " + content_type, "--data-binary",
         "@" + file.string(), "-o", body.string(), "-D", headers.string(), "-w", "%{http_code}",
         "https://127.0.0.1:" + port_ + path},
        {.timeout = 20s});
    EXPECT_TRUE(r.succeeded()) << r.describe();
    Answer a;
    a.status = r.succeeded() && !r.out.empty() ? static_cast<unsigned>(std::stoul(r.out)) : 0;
    a.body = read_file(body);
    std::smatch m;
    const std::string head = read_file(headers);
    if (std::regex_search(head, m, std::regex(R"(\n[Cc]ontent-[Tt]ype: *([^\r\n]*))"))) a.content_type = m[1];
    return a;
  }

  Answer post_sample(const std::string& name, const std::string& path, const std::string& content_type) {
    return post(sample(name), path, content_type);
  }

  // The answer as canonical UTF-8 XML, whatever wire format it came in.
  static std::string canonical(const Answer& a) {
    const auto syntax = ons::wire_syntax_of(a.content_type);
    EXPECT_TRUE(syntax.has_value()) << "Content-Type '" << a.content_type << "'";
    return ons::to_canonical(a.body, syntax.value_or(ons::WireSyntax::xml)).xml;
  }

  static void expect_p001_found(const Answer& a) {
    ASSERT_EQ(a.status, 200u) << a.body;
    const ons::QualificationResult r = ons::decode_result(canonical(a));
    EXPECT_EQ(r.body.processing_result_status, ons::ProcessingResultStatus::normal_end);
    EXPECT_EQ(r.body.qualification_validity, ons::QualificationValidity::valid);
    EXPECT_EQ(r.header.medical_institution_code, kFacility);
    EXPECT_EQ(r.header.arbitrary_file_identifier, "見本-資格確認-P001");  // echoed through every encoding
    ASSERT_FALSE(r.body.results.empty());
    EXPECT_EQ(r.body.results.front().name, "試験　花子");
  }

  // Refused as the README says: 403, ProcessingResultStatus 2, HIL0430 (no consent on record).
  static void expect_no_consent(const Answer& a, ons::InformationKind kind) {
    EXPECT_EQ(a.status, 403u) << a.body;
    const ons::InformationResult r = ons::decode_information_result(canonical(a), kind);
    EXPECT_EQ(r.processing_result_status, ons::ProcessingResultStatus::error);
    EXPECT_EQ(r.error_code, "HIL0430") << r.error_message.value_or("");
  }

  ons::OnsClient harness_client() const {
    ons::OnsClientOptions o;
    o.http.tls.ca_file = paths_->ons_ca_cert();
    o.http.tls.cert_file = paths_->terminal_cert(kFacility);
    o.http.tls.key_file = paths_->terminal_key(kFacility);
    o.http.timeout = 8s;
    o.endpoint.port = static_cast<std::uint16_t>(std::stoul(port_));
    return ons::OnsClient(o);
  }

  const ons::InterfacePaths& paths() const { return ons::default_interface_profile().paths; }

  std::filesystem::path pki_dir_;
  std::unique_ptr<pki::PkiPaths> paths_;
  std::filesystem::path work_;
  std::unique_ptr<ChildProcess> mock_;
  std::string port_;
};

TEST_F(SampleRequestsTest, SearchInquiryInUtf8ShiftJisAndJson) {
  expect_p001_found(post_sample("search-P001.xml", paths().search, kXml));

  const Answer sjis = post_sample("search-P001-sjis.xml", paths().search, kShiftJis);
  EXPECT_NE(sjis.body.find("encoding=\"Shift_JIS\""), std::string::npos) << "answered in the request's encoding";
  expect_p001_found(sjis);

  const Answer json = post_sample("search-P001.json", paths().search, kJson);
  EXPECT_TRUE(nlohmann::json::accept(json.body)) << json.body;
  expect_p001_found(json);
}

TEST_F(SampleRequestsTest, BulkSubmitThenFetchWithItsReceptionNumber) {
  const Answer submitted = post_sample("bulk-submit.xml", paths().bulk_submit, kXml);
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  const ons::BulkResult receipt = ons::decode_bulk_result(canonical(submitted));
  EXPECT_EQ(receipt.processing_result_status, ons::ProcessingResultStatus::normal_end);
  ASSERT_FALSE(receipt.reception_number.empty());

  // The file as shipped names no job of this mock: the refusal the README describes.
  const Answer unknown = post_sample("bulk-fetch.xml", paths().bulk_fetch, kXml);
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  EXPECT_EQ(ons::decode_bulk_result(canonical(unknown)).error_code, "HIL0450");

  // With the answer's ReceptionNumber in place of the placeholder (the README's sed line).
  std::string fetch = read_file(sample("bulk-fetch.xml"));
  const std::size_t at = fetch.find(kReceptionPlaceholder);
  ASSERT_NE(at, std::string::npos);
  fetch.replace(at, std::string(kReceptionPlaceholder).size(), receipt.reception_number);
  std::ofstream(work_ / "bulk-fetch.xml", std::ios::binary) << fetch;
  ons::BulkResult done;
  for (int attempt = 0; attempt < 50; ++attempt) {  // --bulk-delay-ms 0: ready at once; bounded anyway
    const Answer fetched = post(work_ / "bulk-fetch.xml", paths().bulk_fetch, kXml);
    ASSERT_EQ(fetched.status, 200u) << fetched.body;
    done = ons::decode_bulk_result(canonical(fetched));
    if (done.segment_of_result != ons::SegmentOfResult::processing) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(done.segment_of_result, ons::SegmentOfResult::normal_end);
  EXPECT_EQ(done.processing_result_status, ons::ProcessingResultStatus::normal_end);
  EXPECT_EQ(done.number_of_processing_result, 2u);
  EXPECT_EQ(done.number_of_normal_processing, 2u);
  ASSERT_EQ(done.items.size(), 2u);
  EXPECT_EQ(done.items[0].arbitrary_identifier, "row-1-P001");
  EXPECT_EQ(done.items[0].processing_result_status, ons::ProcessingResultStatus::normal_end);
  EXPECT_EQ(done.items[1].arbitrary_identifier, "row-2-P002");
}

TEST_F(SampleRequestsTest, ReferenceNumberSubmitThenFetchWithItsReceptionNumber) {
  const Answer submitted = post_sample("reference-number-submit.xml", paths().reference_submit, kXml);
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  const ons::ReferenceNumberResult receipt = ons::decode_reference_number_result(canonical(submitted));
  EXPECT_EQ(receipt.segment_of_result, ons::SegmentOfResult::processing);
  ASSERT_FALSE(receipt.reception_number.empty());

  // The fetch is bulk-fetch.xml's shape, with this ReceptionNumber, at the registration's path.
  std::string fetch = read_file(sample("bulk-fetch.xml"));
  const std::size_t at = fetch.find(kReceptionPlaceholder);
  ASSERT_NE(at, std::string::npos);
  fetch.replace(at, std::string(kReceptionPlaceholder).size(), receipt.reception_number);
  std::ofstream(work_ / "reference-fetch.xml", std::ios::binary) << fetch;
  ons::ReferenceNumberResult done;
  for (int attempt = 0; attempt < 50; ++attempt) {  // --bulk-delay-ms 0: ready at once; bounded anyway
    const Answer fetched = post(work_ / "reference-fetch.xml", paths().reference_fetch, kXml);
    ASSERT_EQ(fetched.status, 200u) << fetched.body;
    done = ons::decode_reference_number_result(canonical(fetched));
    if (done.segment_of_result != ons::SegmentOfResult::processing) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(done.segment_of_result, ons::SegmentOfResult::normal_end);
  EXPECT_EQ(done.number_of_normal_processing, 2u);
  ASSERT_EQ(done.items.size(), 2u);
  EXPECT_EQ(done.items[0].arbitrary_identifier, "row-1-P001");
  EXPECT_EQ(done.items[0].reference_number, "K000001");
  EXPECT_EQ(done.items[1].processing_result_status, ons::ProcessingResultStatus::normal_end);
}

TEST_F(SampleRequestsTest, LoginAnswersAToken) {
  const Answer a = post_sample("login.json", paths().login, kJson);
  ASSERT_EQ(a.status, 200u) << a.body;
  const auto doc = nlohmann::json::parse(a.body);
  EXPECT_EQ(doc["result"]["idToken"].get<std::string>().size(), 64u) << a.body;
}

TEST_F(SampleRequestsTest, InformationRequestsAreRefusedUntilACardInquiryGivesConsent) {
  expect_no_consent(post_sample("medication-P001.xml", paths().medication, kXml), ons::InformationKind::medication);
  expect_no_consent(post_sample("checkup-P001.xml", paths().checkup, kXml), ons::InformationKind::checkup);

  // The reception the card path makes: P001's certificate, a fresh challenge signed by the
  // card key, consent to both items. Only then are the same files answered.
  const pki::TestPki pki = pki::load_test_pki(pki_dir_);
  ons::CardQualificationInquiry visit = signed_card_inquiry(pki.patient("P001"));
  visit.consents.pharmacists_info = ons::ConsentFlag::consented;
  visit.consents.specific_health_checkups_info = ons::ConsentFlag::consented;
  ons::OnsClient client = harness_client();
  ASSERT_EQ(client.inquire(visit).body.processing_result_status, ons::ProcessingResultStatus::normal_end);

  const Answer medication = post_sample("medication-P001.xml", paths().medication, kXml);
  ASSERT_EQ(medication.status, 200u) << medication.body;
  const ons::InformationResult m = ons::decode_information_result(canonical(medication), ons::InformationKind::medication);
  EXPECT_EQ(m.processing_result_status, ons::ProcessingResultStatus::normal_end);
  EXPECT_TRUE(m.cons_time.has_value());
  EXPECT_FALSE(m.medications.empty());

  const Answer checkup = post_sample("checkup-P001.xml", paths().checkup, kXml);
  ASSERT_EQ(checkup.status, 200u) << checkup.body;
  const ons::InformationResult c = ons::decode_information_result(canonical(checkup), ons::InformationKind::checkup);
  EXPECT_EQ(c.processing_result_status, ons::ProcessingResultStatus::normal_end);
  EXPECT_FALSE(c.checkups.empty());
}

TEST_F(SampleRequestsTest, EverySampleIsListedInTheReadme) {
  const std::string readme = read_file(sample("README.md"));
  for (const auto& entry : std::filesystem::directory_iterator(config::fixtures_dir() / "requests")) {
    const std::string name = entry.path().filename().string();
    if (name == "README.md") continue;
    EXPECT_NE(readme.find("`" + name + "`"), std::string::npos) << name << " is not described in the README";
  }
}

}  // namespace
}  // namespace onshi::testing
