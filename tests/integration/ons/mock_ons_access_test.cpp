// Who may ask the mock ONS: the whole certificate matrix over real TLS on 127.0.0.1. Every
// refusal is checked twice: the client is turned away, and the journal names the reason.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/core/error.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/pki/crl.hpp"
#include "onshi/pki/issue.hpp"

namespace onshi::testing {
namespace {

using mocks::ons::MockLogEntry;
using namespace std::chrono_literals;

class MockOnsAccessTest : public MockOnsTest {
 protected:
  // A terminal certificate for `facility` from the terminal CA, with the facility's own key.
  pki::Credential issue(pki::ClientCertificateOptions o, const std::string& facility = kTestFacility) const {
    o.key = test_pki().terminal(facility).key;
    return pki::issue_client_certificate(test_pki().terminal_ca.certificate, test_pki().terminal_ca.key, facility, o);
  }

  tls::HttpsClientOptions options_for(const pki::Credential& cred, const std::string& name) const {
    tls::HttpsClientOptions o = client_options();
    o.tls.cert_file = write_temp(name + "-cert.pem", cred.certificate.to_pem());
    o.tls.key_file = write_temp(name + "-key.pem", cred.key.to_pem());
    return o;
  }

  tls::HttpResponse inquire(tls::HttpsClientOptions o) const {
    tls::HttpsClient client(std::move(o));
    client.connect("127.0.0.1", port());
    return client.request("POST", ons::kCardInquiryPath, {{"Content-Type", "application/xml"}},
                          ons::encode_xml(card_inquiry("P001")));
  }

  // The client is refused (TLS error at handshake or first read), and the journal says why.
  void expect_refused(tls::HttpsClientOptions o, const std::string& reason) {
    EXPECT_THROW(inquire(std::move(o)), Error);
    MockLogEntry e;
    ASSERT_TRUE(wait_for_journal_entry([&](const MockLogEntry& x) { return !x.refusal.empty(); }, "with a refusal", &e));
    EXPECT_EQ(e.refusal, reason) << e.note;
    EXPECT_EQ(e.kind, MockLogEntry::Kind::handshake_failure);
    EXPECT_EQ(server().stats().requests, 0u);
  }
};

TEST_F(MockOnsAccessTest, ValidTerminalCertificateIsAnsweredAndJournaled) {
  const tls::HttpResponse r = inquire(client_options());
  ASSERT_EQ(r.status, 200u) << r.body;
  MockLogEntry e;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.status == 200; }, "answered 200", &e));
  const crypto::Certificate& cert = test_pki().terminal(kTestFacility).certificate;
  EXPECT_EQ(e.client_serial, cert.serial_hex());
  EXPECT_EQ(e.client_fingerprint, cert.sha256_fingerprint());
  EXPECT_EQ(e.client_subject, cert.subject());
  EXPECT_EQ(e.facility_code, kTestFacility);
  EXPECT_EQ(e.patient_id, "P001");
  EXPECT_TRUE(e.refusal.empty());
  EXPECT_GT(e.request_bytes, 0u);
  EXPECT_GT(e.response_bytes, 0u);
  EXPECT_NE(std::find(e.consents.begin(), e.consents.end(), "PharmacistsInfo=consented"), e.consents.end());
  EXPECT_NE(std::find(e.consents.begin(), e.consents.end(), "DiagnosisInfo=declined"), e.consents.end());
  EXPECT_NE(std::find(e.consents.begin(), e.consents.end(), "OperationInfo=not_asked"), e.consents.end());
}

TEST_F(MockOnsAccessTest, NoCertificateIsRefused) {
  tls::HttpsClientOptions o = client_options();
  o.tls.cert_file.clear();
  o.tls.key_file.clear();
  expect_refused(o, "no_certificate");
}

TEST_F(MockOnsAccessTest, CertificateFromAnotherCaIsRefused) {
  tls::HttpsClientOptions o = client_options();
  o.tls.cert_file = paths().foreign_terminal_cert();
  o.tls.key_file = paths().foreign_terminal_key();
  expect_refused(o, "untrusted_issuer");
}

TEST_F(MockOnsAccessTest, ExpiredCertificateIsRefused) {
  pki::ClientCertificateOptions c;
  const WallTime now = SystemClock::instance().wall_now();
  c.not_before = now - std::chrono::hours(24 * 30);
  c.not_after = now - std::chrono::hours(24);
  expect_refused(options_for(issue(c), "expired"), "expired");
}

TEST_F(MockOnsAccessTest, NotYetValidCertificateIsRefused) {
  pki::ClientCertificateOptions c;
  const WallTime now = SystemClock::instance().wall_now();
  c.not_before = now + std::chrono::hours(24);
  c.not_after = now + std::chrono::hours(24 * 30);
  expect_refused(options_for(issue(c), "future"), "not_yet_valid");
}

TEST_F(MockOnsAccessTest, CertificateWithoutClientAuthIsRefused) {
  pki::ClientCertificateOptions c;
  c.client_auth_eku = false;
  expect_refused(options_for(issue(c), "no-eku"), "no_client_auth");
}

TEST_F(MockOnsAccessTest, FacilityMismatchIsRefusedWithItsOwnReason) {
  // Certificate of 2798765432, request claiming 1312345678.
  const tls::HttpResponse r = inquire(client_options(kOtherTestFacility));
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(ons::decode_result(r.body).header.error_code, "HIL0403");
  MockLogEntry e;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.status == 403; }, "answered 403", &e));
  EXPECT_EQ(e.refusal, "facility_mismatch");
  EXPECT_EQ(e.facility_code, kOtherTestFacility);
}

TEST_F(MockOnsAccessTest, Tls11IsRefused) {
  const ProcessResult p = run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port()),
                                       "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert",
                                       paths().terminal_cert(kTestFacility).string(), "-key",
                                       paths().terminal_key(kTestFacility).string()});
  EXPECT_NE(p.exit_code, 0);
  MockLogEntry e;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return !x.refusal.empty(); }, "with a refusal", &e));
  EXPECT_EQ(e.refusal, "tls_version") << e.note;
}

// The terminal CA's CRL revokes one certificate; the facility's regular one still works.
class MockOnsRevocationTest : public MockOnsAccessTest {
 protected:
  void customise(mocks::ons::OnsMockOptions& o) override {
    pki::ClientCertificateOptions c;
    revoked_ = issue(c);
    const WallTime now = SystemClock::instance().wall_now();
    pki::CrlSpec spec;
    spec.this_update = now - std::chrono::hours(1);
    spec.next_update = now + std::chrono::hours(24);
    spec.revoked = {revoked_.certificate};
    crl_file_ = std::filesystem::temp_directory_path() / ("onshi-crl-" + std::to_string(getpid()) + ".pem");
    std::ofstream(crl_file_) << pki::issue_crl_pem(test_pki().terminal_ca, spec);
    o.tls.client_crl_file = crl_file_;
  }
  void TearDown() override {
    MockOnsAccessTest::TearDown();
    std::filesystem::remove(crl_file_);
  }
  pki::Credential revoked_;
  std::filesystem::path crl_file_;
};

TEST_F(MockOnsRevocationTest, RevokedCertificateIsRefusedAndOthersStillServed) {
  expect_refused(options_for(revoked_, "revoked"), "revoked");
  EXPECT_EQ(inquire(client_options()).status, 200u);
}

}  // namespace
}  // namespace onshi::testing
