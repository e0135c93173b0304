#pragma once
// What was negotiated on one TLS connection: for logs, run records and assertions.
#include <optional>
#include <string>

#include "onshi/crypto/certificate.hpp"

struct ssl_st;

namespace onshi::tls {

struct TlsSessionInfo {
  std::string version;          // "TLSv1.3"
  std::string cipher;           // "TLS_AES_256_GCM_SHA384"
  std::string peer_signature;   // the peer's CertificateVerify scheme, e.g. "rsa_pkcs1_sha256"; "" if none
  bool resumed = false;
  std::optional<crypto::Certificate> peer_certificate;
};

TlsSessionInfo session_info(ssl_st* ssl);

}  // namespace onshi::tls
