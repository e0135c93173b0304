// examine_rig on real links: real TLS to a mock ONS on loopback, a real emulated reader,
// bad terminal certificates issued at test time with the pki issuing functions.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "onshi/doctor/doctor.hpp"
#include "onshi/pki/crl.hpp"
#include "onshi/pki/issue.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::doctor {
namespace {

using namespace std::chrono_literals;

const Finding* find(const std::vector<Finding>& findings, const std::string& check) {
  for (const auto& f : findings) {
    if (f.check == check) return &f;
  }
  return nullptr;
}

std::string listing(const std::vector<Finding>& findings) {
  std::ostringstream out;
  print_findings(out, findings);
  return out.str();
}

// A loopback port nothing listens on: bound, then closed.
std::uint16_t closed_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t length = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
  ::close(fd);
  return ntohs(a.sin_port);
}

class DoctorTest : public onshi::testing::MockOnsTest {
 protected:
  // A remote rig at this test's mock (or `port`), presenting `terminal` as its certificate.
  rig::RigConfig remote_rig(const pki::Credential& terminal, std::uint16_t port = 0,
                            const std::string& facility = onshi::testing::kTestFacility,
                            const std::filesystem::path& card_pki = {}) {
    terminal.certificate.write_pem_file(write_temp("terminal-cert.pem", "").string());
    terminal.key.write_pem_file(write_temp("terminal-key.pem", "").string());
    const std::string text = "name = \"doctor-remote\"\n[facility]\ncode = \"" + facility + "\"\n[pki]\ndir = \"" +
                             (card_pki.empty() ? paths().root() : card_pki).string() + "\"\n[ons]\nkind = \"remote\"\nurl = \"https://127.0.0.1:" +
                             std::to_string(port == 0 ? this->port() : port) + "\"\nserver_ca = \"" +
                             paths().ons_ca_cert().string() +
                             "\"\nclient_cert = \"terminal-cert.pem\"\nclient_key = \"terminal-key.pem\"\n[output]\ndir = \"out\"\n";
    const auto file = write_temp("rig.toml", text);
    return rig::parse_rig(text, file.string());
  }

  pki::Credential terminal_with(pki::ClientCertificateOptions options,
                                const std::string& facility = onshi::testing::kTestFacility) {
    options.key = test_pki().terminal(onshi::testing::kTestFacility).key;  // no slow RSA key generation
    return pki::issue_client_certificate(test_pki().terminal_ca.certificate, test_pki().terminal_ca.key, facility, options);
  }

  std::vector<Finding> examine(const rig::RigConfig& rig, const Clock* clock = nullptr) {
    DoctorOptions options;
    options.clock = clock;
    options.network_timeout = 5s;
    return examine_rig(rig, options);
  }
};

TEST_F(DoctorTest, TheDefaultEmulatedRigHasNoFailedFinding) {
  DoctorOptions options;
  options.pki_dir = paths().root();
  options.output_dir = write_temp("placeholder", "").parent_path() / "default-out";
  const auto findings = examine_rig(rig::load_rig(rig::default_rig_file()), options);
  EXPECT_TRUE(summarize(findings).healthy()) << listing(findings);
  for (const char* check : {"terminal_certificate.validity", "terminal_certificate.chain", "terminal_certificate.key",
                            "terminal_certificate.facility", "ons.tcp_connect", "ons.tls_handshake", "ons.request",
                            "card_pki.trusted_by_ons", "reader.present", "card.present", "results.folders"}) {
    const Finding* f = find(findings, check);
    ASSERT_NE(f, nullptr) << check << "\n" << listing(findings);
    EXPECT_EQ(f->severity, Finding::Severity::ok) << listing(findings);
  }
  EXPECT_NE(find(findings, "card.present")->what.find("ATR 3B"), std::string::npos) << listing(findings);
  EXPECT_NE(find(findings, "reader.present")->what.find("CCID"), std::string::npos) << listing(findings);
}

TEST_F(DoctorTest, TheSitesOwnCertificateAgainstItsMockIsHealthy) {
  const auto findings = examine(remote_rig(test_pki().terminal(onshi::testing::kTestFacility)));
  for (const char* check : {"terminal_certificate.validity", "terminal_certificate.chain", "terminal_certificate.facility",
                            "ons.tls_handshake", "card_pki.trusted_by_ons"}) {
    const Finding* f = find(findings, check);
    ASSERT_NE(f, nullptr) << check << "\n" << listing(findings);
    EXPECT_EQ(f->severity, Finding::Severity::ok) << listing(findings);
  }
}

TEST_F(DoctorTest, FindsAnExpiredTerminalCertificateAndSaysWhereANewOneComesFrom) {
  pki::ClientCertificateOptions o;
  o.not_before = std::chrono::system_clock::now() - 400 * 24h;
  o.not_after = std::chrono::system_clock::now() - 2 * 24h;
  const auto findings = examine(remote_rig(terminal_with(o)));
  const Finding* f = find(findings, "terminal_certificate.validity");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed);
  EXPECT_NE(f->what.find("expired on"), std::string::npos) << f->what;
  EXPECT_NE(f->fix.find("医療機関等向け総合ポータルサイト"), std::string::npos) << f->fix;
  EXPECT_NE(f->fix.find("[ons] client_cert"), std::string::npos) << f->fix;
  EXPECT_FALSE(summarize(findings).healthy());
}

TEST_F(DoctorTest, FindsANotYetValidTerminalCertificate) {
  pki::ClientCertificateOptions o;
  o.not_before = std::chrono::system_clock::now() + 10 * 24h;
  o.not_after = std::chrono::system_clock::now() + 400 * 24h;
  const auto findings = examine(remote_rig(terminal_with(o)));
  const Finding* f = find(findings, "terminal_certificate.validity");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed);
  EXPECT_NE(f->what.find("not valid yet"), std::string::npos) << f->what;
  EXPECT_NE(f->fix.find("clock"), std::string::npos) << f->fix;
}

TEST_F(DoctorTest, WarnsOfATerminalCertificateThatExpiresWithinThirtyDays) {
  pki::ClientCertificateOptions o;
  o.not_after = std::chrono::system_clock::now() + 10 * 24h;
  const auto findings = examine(remote_rig(terminal_with(o)));
  const Finding* f = find(findings, "terminal_certificate.validity");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::warning) << f->what;
  ASSERT_FALSE(f->measurements.empty());
  EXPECT_EQ(f->measurements.front().name, "days_to_expiry");
  EXPECT_EQ(f->measurements.front().verdict, run::MeasurementVerdict::marginal);
}

TEST_F(DoctorTest, FindsATerminalCertificateOfAForeignCa) {
  const auto findings = examine(remote_rig(test_pki().foreign_terminal, 0, test_pki().foreign_terminal_code));
  const Finding* f = find(findings, "terminal_certificate.chain");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed) << listing(findings);
  EXPECT_NE(f->what.find(test_pki().foreign_ca.certificate.subject()), std::string::npos) << f->what;
  EXPECT_FALSE(f->fix.empty());
}

TEST_F(DoctorTest, FindsATerminalCertificateOfAnotherFacility) {
  const auto findings = examine(remote_rig(terminal_with({}, "9999999999")));
  const Finding* f = find(findings, "terminal_certificate.facility");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed);
  EXPECT_NE(f->what.find("9999999999"), std::string::npos) << f->what;
  EXPECT_NE(f->what.find(onshi::testing::kTestFacility), std::string::npos) << f->what;
  EXPECT_NE(f->fix.find("facility_code"), std::string::npos) << f->fix;
}

// The README's remote-mock example: the mock runs on one test PKI, the rig's cards come from
// another whose CA names read the same.
TEST_F(DoctorTest, FindsACardPkiTheOnsDoesNotTrustAndNamesBothByFingerprint) {
  const auto other_dir = write_temp("placeholder", "").parent_path() / "other-pki";
  const pki::TestPki other = pki::ensure_test_pki(other_dir);
  const auto findings = examine(remote_rig(test_pki().terminal(onshi::testing::kTestFacility), 0,
                                           onshi::testing::kTestFacility, other_dir));
  const Finding* f = find(findings, "card_pki.trusted_by_ons");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed) << listing(findings);
  EXPECT_NE(f->what.find("the card PKI and the ONS PKI differ"), std::string::npos) << f->what;
  EXPECT_NE(f->what.find(other.jpki_ca.certificate.sha256_fingerprint()), std::string::npos) << f->what;
  EXPECT_NE(f->what.find(test_pki().ons_ca.certificate.sha256_fingerprint()), std::string::npos) << f->what;
  EXPECT_NE(f->fix.find("mock ons --pki"), std::string::npos) << f->fix;
}

TEST_F(DoctorTest, MeasuresTheClockSkewAgainstTheOnsDateHeader) {
  const auto findings = examine(remote_rig(test_pki().terminal(onshi::testing::kTestFacility)));
  const Finding* f = find(findings, "ons.clock_skew");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::ok) << f->what;
  ASSERT_EQ(f->measurements.size(), 1U);
  EXPECT_EQ(f->measurements.front().name, "clock_skew_s");
  EXPECT_LE(std::abs(std::get<double>(f->measurements.front().value)), 5.0);
}

TEST_F(DoctorTest, FindsATerminalClockHoursAwayFromTheOns) {
  const onshi::testing::TestClock two_hours_ahead(std::chrono::system_clock::now() + 2h);
  const auto findings = examine(remote_rig(test_pki().terminal(onshi::testing::kTestFacility)), &two_hours_ahead);
  const Finding* f = find(findings, "ons.clock_skew");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed) << f->what;
  EXPECT_NE(f->fix.find("NTP"), std::string::npos) << f->fix;
}

// [pki] crl on a rig of the embedded mock: the CRL is checked against the test PKI's terminal
// CA, and one that lists the facility's own terminal certificate fails with the renewal.
TEST_F(DoctorTest, FindsTheTerminalCertificateInTheRigsCrl) {
  const auto now = std::chrono::system_clock::now();
  pki::CrlSpec spec;
  spec.this_update = now - 1h;
  spec.next_update = now + 7 * 24h;
  spec.revoked = {test_pki().terminal(onshi::testing::kTestFacility).certificate};
  write_temp("terminal-ca.crl", pki::issue_crl_pem(test_pki().terminal_ca, spec));
  const std::string text = "name = \"doctor-crl\"\n[facility]\ncode = \"" + std::string(onshi::testing::kTestFacility) +
                           "\"\n[pki]\ndir = \"" + paths().root().string() +
                           "\"\ncrl = \"terminal-ca.crl\"\n[output]\ndir = \"out\"\n";
  const auto file = write_temp("crl-rig.toml", text);
  const auto findings = examine(rig::parse_rig(text, file.string()));
  for (const char* check : {"crl.file", "crl.signature", "crl.freshness"}) {
    const Finding* f = find(findings, check);
    ASSERT_NE(f, nullptr) << check << "\n" << listing(findings);
    EXPECT_EQ(f->severity, Finding::Severity::ok) << listing(findings);
  }
  EXPECT_NE(find(findings, "crl.signature")->what.find("the test PKI's terminal CA"), std::string::npos) << listing(findings);
  const Finding* revoked = find(findings, "crl.terminal_certificate");
  ASSERT_NE(revoked, nullptr) << listing(findings);
  EXPECT_EQ(revoked->severity, Finding::Severity::failed) << listing(findings);
  EXPECT_NE(revoked->what.find("is revoked"), std::string::npos) << revoked->what;
  EXPECT_FALSE(summarize(findings).healthy());
}

// A remote rig's CRL past its nextUpdate, checked against [pki] crl_issuer.
TEST_F(DoctorTest, FindsAnOutOfDateCrlOfARemoteRig) {
  const auto now = std::chrono::system_clock::now();
  pki::CrlSpec spec;
  spec.this_update = now - 10 * 24h;
  spec.next_update = now - 1h;
  rig::RigConfig rig = remote_rig(test_pki().terminal(onshi::testing::kTestFacility));
  rig.crl_file = write_temp("old.crl", pki::issue_crl_pem(test_pki().terminal_ca, spec));
  rig.crl_issuer_file = paths().terminal_ca_cert();
  const auto findings = examine(rig);
  const Finding* fresh = find(findings, "crl.freshness");
  ASSERT_NE(fresh, nullptr) << listing(findings);
  EXPECT_EQ(fresh->severity, Finding::Severity::failed) << listing(findings);
  EXPECT_NE(fresh->what.find("out of date"), std::string::npos) << fresh->what;
  EXPECT_NE(find(findings, "crl.signature")->what.find("[pki] crl_issuer"), std::string::npos) << listing(findings);
  EXPECT_EQ(find(findings, "crl.terminal_certificate")->severity, Finding::Severity::ok) << listing(findings);
}

TEST_F(DoctorTest, FindsAnUnreachableEndpoint) {
  const auto findings = examine(remote_rig(test_pki().terminal(onshi::testing::kTestFacility), closed_loopback_port()));
  const Finding* f = find(findings, "ons.tcp_connect");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed);
  EXPECT_NE(f->what.find("refused"), std::string::npos) << f->what;
  EXPECT_NE(f->fix.find("onshi-hil mock ons"), std::string::npos) << f->fix;
  EXPECT_EQ(find(findings, "ons.tls_handshake"), nullptr) << "no handshake without a connection";
}

TEST_F(DoctorTest, FindsAMissingReader) {
  const std::string text = "name = \"doctor-no-reader\"\n[facility]\ncode = \"1312345678\"\n[pki]\ndir = \"" +
                           paths().root().string() + "\"\n[card]\nkind = \"physical\"\n[reader]\nkind = \"usbip\"\n" +
                           "server = \"127.0.0.1:" + std::to_string(closed_loopback_port()) +
                           "\"\nbusid = \"1-1\"\n[output]\ndir = \"out\"\n";
  const auto findings = examine(rig::parse_rig(text, write_temp("rig.toml", text).string()));
  const Finding* f = find(findings, "reader.present");
  ASSERT_NE(f, nullptr) << listing(findings);
  EXPECT_EQ(f->severity, Finding::Severity::failed);
  EXPECT_NE(f->fix.find("usbip list -r"), std::string::npos) << f->fix;
}

}  // namespace
}  // namespace onshi::doctor
