#include "onshi/testing/mock_ons_fixture.hpp"

#include <unistd.h>

#include <fstream>

#include "onshi/crypto/certificate.hpp"
#include "onshi/mocks/ons/journal.hpp"
#include "onshi/population/population.hpp"
#include "onshi/testing/p001_requests.hpp"

namespace onshi::testing {

::testing::AssertionResult wait_for_journal_entry(const mocks::ons::Journal& journal, const JournalMatch& match,
                                                  std::string_view description, mocks::ons::MockLogEntry* found,
                                                  std::chrono::milliseconds timeout, std::uint64_t after) {
  if (auto entry = journal.wait_for(match, timeout, after)) {
    if (found != nullptr) *found = std::move(*entry);
    return ::testing::AssertionSuccess();
  }
  const std::vector<mocks::ons::MockLogEntry> arrived = journal.entries_after(after);
  auto failure = ::testing::AssertionFailure() << "no journal entry " << description << " within " << timeout.count()
                                               << " ms; " << arrived.size() << " arrived";
  constexpr std::size_t shown = 20;
  const std::size_t first = arrived.size() > shown ? arrived.size() - shown : 0;
  if (first > 0) failure << " (the last " << shown << " shown)";
  failure << (arrived.empty() ? "" : ":");
  for (std::size_t i = first; i < arrived.size(); ++i) failure << "\n  #" << arrived[i].sequence << " " << format_log_line(arrived[i]);
  return failure;
}

void MockOnsTest::SetUp() {
  const auto dir = pki::test_pki_dir_from_environment();
  ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
  paths_ = std::make_unique<pki::PkiPaths>(*dir);
  pki_ = pki::load_test_pki(*dir);
  log_ = std::make_shared<mocks::ons::MemoryLogSink>();
  mocks::ons::OnsMockOptions options = mocks::ons::mock_options_from_pki(*dir, population::load_population());
  options.log = log_;
  customise(options);
  server_ = std::make_unique<mocks::ons::OnsMockServer>(std::move(options));
  server_->start();
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  temp_ = std::filesystem::temp_directory_path() /
          ("onshi-ons-" + std::to_string(getpid()) + "-" + info->test_suite_name() + "." + info->name());
  std::filesystem::create_directories(temp_);
}

void MockOnsTest::TearDown() {
  if (server_) server_->stop();
  std::error_code ignored;
  if (!temp_.empty()) std::filesystem::remove_all(temp_, ignored);
}

::testing::AssertionResult MockOnsTest::wait_for_journal_entry(const JournalMatch& match, std::string_view description,
                                                               mocks::ons::MockLogEntry* found,
                                                               std::chrono::milliseconds timeout,
                                                               std::uint64_t after) const {
  return testing::wait_for_journal_entry(server_->journal(), match, description, found, timeout, after);
}

ons::InformationRequest MockOnsTest::p001_medication(const std::string& facility) {
  return p001_information_request(ons::InformationKind::medication, facility);
}

ons::CardQualificationInquiry MockOnsTest::card_inquiry(const std::string& patient_id,
                                                        const std::string& facility) const {
  ons::CardQualificationInquiry q =
      signed_card_inquiry(pki_.patient(patient_id), {.facility = facility, .file_identifier = "IT-" + patient_id});
  q.consents.pharmacists_info = ons::ConsentFlag::consented;
  q.consents.specific_health_checkups_info = ons::ConsentFlag::consented;
  q.consents.diagnosis_info = ons::ConsentFlag::not_consented;
  q.consents.limit_application_certificate = ons::ConsentFlag::not_consented;
  return q;
}

std::filesystem::path MockOnsTest::write_temp(const std::string& name, const std::string& content) const {
  const auto file = temp_ / name;
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

std::string MockOnsTest::url(std::string_view path) const {
  return "https://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
}

std::vector<std::string> MockOnsTest::curl(const std::filesystem::path& cert, const std::filesystem::path& key) const {
  std::vector<std::string> args = {"curl", "-sS", "--max-time", "8", "--cacert", paths_->ons_ca_cert().string()};
  if (!cert.empty()) args.insert(args.end(), {"--cert", cert.string(), "--key", key.string()});
  args.insert(args.end(), {"-w", "\n%{http_code}"});
  return args;
}

std::pair<unsigned, std::string> MockOnsTest::status_and_body(const std::string& out) {
  const std::size_t nl = out.rfind('\n');
  if (nl == std::string::npos) return {0, out};
  return {static_cast<unsigned>(std::stoul(out.substr(nl + 1))), out.substr(0, nl)};
}

tls::HttpsClientOptions MockOnsTest::client_options(const std::string& facility) const {
  tls::HttpsClientOptions o;
  o.tls.ca_file = paths_->ons_ca_cert();
  o.tls.cert_file = paths_->terminal_cert(facility);
  o.tls.key_file = paths_->terminal_key(facility);
  o.timeout = std::chrono::milliseconds(8000);
  return o;
}

}  // namespace onshi::testing
