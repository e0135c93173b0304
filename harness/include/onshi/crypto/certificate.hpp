#pragma once
// An owned X.509 certificate (OpenSSL X509) with the reads the harness needs: DER/PEM,
// subject, serial, fingerprint, validity, and checking a signature with its public key.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "onshi/core/bytes.hpp"

struct x509_st;

namespace onshi::crypto {

class Certificate {
 public:
  Certificate() = default;
  explicit Certificate(x509_st* cert);  // takes ownership

  // Throw Error(malformed_input) naming `source` on anything that is not a certificate.
  static Certificate from_der(ByteView der, const std::string& source = "DER");
  static Certificate from_pem(std::string_view pem, const std::string& source = "PEM");
  static Certificate load_pem_file(const std::filesystem::path& file);
  // Every certificate in a PEM bundle, in order.
  static std::vector<Certificate> load_pem_bundle(const std::filesystem::path& file);

  Bytes to_der() const;
  std::string to_pem() const;
  void write_pem_file(const std::filesystem::path& file) const;

  std::string subject() const;       // RFC 2253, e.g. "CN=...,O=...,C=JP"
  std::string issuer() const;
  std::string serial_hex() const;    // upper-case hex, no leading zeros
  std::string sha256_fingerprint() const;  // "AB:CD:..."
  std::chrono::system_clock::time_point not_before() const;
  std::chrono::system_clock::time_point not_after() const;
  // The value of one subject attribute by short name ("CN", "serialNumber", "O"), or "".
  std::string subject_attribute(const std::string& short_name) const;

  // True when `signature` is a valid RSA PKCS#1 v1.5 signature of SHA-256(message) by this
  // certificate's key.
  bool verify_sha256_pkcs1(ByteView message, ByteView signature) const;
  // True when this certificate was signed by `issuer`'s key.
  bool issued_by(const Certificate& issuer) const;

  x509_st* get() const { return cert_.get(); }
  explicit operator bool() const { return cert_ != nullptr; }

 private:
  std::shared_ptr<x509_st> cert_;
};

// The DER DigestInfo for SHA-256 over `message`: what a host sends to the card to sign.
Bytes sha256_digest_info(ByteView message);
Bytes sha256(ByteView message);
// Cryptographically random bytes (nonces).
Bytes random_bytes(std::size_t count);
// The OpenSSL error queue as text, cleared ("" when empty).
std::string drain_openssl_errors();

}  // namespace onshi::crypto
