#include "onshi/mocks/ons/access_refusal.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace onshi::mocks::ons {

std::string_view to_string(AccessRefusal refusal) {
  switch (refusal) {
    case AccessRefusal::no_certificate: return "no_certificate";
    case AccessRefusal::untrusted_issuer: return "untrusted_issuer";
    case AccessRefusal::expired: return "expired";
    case AccessRefusal::not_yet_valid: return "not_yet_valid";
    case AccessRefusal::revoked: return "revoked";
    case AccessRefusal::no_client_auth: return "no_client_auth";
    case AccessRefusal::bad_certificate: return "bad_certificate";
    case AccessRefusal::tls_version: return "tls_version";
    case AccessRefusal::handshake_failed: return "handshake_failed";
    case AccessRefusal::facility_mismatch: return "facility_mismatch";
  }
  return "unknown";
}

AccessRefusal classify_handshake_failure(long verify_result, int ssl_reason) {
  switch (verify_result) {
    case X509_V_OK: break;
    case X509_V_ERR_CERT_HAS_EXPIRED: return AccessRefusal::expired;
    case X509_V_ERR_CERT_NOT_YET_VALID: return AccessRefusal::not_yet_valid;
    case X509_V_ERR_CERT_REVOKED: return AccessRefusal::revoked;
    case X509_V_ERR_INVALID_PURPOSE: return AccessRefusal::no_client_auth;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: return AccessRefusal::untrusted_issuer;
    default: return AccessRefusal::bad_certificate;
  }
  switch (ssl_reason) {
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE: return AccessRefusal::no_certificate;
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_VERSION_TOO_LOW: return AccessRefusal::tls_version;
    default: return AccessRefusal::handshake_failed;
  }
}

}  // namespace onshi::mocks::ons
