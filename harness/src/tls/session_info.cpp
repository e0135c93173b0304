#include "onshi/tls/session_info.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

namespace onshi::tls {
namespace {

// TLS signature scheme name (RFC 8446 §4.2.3 spelling) from OpenSSL's type and digest NIDs.
std::string scheme_name(int type_nid, int md_nid) {
  std::string md = OBJ_nid2sn(md_nid);
  std::transform(md.begin(), md.end(), md.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  md.erase(std::remove(md.begin(), md.end(), '-'), md.end());
  switch (type_nid) {
    case NID_rsaEncryption: return "rsa_pkcs1_" + md;
    case NID_rsassaPss: return "rsa_pss_rsae_" + md;
    case NID_X9_62_id_ecPublicKey: return "ecdsa_" + md;
    case NID_ED25519: return "ed25519";
    case NID_ED448: return "ed448";
    default: return std::string(OBJ_nid2sn(type_nid)) + "_" + md;
  }
}

}  // namespace

TlsSessionInfo session_info(ssl_st* ssl) {
  TlsSessionInfo info;
  info.version = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) info.cipher = SSL_CIPHER_get_name(cipher);
  int type_nid = NID_undef;
  int md_nid = NID_undef;
  if (SSL_get_peer_signature_type_nid(ssl, &type_nid) == 1 && SSL_get_peer_signature_nid(ssl, &md_nid) == 1) {
    info.peer_signature = scheme_name(type_nid, md_nid);
  }
  info.resumed = SSL_session_reused(ssl) == 1;
  if (X509* peer = SSL_get1_peer_certificate(ssl)) info.peer_certificate = crypto::Certificate(peer);
  return info;
}

}  // namespace onshi::tls
