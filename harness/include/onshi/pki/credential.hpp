#pragma once
// A certificate with its private key: what a CA signs with and what a TLS peer presents.
#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"

namespace onshi::pki {

struct Credential {
  crypto::Certificate certificate;
  crypto::PrivateKey key;

  explicit operator bool() const { return certificate && key; }
  // True when `key` is the private half of the certificate's public key.
  bool key_matches() const;
};

}  // namespace onshi::pki
