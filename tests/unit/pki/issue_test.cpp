#include <set>

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"
#include "onshi/pki/issue.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

using testing::shared_pki;
using testing::verify_chain;
constexpr auto kDay = std::chrono::hours(24);

// Reuses an existing key so these tests generate none.
ClientCertificateOptions reuse_key() {
  ClientCertificateOptions options;
  options.key = shared_pki().terminals.begin()->second.key;
  return options;
}

TEST(pkiIssueClientCertificate, DefaultIsAValidTerminalCertificate) {
  const auto& pki = shared_pki();
  const Credential c =
      issue_client_certificate(pki.terminal_ca.certificate, pki.terminal_ca.key, "1312345678", reuse_key());
  EXPECT_TRUE(c.key_matches());
  EXPECT_EQ(c.certificate.subject_attribute("serialNumber"), "1312345678");
  EXPECT_EQ(c.certificate.subject_attribute("CN"), "onshi-hil terminal 1312345678");
  EXPECT_EQ(verify_chain(c.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_NE(verify_chain(c.certificate, pki.foreign_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_TRUE(X509_get_extended_key_usage(c.certificate.get()) & XKU_SSL_CLIENT);
}

TEST(pkiIssueClientCertificate, ExpiredAndNotYetValid) {
  const auto& pki = shared_pki();
  const auto now = std::chrono::system_clock::now();
  auto options = reuse_key();
  options.not_before = now - 30 * kDay;
  options.not_after = now - 2 * kDay;
  const Credential expired = issue_client_certificate(pki.terminal_ca.certificate, pki.terminal_ca.key, "1312345678", options);
  EXPECT_EQ(verify_chain(expired.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT),
            X509_V_ERR_CERT_HAS_EXPIRED);

  options.not_before = now + 2 * kDay;
  options.not_after = now + 30 * kDay;
  const Credential future = issue_client_certificate(pki.terminal_ca.certificate, pki.terminal_ca.key, "1312345678", options);
  EXPECT_EQ(verify_chain(future.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT),
            X509_V_ERR_CERT_NOT_YET_VALID);
}

TEST(pkiIssueClientCertificate, WithoutClientAuthEku) {
  const auto& pki = shared_pki();
  auto options = reuse_key();
  options.client_auth_eku = false;
  const Credential c = issue_client_certificate(pki.terminal_ca.certificate, pki.terminal_ca.key, "1312345678", options);
  EXPECT_EQ(X509_get_ext_by_NID(c.certificate.get(), NID_ext_key_usage, -1), -1);
}

TEST(pkiIssueClientCertificate, CustomSubjectStillCarriesTheCode) {
  const auto& pki = shared_pki();
  auto options = reuse_key();
  options.subject = {{"C", "JP"}, {"O", "other"}, {"CN", "someone else"}};
  const Credential c = issue_client_certificate(pki.foreign_ca.certificate, pki.foreign_ca.key, "2798765432", options);
  EXPECT_EQ(c.certificate.subject(), "serialNumber=2798765432,CN=someone else,O=other,C=JP");
  EXPECT_EQ(verify_chain(c.certificate, pki.foreign_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
}

TEST(pkiIssueCertificate, RejectsBadInput) {
  const auto& pki = shared_pki();
  const auto now = std::chrono::system_clock::now();
  CertificateSpec spec;
  spec.subject = {{"CN", "x"}};
  spec.not_before = now;
  spec.not_after = now - kDay;
  const crypto::PrivateKey& key = pki.ons_server.key;
  EXPECT_THROW(issue_certificate(spec, key, &pki.ons_ca), Error);  // notAfter before notBefore

  spec.not_after = now + kDay;
  const Credential mismatched{pki.ons_ca.certificate, pki.terminal_ca.key};
  try {
    issue_certificate(spec, key, &mismatched);
    ADD_FAILURE() << "issued with a key that does not match the CA certificate";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
  spec.subject = {{"NoSuchAttribute", "x"}};
  EXPECT_THROW(issue_certificate(spec, key, &pki.ons_ca), Error);
  spec.subject = {{"CN", "x"}};
  spec.profile = CertificateProfile::server;
  spec.ip_addresses = {"not-an-ip"};
  EXPECT_THROW(issue_certificate(spec, key, &pki.ons_ca), Error);
}

TEST(pkiIssueCertificate, SerialsAreRandomPositiveAndWide) {
  const auto& pki = shared_pki();
  std::set<std::string> serials;
  for (int i = 0; i < 16; ++i) {
    const Credential c = issue_client_certificate(pki.terminal_ca.certificate, pki.terminal_ca.key, "1312345678", reuse_key());
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c.certificate.get()), nullptr);
    EXPECT_FALSE(BN_is_negative(serial));
    EXPECT_GE(BN_num_bits(serial), 64);
    BN_free(serial);
    serials.insert(c.certificate.serial_hex());
  }
  EXPECT_EQ(serials.size(), 16u);
}

}  // namespace
}  // namespace onshi::pki
