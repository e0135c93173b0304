// The mock ONS's TLS posture judged by an independent scanner (issue 14, item 5): Debian's
// sslscan, with the terminal's client certificate so every handshake completes, against the
// standalone onshi-ons-mock as a child process. Asserted from sslscan's XML report: no
// protocol below TLS 1.2, no null, anonymous, export, RC4, DES/3DES or MD5 cipher and none
// under 128 bits, in TLS 1.2 only ECDHE key exchange with AEAD (no static RSA, no CBC/SHA-1),
// no renegotiation that is not the secure kind, no heartbleed. Compression is
// checked with openssl s_client (Debian's sslscan is built without zlib and cannot test it).
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "mock_ons_child.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::testing {
namespace {

namespace fs = std::filesystem;

fs::path test_pki() {
  const char* dir = std::getenv("ONSHI_TEST_PKI");
  return dir ? fs::path(dir) : fs::path();
}

bool sslscan_installed() { return run_shell("command -v sslscan >/dev/null").succeeded(); }

class MockOnsTlsScan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(sslscan_installed()) << "sslscan is not installed: scripts/setup.sh installs it (Debian package sslscan)";
    mock_ = new MockOnsChild(ONSHI_ONS_MOCK, test_pki());
    ASSERT_TRUE(mock_->started()) << mock_->output();
    report_ = fs::temp_directory_path() / ("onshi-sslscan-" + std::to_string(::getpid()) + ".xml");
    const fs::path terminal = test_pki() / "terminals" / "1312345678";
    ProcessOptions options;
    options.timeout = std::chrono::milliseconds(120'000);
    scan_ = new ProcessResult(run_process({"sslscan", "--no-colour", "--xml=" + report_.string(),
                                           "--certs=" + (terminal / "cert.pem").string(),
                                           "--pk=" + (terminal / "key.pem").string(),
                                           "127.0.0.1:" + std::to_string(mock_->port())},
                                          options));
    ASSERT_TRUE(scan_->succeeded()) << scan_->describe();
    const pugi::xml_parse_result parsed = xml_.load_file(report_.c_str());
    ASSERT_TRUE(parsed) << report_ << ": " << parsed.description();
  }
  static void TearDownTestSuite() {
    delete mock_;
    delete scan_;
    mock_ = nullptr;
    scan_ = nullptr;
    std::error_code ignored;
    fs::remove(report_, ignored);
  }
  void SetUp() override {
    if (mock_ == nullptr || !mock_->started() || scan_ == nullptr || !scan_->succeeded()) {
      FAIL() << "no scan to judge (see the suite's set-up)";
    }
  }
  static pugi::xml_node test() { return xml_.child("document").child("ssltest"); }

  static inline MockOnsChild* mock_ = nullptr;
  static inline ProcessResult* scan_ = nullptr;
  static inline fs::path report_;
  static inline pugi::xml_document xml_;
};

TEST_F(MockOnsTlsScan, OnlyTls12AndTls13AreEnabled) {
  unsigned seen = 0;
  for (const pugi::xml_node p : test().children("protocol")) {
    const std::string name = std::string(p.attribute("type").value()) + " " + p.attribute("version").value();
    const bool enabled = p.attribute("enabled").as_int() == 1;
    const bool allowed = name == "tls 1.2" || name == "tls 1.3";
    EXPECT_EQ(enabled, allowed) << name << (enabled ? " enabled" : " disabled") << "\n" << scan_->out;
    ++seen;
  }
  EXPECT_EQ(seen, 6u) << "sslscan reported " << seen << " protocols, expected SSLv2 .. TLS 1.3\n" << scan_->out;
}

TEST_F(MockOnsTlsScan, NoWeakNullAnonymousOrExportCipherIsAccepted) {
  const std::regex weak(R"((NULL|ANON|ADH|AECDH|EXP|RC4|RC2|IDEA|SEED|DES|MD5|PSK|SRP))", std::regex::icase);
  unsigned accepted = 0;
  for (const pugi::xml_node c : test().children("cipher")) {
    const std::string name = c.attribute("cipher").value();
    const std::string strength = c.attribute("strength").value();
    const std::string what = std::string(c.attribute("sslversion").value()) + " " + name + " (" + strength + ", " +
                             c.attribute("bits").value() + " bits)";
    EXPECT_TRUE(strength == "strong" || strength == "acceptable") << what;
    EXPECT_FALSE(std::regex_search(name, weak)) << what;
    EXPECT_GE(c.attribute("bits").as_int(), 128) << what;
    ++accepted;
  }
  // A scan that never completed a handshake would list no cipher and prove nothing.
  EXPECT_GE(accepted, 3u) << scan_->out;
}

// TLS 1.2 suites must be ECDHE and AEAD (docs/hardening.md, "TLS"): a static-RSA or DHE key
// exchange (AES128-GCM-SHA256, AES256-SHA, ...) or a CBC suite with an HMAC (…-SHA, …-SHA256,
// …-SHA384) fails; TLS 1.3 suites (TLS_…) are AEAD by definition.
TEST_F(MockOnsTlsScan, Tls12OffersOnlyEcdheAeadSuites) {
  const std::regex forward_secret(R"(^ECDHE-)");
  const std::regex aead(R"((GCM|CHACHA20-POLY1305|CCM))");
  unsigned tls12 = 0;
  for (const pugi::xml_node c : test().children("cipher")) {
    const std::string version = c.attribute("sslversion").value();
    const std::string name = c.attribute("cipher").value();
    if (version != "TLSv1.2") {
      EXPECT_EQ(name.rfind("TLS_", 0), 0u) << version << " " << name;
      continue;
    }
    EXPECT_TRUE(std::regex_search(name, forward_secret)) << "static key exchange: " << version << " " << name;
    EXPECT_TRUE(std::regex_search(name, aead)) << "CBC with an HMAC (SHA-1 or SHA-2): " << version << " " << name;
    ++tls12;
  }
  EXPECT_GE(tls12, 2u) << "expected ECDHE-RSA AES-GCM suites in TLS 1.2\n" << scan_->out;
}

TEST_F(MockOnsTlsScan, NoInsecureRenegotiationAndNoHeartbleed) {
  const pugi::xml_node r = test().child("renegotiation");
  ASSERT_TRUE(r) << "no renegotiation result\n" << scan_->out;
  EXPECT_FALSE(r.attribute("supported").as_int() == 1 && r.attribute("secure").as_int() != 1)
      << "insecure renegotiation\n" << scan_->out;
  for (const pugi::xml_node h : test().children("heartbleed")) {
    EXPECT_EQ(h.attribute("vulnerable").as_int(), 0) << h.attribute("sslversion").value();
  }
}

TEST_F(MockOnsTlsScan, NoCompressionInATls12Session) {
  const fs::path terminal = test_pki() / "terminals" / "1312345678";
  ProcessOptions options;
  options.stdin_data = "";
  options.merge_stderr = true;
  const ProcessResult session =
      run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(mock_->port()), "-tls1_2",
                   "-CAfile", (test_pki() / "ons-ca" / "cert.pem").string(), "-cert", (terminal / "cert.pem").string(),
                   "-key", (terminal / "key.pem").string(), "-no_ign_eof"},
                  options);
  EXPECT_NE(session.out.find("Protocol  : TLSv1.2"), std::string::npos) << session.describe() << session.out;
  EXPECT_NE(session.out.find("Compression: NONE"), std::string::npos) << session.out;
}

}  // namespace
}  // namespace onshi::testing
