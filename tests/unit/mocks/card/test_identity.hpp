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
  crypto::PrivateKey sign_key;  // another patient's key from the test PKI: no keygen per process
  crypto::Certificate sign_cert;
  crypto::Certificate terminal_ca_cert;  // 特定機関認証 trust anchor
  crypto::PrivateKey terminal_key;
  crypto::Certificate terminal_cert;
  crypto::PrivateKey foreign_terminal_key;  // issued by a CA the card does not trust
  crypto::Certificate foreign_terminal_cert;
};

const TestIdentity& shared_test_identity();

inline const std::string test_auth_pin = "1234";
inline const std::string test_sign_password = "SIGNPASS1";
inline const std::string test_kenhojo_pin = "5678";
inline const std::string test_my_number = "621498320257";
inline const std::string test_birthdate = "19850412";
inline const std::string test_card_expiry = "20341231";
inline const std::string test_security_code = "4321";
inline const std::string test_collation_number_b = "850412" "2034" "4321";

}  // namespace onshi::testing
