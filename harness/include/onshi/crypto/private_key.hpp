#pragma once
// An owned OpenSSL private key (EVP_PKEY) with PEM in/out and the one signing primitive a
// smart card offers: PKCS#1 v1.5 type-1 over a DigestInfo the caller built.
#include <filesystem>
#include <memory>
#include <string>

#include "onshi/core/bytes.hpp"

struct evp_pkey_st;

namespace onshi::crypto {

class PrivateKey {
 public:
  PrivateKey() = default;
  // Takes ownership of `key`.
  explicit PrivateKey(evp_pkey_st* key);

  static PrivateKey generate_rsa(unsigned bits = 2048);
  // Throws Error(malformed_input) naming `source` when the PEM does not hold a private key.
  static PrivateKey from_pem(std::string_view pem, const std::string& source = "PEM");
  static PrivateKey load_pem_file(const std::filesystem::path& file);

  std::string to_pem() const;  // PKCS#8, unencrypted (test keys only)
  void write_pem_file(const std::filesystem::path& file) const;  // mode 0600

  // Raw RSA with PKCS#1 v1.5 type-1 padding over `digest_info` as given (what the card's
  // 80 2A does). Throws Error(crypto) when the input is too long for the modulus.
  Bytes sign_pkcs1_raw(ByteView digest_info) const;
  unsigned bits() const;

  evp_pkey_st* get() const { return key_.get(); }
  explicit operator bool() const { return key_ != nullptr; }

 private:
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace onshi::crypto
