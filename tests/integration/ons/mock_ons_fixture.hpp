#pragma once
// A running mock ONS on 127.0.0.1:<ephemeral> over the shared test PKI ($ONSHI_TEST_PKI),
// plus what a terminal needs to talk to it: certificate paths, signed inquiries, temp files.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/tls/https_client.hpp"
#include "process.hpp"

namespace onshi::testing {

inline constexpr const char* kFacility = "1312345678";
inline constexpr const char* kOtherFacility = "2798765432";

class MockOnsTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Override to change server options before start.
  virtual void customise(mocks::ons::OnsMockOptions&) {}

  // A card-path inquiry for `patient_id` from `facility`, challenge signed with the card key.
  ons::CardQualificationInquiry card_inquiry(const std::string& patient_id, const std::string& facility = kFacility) const;
  // P001's medication information by its insurance-card data (consent comes from card_inquiry).
  static ons::InformationRequest p001_medication(const std::string& facility = kFacility);
  std::filesystem::path write_temp(const std::string& name, const std::string& content) const;

  std::string url(std::string_view path) const;
  // curl over TLS with the given client credential (empty paths: no client certificate).
  std::vector<std::string> curl(const std::filesystem::path& cert, const std::filesystem::path& key) const;
  std::vector<std::string> curl_as(const std::string& facility) const {
    return curl(paths().terminal_cert(facility), paths().terminal_key(facility));
  }
  // Splits the `-w '\n%{http_code}'` trailer curl() asks for off a captured stdout.
  static std::pair<unsigned, std::string> status_and_body(const std::string& out);

  tls::HttpsClientOptions client_options(const std::string& facility = kFacility) const;

  const pki::PkiPaths& paths() const { return *paths_; }
  const pki::TestPki& test_pki() const { return pki_; }
  mocks::ons::OnsMockServer& server() { return *server_; }
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
