#pragma once
// Who may ask the mock ONS, and why a terminal was turned away. The TLS layer enforces the
// certificate checks (chain to the terminal CA, validity, CRL, clientAuth, TLS >= 1.2); the
// service enforces the facility code. Each refusal gets its own reason in the journal.
#include <string>
#include <string_view>

namespace onshi::mocks::ons {

enum class AccessRefusal {
  no_certificate,     // the client sent no certificate
  untrusted_issuer,   // does not chain to the terminal CA
  expired,            // notAfter has passed
  not_yet_valid,      // notBefore is in the future
  revoked,            // listed in the terminal CA's CRL
  no_client_auth,     // no extendedKeyUsage clientAuth
  bad_certificate,    // any other verification failure (bad signature, CRL missing, ...)
  tls_version,        // TLS 1.1 or older offered
  handshake_failed,   // anything else during the handshake (no shared cipher, garbage, ...)
  facility_mismatch,  // MedicalInstitutionCode is not the certificate's facility code
};

std::string_view to_string(AccessRefusal refusal);

// Classifies a failed server handshake from OpenSSL's verify result (SSL_get_verify_result)
// and the reason code of the first queued error (ERR_GET_REASON of the handshake error).
AccessRefusal classify_handshake_failure(long verify_result, int ssl_reason);

}  // namespace onshi::mocks::ons
