// One client certificate per terminal PC (onshi/pki/pc_credential.hpp): issued by the test
// PKI's terminal CA for the facility, distinct from the facility's own and from another PC's,
// made once and then reused, issued again when the PKI's terminal CA changed.
#include <gtest/gtest.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"
#include "onshi/pki/pc_credential.hpp"
#include "onshi/testing/error_of.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

TEST(PcCredential, EachPcHasItsOwnCertificateOfTheFacilityChainingToTheTerminalCa) {
  testing::TempDir dir;
  const TestPki& pki = testing::shared_pki();
  const std::string code = pki.terminals.begin()->first;
  const PcCredential viewer = ensure_pc_credential(dir.path(), pki, code, "viewer");
  const PcCredential ehr = ensure_pc_credential(dir.path(), pki, code, "ehr");
  EXPECT_TRUE(viewer.credential.key_matches());
  EXPECT_EQ(testing::verify_chain(viewer.credential.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_EQ(viewer.credential.certificate.subject_attribute("serialNumber"), code);
  EXPECT_NE(viewer.credential.certificate.subject_attribute("CN").find("pc viewer"), std::string::npos);
  EXPECT_NE(viewer.credential.certificate.sha256_fingerprint(), ehr.credential.certificate.sha256_fingerprint());
  EXPECT_NE(viewer.credential.certificate.sha256_fingerprint(), pki.terminal(code).certificate.sha256_fingerprint());
  EXPECT_EQ(viewer.cert_file, dir.path() / "terminals" / code / "pcs" / "viewer" / "cert.pem");

  // Asked again: the same pair from disk.
  const PcCredential again = ensure_pc_credential(dir.path(), pki, code, "viewer");
  EXPECT_EQ(again.credential.certificate.sha256_fingerprint(), viewer.credential.certificate.sha256_fingerprint());
}

TEST(PcCredential, APcOfAnEarlierPkiIsIssuedAgainByTheCurrentTerminalCa) {
  testing::TempDir dir;
  const TestPki& pki = testing::shared_pki();
  const std::string code = pki.terminals.begin()->first;
  TestPki other = pki;
  other.terminal_ca = pki.foreign_ca;  // as if the PKI had been regenerated with another CA
  const PcCredential stale = ensure_pc_credential(dir.path(), other, code, "viewer");
  const PcCredential current = ensure_pc_credential(dir.path(), pki, code, "viewer");
  EXPECT_NE(stale.credential.certificate.sha256_fingerprint(), current.credential.certificate.sha256_fingerprint());
  EXPECT_TRUE(current.credential.certificate.issued_by(pki.terminal_ca.certificate));
}

TEST(PcCredential, ABadPcNameOrAnUnknownFacilityIsRefusedByName) {
  testing::TempDir dir;
  const TestPki& pki = testing::shared_pki();
  const std::string code = pki.terminals.begin()->first;
  const Error name = onshi::testing::error_of([&] { ensure_pc_credential(dir.path(), pki, code, "../etc"); });
  EXPECT_EQ(name.code(), ErrorCode::invalid_argument);
  EXPECT_NE(std::string(name.what()).find("'../etc'"), std::string::npos) << name.what();
  const Error facility = onshi::testing::error_of([&] { ensure_pc_credential(dir.path(), pki, "9999999999", "viewer"); });
  EXPECT_EQ(facility.code(), ErrorCode::not_found);
  EXPECT_NE(std::string(facility.what()).find("9999999999"), std::string::npos) << facility.what();
}

}  // namespace
}  // namespace onshi::pki
