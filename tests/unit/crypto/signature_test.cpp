// The card's signing primitive and its check: PKCS#1 v1.5 over a SHA-256 DigestInfo, signed
// with a patient's key and verified with the certificate; any change to message, signature
// or key makes verification fail.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::crypto {
namespace {

class Signature : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register with NEEDS_PKI)";
    const pki::PkiPaths paths(*dir);
    cert_ = Certificate::load_pem_file(paths.patient_auth_cert("P001"));
    key_ = PrivateKey::load_pem_file(paths.patient_auth_key("P001"));
    other_key_ = PrivateKey::load_pem_file(paths.patient_auth_key("P002"));
  }
  Certificate cert_;
  PrivateKey key_;
  PrivateKey other_key_;
};

TEST_F(Signature, SignThenVerifyRoundTrips) {
  const Bytes challenge = random_bytes(32);
  const Bytes signature = key_.sign_pkcs1_raw(sha256_digest_info(challenge));
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(cert_.verify_sha256_pkcs1(challenge, signature));
  // PKCS#1 v1.5 is deterministic: the same input signs the same.
  EXPECT_EQ(key_.sign_pkcs1_raw(sha256_digest_info(challenge)), signature);
}

TEST_F(Signature, AWrongSignatureFails) {
  const Bytes challenge = random_bytes(32);
  Bytes signature = key_.sign_pkcs1_raw(sha256_digest_info(challenge));
  Bytes other_message = challenge;
  other_message[0] ^= 0x01;
  EXPECT_FALSE(cert_.verify_sha256_pkcs1(other_message, signature));
  EXPECT_FALSE(cert_.verify_sha256_pkcs1(challenge, other_key_.sign_pkcs1_raw(sha256_digest_info(challenge))));
  signature.back() ^= 0x80;
  EXPECT_FALSE(cert_.verify_sha256_pkcs1(challenge, signature));
  EXPECT_FALSE(cert_.verify_sha256_pkcs1(challenge, Bytes{}));
  EXPECT_FALSE(cert_.verify_sha256_pkcs1(challenge, Bytes(256, 0)));
}

TEST_F(Signature, DigestInfoIsTheSha256PrefixAndTheDigest) {
  const Bytes d = sha256_digest_info(to_bytes("abc"));
  ASSERT_EQ(d.size(), 51u);
  EXPECT_EQ(to_hex(Bytes(d.begin(), d.begin() + 19)), "3031300D060960864801650304020105000420");
  EXPECT_EQ(Bytes(d.begin() + 19, d.end()), sha256(to_bytes("abc")));
  EXPECT_EQ(to_hex(sha256(to_bytes("abc"))), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
}

TEST_F(Signature, InputTooLongForTheModulusIsACryptoError) {
  try {
    key_.sign_pkcs1_raw(Bytes(300, 0x11));
    FAIL() << "signed 300 bytes with a 2048-bit key";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crypto) << e.what();
  }
}

}  // namespace
}  // namespace onshi::crypto
