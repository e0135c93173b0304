// Certificates and keys in and out: DER and PEM round trips, and garbage refused with an
// Error that names where it came from, never a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/testing/error_of.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::crypto {
namespace {

pki::PkiPaths shared_paths() {
  const auto dir = pki::test_pki_dir_from_environment();
  if (!dir) throw std::runtime_error("ONSHI_TEST_PKI is not set (register with NEEDS_PKI)");
  return pki::PkiPaths(*dir);
}

using onshi::testing::error_of;

// A load run parses the same card certificate for every reception; equal bytes share one parse.
TEST(Certificate, EqualDerBytesShareOneParseAndOtherBytesDoNot) {
  const Certificate ca = Certificate::load_pem_file(shared_paths().ons_ca_cert());
  const Certificate server = Certificate::load_pem_file(shared_paths().ons_server_cert());
  const Certificate first = Certificate::from_der(ca.to_der());
  const Certificate again = Certificate::from_der(ca.to_der());
  EXPECT_EQ(first.get(), again.get());
  const Certificate other = Certificate::from_der(server.to_der());
  EXPECT_NE(other.get(), first.get());
  EXPECT_EQ(other.subject(), server.subject());
  // Trailing bytes make other bytes: parsed afresh, and still the same certificate.
  Bytes padded = ca.to_der();
  padded.push_back(0x00);
  const Certificate from_padded = Certificate::from_der(padded);
  EXPECT_NE(from_padded.get(), first.get());
  EXPECT_EQ(from_padded.sha256_fingerprint(), ca.sha256_fingerprint());
  // A malformed input is refused every time, never remembered as a certificate.
  Bytes cut = ca.to_der();
  cut.resize(cut.size() / 2);
  EXPECT_EQ(error_of([&] { Certificate::from_der(cut, "cut"); }).code(), ErrorCode::malformed_input);
  EXPECT_EQ(error_of([&] { Certificate::from_der(cut, "cut again"); }).context(), "cut again");
}

TEST(Certificate, LoadsPemAndRoundTripsDerAndPem) {
  const Certificate ca = Certificate::load_pem_file(shared_paths().ons_ca_cert());
  ASSERT_TRUE(ca);
  EXPECT_FALSE(ca.subject().empty());
  EXPECT_EQ(ca.subject(), ca.issuer());  // a root
  const Certificate from_der = Certificate::from_der(ca.to_der());
  EXPECT_EQ(from_der.sha256_fingerprint(), ca.sha256_fingerprint());
  EXPECT_EQ(Certificate::from_pem(ca.to_pem()).to_der(), ca.to_der());
  EXPECT_TRUE(ca.issued_by(ca));
  const Certificate server = Certificate::load_pem_file(shared_paths().ons_server_cert());
  EXPECT_TRUE(server.issued_by(ca));
  EXPECT_FALSE(server.issued_by(Certificate::load_pem_file(shared_paths().foreign_ca_cert())));
}

TEST(Certificate, GarbageDerIsMalformedInputNamingTheSource) {
  const Error e = error_of([] { Certificate::from_der(from_hex("3082FFFF0102"), "EF 000A"); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.context(), "EF 000A");
  EXPECT_EQ(e.message().rfind("not a DER X.509 certificate", 0), 0u) << e.what();
  EXPECT_EQ(error_of([] { Certificate::from_der(Bytes{}); }).code(), ErrorCode::malformed_input);
  // A valid certificate cut short is garbage too.
  Bytes cut = Certificate::load_pem_file(shared_paths().ons_ca_cert()).to_der();
  cut.resize(cut.size() / 2);
  EXPECT_EQ(error_of([&] { Certificate::from_der(cut, "truncated"); }).context(), "truncated");
}

TEST(Certificate, BadPemAndMissingFilesAreNamed) {
  const Error pem = error_of([] { Certificate::from_pem("-----BEGIN CERTIFICATE-----\nnot base64\n", "server_ca"); });
  EXPECT_EQ(pem.code(), ErrorCode::malformed_input);
  EXPECT_EQ(pem.context(), "server_ca");
  const std::filesystem::path missing = "/nonexistent/onshi/cert.pem";
  const Error file = error_of([&] { Certificate::load_pem_file(missing); });
  EXPECT_EQ(file.code(), ErrorCode::not_found);
  EXPECT_EQ(file.context(), missing.string());
}

TEST(PrivateKey, LoadsPemRoundTripsAndRefusesGarbageNamingTheSource) {
  const PrivateKey key = PrivateKey::load_pem_file(shared_paths().patient_auth_key("P001"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key.bits(), 2048u);
  EXPECT_EQ(PrivateKey::from_pem(key.to_pem()).to_pem(), key.to_pem());
  const Error garbage = error_of([] { PrivateKey::from_pem("-----BEGIN " "PRIVATE KEY-----\nAAAA\n", "client_key"); });  // a PEM header, no key
  EXPECT_EQ(garbage.code(), ErrorCode::malformed_input);
  EXPECT_EQ(garbage.context(), "client_key");
  // A certificate is not a key.
  const std::string cert_pem = Certificate::load_pem_file(shared_paths().ons_ca_cert()).to_pem();
  EXPECT_EQ(error_of([&] { PrivateKey::from_pem(cert_pem, "ca as key"); }).context(), "ca as key");
  const Error file = error_of([] { PrivateKey::load_pem_file("/nonexistent/onshi/key.pem"); });
  EXPECT_EQ(file.code(), ErrorCode::not_found);
  EXPECT_EQ(file.context(), "/nonexistent/onshi/key.pem");
}

TEST(PrivateKey, WrittenKeyFilesAreMode0600) {
  const PrivateKey key = PrivateKey::load_pem_file(shared_paths().patient_auth_key("P001"));
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("onshi-key-" + std::to_string(::getpid()) + ".pem");
  key.write_pem_file(file);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(PrivateKey::load_pem_file(file).to_pem(), key.to_pem());
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace onshi::crypto
