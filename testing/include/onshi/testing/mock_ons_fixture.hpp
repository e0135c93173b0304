#pragma once
// MockOnsTest: a GoogleTest fixture with a running embedded mock ONS on 127.0.0.1 (an
// ephemeral port) over the shared test PKI ($ONSHI_TEST_PKI; register the test binary with
// NEEDS_PKI — outside this repository, set ONSHI_TEST_PKI in the test's environment to a
// folder `onshi-hil pki --out DIR --reuse` wrote, as examples/vendor-suite does), plus what a
// terminal needs to talk to it: certificate paths, client options, curl arguments, signed
// inquiries, a per-test temporary folder. customise() sets the mock's options before it
// starts (a fault plan: `o.faults = mocks::ons::load_fault_plan(file)`).
//
// Waits return ::testing::AssertionResult, so a failure says what did arrive instead of only
// that the wanted entry did not:
//
//   class MyTest : public onshi::testing::MockOnsTest {
//     void customise(mocks::ons::OnsMockOptions& o) override { o.service.login_required = true; }
//   };
//   TEST_F(MyTest, RefusesWithoutCertificate) {
//     ... talk to url(ons::kCardInquiryPath) ...
//     mocks::ons::MockLogEntry e;
//     ASSERT_TRUE(wait_for_journal_entry([](const auto& x) { return !x.refusal.empty(); }, "a refusal", &e));
//     EXPECT_EQ(e.refusal, "no_certificate");
//   }
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"
#include "onshi/tls/https_client.hpp"

namespace onshi::testing {

using JournalMatch = std::function<bool(const mocks::ons::MockLogEntry&)>;

// How long a wait for the mock's journal lasts unless the test says otherwise.
inline constexpr std::chrono::milliseconds kJournalWait{5'000};

// The first journal entry after sequence `after` that satisfies `match`, waiting up to
// `timeout`; on failure the result names `description` and lists the entries that did
// arrive (the last 20). `found` (optional) receives the entry.
::testing::AssertionResult wait_for_journal_entry(const mocks::ons::Journal& journal, const JournalMatch& match,
                                                  std::string_view description, mocks::ons::MockLogEntry* found = nullptr,
                                                  std::chrono::milliseconds timeout = kJournalWait,
                                                  std::uint64_t after = 0);

class MockOnsTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Override to change server options before start.
  virtual void customise(mocks::ons::OnsMockOptions&) {}

  // wait_for_journal_entry on this mock's journal.
  ::testing::AssertionResult wait_for_journal_entry(const JournalMatch& match, std::string_view description,
                                                    mocks::ons::MockLogEntry* found = nullptr,
                                                    std::chrono::milliseconds timeout = kJournalWait,
                                                    std::uint64_t after = 0) const;

  // A card-path inquiry for `patient_id` from `facility`, signed with the card key, with the
  // consents medication and checkups given, diagnosis and limit certificate refused.
  ons::CardQualificationInquiry card_inquiry(const std::string& patient_id,
                                             const std::string& facility = kTestFacility) const;
  // P001's medication information by its insurance-card data (consent comes from card_inquiry).
  static ons::InformationRequest p001_medication(const std::string& facility = kTestFacility);
  // A file in this test's temporary folder (removed at TearDown).
  std::filesystem::path write_temp(const std::string& name, const std::string& content) const;

  std::string url(std::string_view path) const;
  // curl over TLS with the given client credential (empty paths: no client certificate),
  // asking for a `\n<status>` trailer that status_and_body() splits off.
  std::vector<std::string> curl(const std::filesystem::path& cert, const std::filesystem::path& key) const;
  std::vector<std::string> curl_as(const std::string& facility) const {
    return curl(paths().terminal_cert(facility), paths().terminal_key(facility));
  }
  static std::pair<unsigned, std::string> status_and_body(const std::string& out);

  tls::HttpsClientOptions client_options(const std::string& facility = kTestFacility) const;

  const pki::PkiPaths& paths() const { return *paths_; }
  const pki::TestPki& test_pki() const { return pki_; }
  mocks::ons::OnsMockServer& server() { return *server_; }
  const mocks::ons::OnsMockServer& server() const { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  mocks::ons::MemoryLogSink& log() { return *log_; }

 private:
  std::unique_ptr<pki::PkiPaths> paths_;
  pki::TestPki pki_;
  std::shared_ptr<mocks::ons::MemoryLogSink> log_;
  std::unique_ptr<mocks::ons::OnsMockServer> server_;
  std::filesystem::path temp_;
};

}  // namespace onshi::testing
