// TLS contexts from options: a file that is missing, unset or not what it should be is an
// Error naming the option and the path, before any connection is tried.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "onshi/core/error.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/error_of.hpp"
#include "onshi/tls/tls_context.hpp"

namespace onshi::tls {
namespace {

using onshi::testing::error_of;

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register with NEEDS_PKI)";
    paths_ = std::make_unique<pki::PkiPaths>(*dir);
  }
  TlsClientOptions client() const {
    TlsClientOptions o;
    o.ca_file = paths_->ons_ca_cert();
    o.cert_file = paths_->terminal_cert("1312345678");
    o.key_file = paths_->terminal_key("1312345678");
    return o;
  }
  TlsServerOptions server() const {
    TlsServerOptions o;
    o.cert_file = paths_->ons_server_cert();
    o.key_file = paths_->ons_server_key();
    o.client_ca_file = paths_->terminal_ca_cert();
    return o;
  }
  std::unique_ptr<pki::PkiPaths> paths_;
};

TEST_F(TlsContextTest, ValidOptionsMakeContexts) {
  EXPECT_TRUE(make_client_tls_context(client()));
  EXPECT_TRUE(make_server_tls_context(server()));
}

TEST_F(TlsContextTest, MissingCertificateFileIsNamed) {
  TlsClientOptions o = client();
  o.cert_file = "/nonexistent/onshi/terminal.pem";
  const Error e = error_of([&] { make_client_tls_context(o); });
  EXPECT_EQ(e.code(), ErrorCode::not_found);
  EXPECT_EQ(e.context(), "/nonexistent/onshi/terminal.pem");
  EXPECT_EQ(e.message(), "certificate file not found");

  TlsServerOptions s = server();
  s.key_file = "/nonexistent/onshi/server-key.pem";
  const Error k = error_of([&] { make_server_tls_context(s); });
  EXPECT_EQ(k.context(), "/nonexistent/onshi/server-key.pem");
  EXPECT_EQ(k.message(), "key file not found");
}

TEST_F(TlsContextTest, MissingOrUnsetCaFileIsNamed) {
  TlsClientOptions o = client();
  o.ca_file = "/nonexistent/onshi/ca.pem";
  const Error missing = error_of([&] { make_client_tls_context(o); });
  EXPECT_EQ(missing.code(), ErrorCode::not_found);
  EXPECT_EQ(missing.context(), "/nonexistent/onshi/ca.pem");
  o.ca_file.clear();
  const Error unset = error_of([&] { make_client_tls_context(o); });
  EXPECT_EQ(unset.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(unset.message(), "ca_file (server trust anchors) is not set");
}

TEST_F(TlsContextTest, UnusableFilesAreTlsErrorsNamingThem) {
  const std::filesystem::path garbage =
      std::filesystem::temp_directory_path() / ("onshi-tls-garbage-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(garbage) << "not a PEM file\n";
  TlsClientOptions o = client();
  o.cert_file = garbage;
  const Error cert = error_of([&] { make_client_tls_context(o); });
  EXPECT_EQ(cert.code(), ErrorCode::tls);
  EXPECT_EQ(cert.context(), garbage.string());
  EXPECT_EQ(cert.message().rfind("cannot load certificate", 0), 0u) << cert.what();

  o = client();
  o.key_file = paths_->terminal_key("2798765432");  // another facility's key
  const Error mismatch = error_of([&] { make_client_tls_context(o); });
  EXPECT_EQ(mismatch.code(), ErrorCode::tls);
  EXPECT_EQ(mismatch.context(), o.key_file.string());
  EXPECT_NE(mismatch.message().find("mismatch"), std::string::npos) << mismatch.what();  // OpenSSL's words
  std::filesystem::remove(garbage);
}

TEST_F(TlsContextTest, MinVersionAboveMaxIsRefused) {
  TlsClientOptions o = client();
  o.min_version = TlsVersion::tls1_3;
  o.max_version = TlsVersion::tls1_2;
  EXPECT_EQ(error_of([&] { make_client_tls_context(o); }).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace onshi::tls
