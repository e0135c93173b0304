#pragma once
// What a TLS endpoint of the harness is configured with. Plain structs so rig files and
// tests can build them; tls_context.hpp turns them into OpenSSL contexts.
#include <filesystem>
#include <string>
#include <string_view>

namespace onshi::tls {

enum class TlsVersion { tls1_2, tls1_3 };
std::string_view to_string(TlsVersion version);  // "TLSv1.2"

// Signature schemes the mock ONS accepts in a client's CertificateVerify. rsa_pkcs1_sha256 is
// listed so a terminal whose key can only do PKCS#1 v1.5 (a token, a card-like HSM) can
// authenticate over TLS 1.2; TLS 1.3 itself only allows PSS for RSA, OpenSSL filters per version.
inline constexpr std::string_view kDefaultServerClientSigalgs =
    "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
    "rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512:"
    "ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384";

struct TlsClientOptions {
  std::filesystem::path ca_file;    // PEM trust anchors for the server; required (no "insecure" mode)
  std::filesystem::path cert_file;  // PEM client certificate (+ intermediates); empty = none
  std::filesystem::path key_file;   // PEM private key of cert_file
  std::string server_name;          // DNS name or IP the server certificate must match; also SNI for names.
                                    // Empty = the host given to connect().
  TlsVersion min_version = TlsVersion::tls1_2;
  TlsVersion max_version = TlsVersion::tls1_3;
  std::string sigalgs;         // schemes accepted from the server, OpenSSL list syntax; empty = default
  std::string client_sigalgs;  // schemes this client may sign CertificateVerify with, e.g. "RSA+SHA256"
                               // for a PKCS#1-only key (then also cap max_version at TLS 1.2)
  std::string cipher_list;     // TLS 1.2 cipher list; empty = OpenSSL default
};

struct TlsServerOptions {
  std::filesystem::path cert_file;       // PEM server certificate
  std::filesystem::path chain_file;      // PEM intermediates sent after it; may be empty, may repeat cert_file
  std::filesystem::path key_file;        // PEM private key of cert_file
  std::filesystem::path client_ca_file;  // the only trust anchors for client certificates
  TlsVersion min_version = TlsVersion::tls1_2;
  TlsVersion max_version = TlsVersion::tls1_3;
  std::string client_sigalgs{kDefaultServerClientSigalgs};
  bool require_client_certificate = true;
  int verify_depth = 4;
  // PEM CRL(s) of the client CA; when set, every client chain is checked against it and a
  // revoked certificate fails the handshake (X509_V_ERR_CERT_REVOKED). Empty = no CRL check.
  std::filesystem::path client_crl_file;
  // Refuse a client leaf without extendedKeyUsage clientAuth (OpenSSL alone lets a leaf with
  // no EKU at all through); the handshake fails with X509_V_ERR_INVALID_PURPOSE.
  bool require_client_auth_eku = true;
  // false: no session cache and no stateless tickets (SSL_OP_NO_TICKET), as nginx's
  // "ssl_session_tickets off; ssl_session_cache off;" -- every handshake is a full one, and
  // the server skips encrypting a session into two TLS 1.3 tickets per handshake.
  bool session_resumption = true;
};

}  // namespace onshi::tls
