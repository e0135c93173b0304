#pragma once
// Issuing X.509v3 certificates with the OpenSSL 3 C API: random positive 127-bit serials,
// SHA-256 signatures, SKI/AKI, and one of three extension profiles (CA, TLS server, TLS client).
// Used by the test-PKI generator and by tests that need an extra (possibly faulty) leaf.
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/pki/credential.hpp"
#include "onshi/pki/distinguished_name.hpp"

namespace onshi::pki {

enum class CertificateProfile {
  ca,      // basicConstraints critical CA:TRUE; keyUsage critical keyCertSign, cRLSign
  server,  // CA:FALSE; keyUsage critical digitalSignature, keyEncipherment; EKU serverAuth; SAN
  client,  // CA:FALSE; keyUsage critical digitalSignature; EKU clientAuth
  signing, // CA:FALSE; keyUsage critical digitalSignature, nonRepudiation; EKU emailProtection, codeSigning
};

struct CertificateSpec {
  DistinguishedName subject;
  CertificateProfile profile = CertificateProfile::client;
  WallTime not_before{};
  WallTime not_after{};
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries ("127.0.0.1", "::1")
  bool extended_key_usage = true;         // false: leave out serverAuth/clientAuth (fault tests)
};

// Certifies `subject_key` as described by `spec`, signed by `issuer` (its key must match its
// certificate), or self-signed by `subject_key` when `issuer` is null.
// Throws Error(invalid_argument) for an empty subject, an unknown attribute, a bad IP or
// not_after <= not_before; Error(crypto) when OpenSSL fails.
crypto::Certificate issue_certificate(const CertificateSpec& spec, const crypto::PrivateKey& subject_key,
                                      const Credential* issuer);

// A fresh key plus a self-signed CA certificate.
Credential make_ca(const DistinguishedName& subject, WallTime not_before, WallTime not_after,
                   unsigned key_bits = 2048);

struct ClientCertificateOptions {
  std::optional<WallTime> not_before;  // default: now - 1 day
  std::optional<WallTime> not_after;   // default: now + 397 days (may lie in the past)
  bool client_auth_eku = true;         // false: no extendedKeyUsage at all
  // Subject without the serialNumber; empty: C=JP, O=onshi-hil test PKI,
  // CN=onshi-hil terminal <code>. serialNumber=<facility_code> is always appended.
  DistinguishedName subject;
  crypto::PrivateKey key;              // empty: a fresh RSA key of key_bits (slow-ish)
  unsigned key_bits = 2048;
};

// An extra terminal client certificate for `facility_code`, issued by (ca_cert, ca_key), for
// fault-matrix tests (expired, not yet valid, no clientAuth, other CA, other code).
Credential issue_client_certificate(const crypto::Certificate& ca_cert, const crypto::PrivateKey& ca_key,
                                    const std::string& facility_code,
                                    const ClientCertificateOptions& options = {});

}  // namespace onshi::pki
