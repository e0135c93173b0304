// The test PKI's terminal-CA CRL (DIR/terminal-ca/crl.pem, onshi/pki/crl.hpp) as OpenSSL's
// own `openssl crl` reads it: signed by the terminal CA, no revoked entries, current from when
// the PKI was made until its first terminal certificate expires.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/process.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

using namespace std::chrono_literals;

TEST(TerminalCrl, OpensslVerifiesTheWrittenCrlWithTheTerminalCa) {
  testing::TempDir dir;
  write_test_pki(testing::shared_pki(), dir.path());
  const PkiPaths paths(dir.path());
  const auto r = onshi::testing::run_process({"openssl", "crl", "-in", paths.terminal_ca_crl().string(), "-CAfile",
                                              paths.terminal_ca_cert().string(), "-noout", "-text"},
                                             {.timeout = 30s});
  ASSERT_EQ(r.exit_code, 0) << r.describe() << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("verify OK"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("No Revoked Certificates"), std::string::npos) << r.out;

  // Another CA does not verify it: the check above is not vacuous.
  const auto foreign = onshi::testing::run_process({"openssl", "crl", "-in", paths.terminal_ca_crl().string(), "-CAfile",
                                                    paths.foreign_ca_cert().string(), "-noout"},
                                                   {.timeout = 30s});
  EXPECT_EQ((foreign.out + foreign.err).find("verify OK"), std::string::npos) << foreign.out << foreign.err;
}

TEST(TerminalCrl, NextUpdateIsWhenTheFirstTerminalCertificateExpires) {
  testing::TempDir dir;
  const TestPki& pki = testing::shared_pki();
  write_test_pki(pki, dir.path());
  const auto r = onshi::testing::run_process(
      {"openssl", "crl", "-in", PkiPaths(dir.path()).terminal_ca_crl().string(), "-noout", "-nextupdate", "-dateopt", "iso_8601"},
      {.timeout = 30s});
  ASSERT_EQ(r.exit_code, 0) << r.describe() << r.err;
  WallTime first_expiry = pki.terminal_ca.certificate.not_after();
  for (const auto& [code, terminal] : pki.terminals) first_expiry = std::min(first_expiry, terminal.certificate.not_after());
  const std::time_t seconds = std::chrono::system_clock::to_time_t(first_expiry);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char expected[32];
  std::strftime(expected, sizeof expected, "%Y-%m-%d %H:%M:%S", &utc);
  EXPECT_NE(r.out.find(expected), std::string::npos) << r.out << " expected " << expected;
}

}  // namespace
}  // namespace onshi::pki
