// A test PKI that names the addresses the mock answers on (`pki --san`), the mock bound to one
// of them (`mock ons --bind`), and the terminal credential as PKCS#12 (`pki --p12`): what a
// vendor's terminal on another machine needs (docs/receipt-computer.md). Loopback only: the
// mock binds 127.0.0.2, which is loopback on Linux (127.0.0.0/8) but not the default address.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "onshi/config/data_paths.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kFacility = "1312345678";

class PkiSanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("onshi-pki-san-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  static testing::ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), ONSHI_CLI);
    return testing::run_process(args, {.timeout = 180s});
  }
  static std::string x509_text(const fs::path& cert) {
    const auto r = testing::run_process({"openssl", "x509", "-noout", "-text", "-in", cert.string()});
    EXPECT_TRUE(r.succeeded()) << r.describe();
    return r.out;
  }
  static std::string fingerprint(const fs::path& cert) {
    const auto r = testing::run_process({"openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", cert.string()});
    EXPECT_TRUE(r.succeeded()) << r.describe();
    return r.out;
  }

  // The mock on `address`, serving `pki`; returns its port.
  std::unique_ptr<testing::ChildProcess> start_mock(const fs::path& pki, const std::string& address, std::string& port) {
    auto mock = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{ONSHI_CLI, "mock", "ons", "--pki", pki.string(), "--bind", address, "--port", "0"},
        dir_ / "mock.log");
    std::vector<std::string> groups;
    const auto started = mock->wait_for_output(std::regex("listening on https://([0-9.]+):([0-9]+)"), 120s, &groups);
    EXPECT_TRUE(started);
    if (!started) return mock;
    EXPECT_EQ(groups.at(1), address);
    port = groups.at(2);
    return mock;
  }

  // curl as a vendor terminal would ask: the CA file to trust, the terminal's certificate, no -k.
  static testing::ProcessResult search(const fs::path& pki, const std::string& url, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"curl", "-sS", "--fail-with-body", "--max-time", "60", "--cacert",
                                     (pki / "ons-ca/cert.pem").string()};
    if (extra.empty()) {
      extra = {"--cert", (pki / "terminals" / kFacility / "cert.pem").string(), "--key",
               (pki / "terminals" / kFacility / "key.pem").string()};
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    for (const std::string a : {"-H", "Content-Type: application/xml", "--data-binary"}) argv.push_back(a);
    argv.push_back("@" + (config::fixtures_dir() / "requests" / "search-P001.xml").string());
    argv.push_back(url + "/onshi/v1/qualification/search");
    return testing::run_process(argv, {.timeout = 90s});
  }

  fs::path dir_;
};

TEST_F(PkiSanTest, NamedAddressesVerifyWithOpensslAndCurlAndTheP12IsTheTerminal) {
  const fs::path pki = dir_ / "pki";
  const auto made = cli({"pki", "--out", pki.string(), "--san", "DNS:onshi-mock.test,IP:127.0.0.2", "--p12"});
  ASSERT_TRUE(made.succeeded()) << made.describe();
  EXPECT_NE(made.out.find("DNS:onshi-mock.test"), std::string::npos) << made.out;

  const std::string text = x509_text(pki / "ons-server/cert.pem");
  EXPECT_NE(text.find("DNS:onshi-mock.test"), std::string::npos) << text;
  EXPECT_NE(text.find("IP Address:127.0.0.2"), std::string::npos) << text;
  EXPECT_NE(text.find("DNS:localhost"), std::string::npos) << text;  // the recipe's names stay
  EXPECT_NE(text.find("IP Address:127.0.0.1"), std::string::npos) << text;

  std::string port;
  const auto mock = start_mock(pki, "127.0.0.2", port);
  ASSERT_FALSE(port.empty()) << mock->output() << mock->errors();

  // openssl s_client checks the IP SAN itself (-verify_ip) and fails on any verify error.
  const auto s_client = testing::run_shell(
      "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.2:" + port + " -CAfile '" +
          (pki / "ons-ca/cert.pem").string() + "' -verify_ip 127.0.0.2 -verify_return_error -cert '" +
          (pki / "terminals" / kFacility / "cert.pem").string() + "' -key '" +
          (pki / "terminals" / kFacility / "key.pem").string() + "' 2>&1",
      {.timeout = 60s});
  EXPECT_NE(s_client.out.find("Verify return code: 0 (ok)"), std::string::npos) << s_client.describe() << s_client.out;

  const auto by_ip = search(pki, "https://127.0.0.2:" + port);
  EXPECT_TRUE(by_ip.succeeded()) << by_ip.describe() << by_ip.out;
  EXPECT_NE(by_ip.out.find("<ProcessingResultStatus>1</ProcessingResultStatus>"), std::string::npos) << by_ip.out;
  const auto by_name = search(pki, "https://onshi-mock.test:" + port,
                              {"--resolve", "onshi-mock.test:" + port + ":127.0.0.2", "--cert",
                               (pki / "terminals" / kFacility / "cert.pem").string(), "--key",
                               (pki / "terminals" / kFacility / "key.pem").string()});
  EXPECT_TRUE(by_name.succeeded()) << by_name.describe() << by_name.out;

  // The PKCS#12 holds the terminal's key, certificate and CA: curl presents it as the terminal.
  const fs::path p12 = pki / "terminals" / kFacility / "terminal.p12";
  ASSERT_TRUE(fs::exists(p12));
  EXPECT_EQ(fs::status(p12).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  const auto dump = testing::run_process(
      {"openssl", "pkcs12", "-in", p12.string(), "-passin", "pass:onshi-hil-test", "-nokeys", "-info"});
  ASSERT_TRUE(dump.succeeded()) << dump.describe();
  EXPECT_NE(dump.out.find(std::string("serialNumber = ") + kFacility), std::string::npos) << dump.out;
  EXPECT_NE(dump.out.find("onshi-hil test terminal CA"), std::string::npos) << dump.out;
  const auto wrong = testing::run_process({"openssl", "pkcs12", "-in", p12.string(), "-passin", "pass:guess", "-nokeys"});
  EXPECT_FALSE(wrong.succeeded()) << "a wrong password opened the PKCS#12";
  const auto by_p12 = search(pki, "https://127.0.0.2:" + port, {"--cert-type", "P12", "--cert", p12.string() + ":onshi-hil-test"});
  EXPECT_TRUE(by_p12.succeeded()) << by_p12.describe() << by_p12.out;
}

TEST_F(PkiSanTest, APkiWithoutTheAddressFailsVerificationThere) {
  // The shared test PKI names only the recipe's loopback names: 127.0.0.2 is not among them.
  const char* shared = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(shared, nullptr);
  std::string port;
  const auto mock = start_mock(shared, "127.0.0.2", port);
  ASSERT_FALSE(port.empty()) << mock->output() << mock->errors();
  const auto r = search(shared, "https://127.0.0.2:" + port);
  EXPECT_EQ(r.exit_code, 60) << r.describe();  // CURLE_PEER_FAILED_VERIFICATION
  const auto s_client = testing::run_shell("openssl s_client -connect 127.0.0.2:" + port + " -CAfile '" +
                                               (fs::path(shared) / "ons-ca/cert.pem").string() +
                                               "' -verify_ip 127.0.0.2 -verify_return_error </dev/null 2>&1",
                                           {.timeout = 60s});
  EXPECT_NE(s_client.out.find("IP address mismatch"), std::string::npos) << s_client.out;
}

TEST_F(PkiSanTest, AddingANameLaterKeepsTheCasAndTheTerminalCertificates) {
  const fs::path pki = dir_ / "pki";
  ASSERT_TRUE(cli({"pki", "--out", pki.string()}).succeeded());
  const std::string ca = fingerprint(pki / "ons-ca/cert.pem");
  const std::string terminal = fingerprint(pki / "terminals" / kFacility / "cert.pem");
  const std::string server = fingerprint(pki / "ons-server/cert.pem");
  EXPECT_EQ(x509_text(pki / "ons-server/cert.pem").find("127.0.0.3"), std::string::npos);

  const auto again = cli({"pki", "--out", pki.string(), "--san", "IP:127.0.0.3", "--san", "DNS:clinic-mock.lan"});
  ASSERT_TRUE(again.succeeded()) << again.describe();
  const std::string text = x509_text(pki / "ons-server/cert.pem");
  EXPECT_NE(text.find("IP Address:127.0.0.3"), std::string::npos) << text;
  EXPECT_NE(text.find("DNS:clinic-mock.lan"), std::string::npos) << text;
  EXPECT_NE(fingerprint(pki / "ons-server/cert.pem"), server);
  EXPECT_EQ(fingerprint(pki / "ons-ca/cert.pem"), ca) << "the CA a vendor's machine trusts must not change";
  EXPECT_EQ(fingerprint(pki / "terminals" / kFacility / "cert.pem"), terminal);
  const auto verify = testing::run_process({"openssl", "verify", "-CAfile", (pki / "ons-ca/cert.pem").string(),
                                            (pki / "ons-server/cert.pem").string()});
  EXPECT_TRUE(verify.succeeded()) << verify.describe();

  // The same names again change nothing.
  const std::string reissued = fingerprint(pki / "ons-server/cert.pem");
  ASSERT_TRUE(cli({"pki", "--out", pki.string(), "--san", "IP:127.0.0.3"}).succeeded());
  EXPECT_EQ(fingerprint(pki / "ons-server/cert.pem"), reissued);
}

TEST_F(PkiSanTest, ABadNameIsAnErrorNamingItAndWritesNothing) {
  const fs::path pki = dir_ / "pki";
  for (const std::string bad : {"IP:300.1.2.3", "DNS:under_score.lan", "URI:https://x", "DNS:ok.lan,"}) {
    SCOPED_TRACE(bad);
    const auto r = cli({"pki", "--out", pki.string(), "--san", bad});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("--san"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(pki));
  }
  const auto r = cli({"pki", "--out", pki.string(), "--san", "IP:300.1.2.3"});
  EXPECT_NE(r.err.find("'IP:300.1.2.3'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace onshi
