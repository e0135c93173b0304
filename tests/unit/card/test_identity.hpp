#pragma once
// A throwaway JPKI-like identity for the card tests: an RSA-2048 CA and a user-authentication
// certificate it issued, generated with OpenSSL once per test process (no key is committed,
// and the fixtures' test PKI is not needed here).
#include <string>

#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"

namespace onshi::testing {

struct TestIdentity {
  crypto::PrivateKey ca_key;
  crypto::Certificate ca_cert;
  crypto::PrivateKey auth_key;
  crypto::Certificate auth_cert;
};

const TestIdentity& shared_test_identity();

inline const std::string test_auth_pin = "1234";

}  // namespace onshi::testing
