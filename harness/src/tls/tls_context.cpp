#include "onshi/tls/tls_context.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"

namespace onshi::tls {
namespace {

int protocol_version(TlsVersion v) { return v == TlsVersion::tls1_2 ? TLS1_2_VERSION : TLS1_3_VERSION; }

[[noreturn]] void fail(const std::string& message, const std::string& context) {
  throw Error(ErrorCode::tls, message + ": " + crypto::drain_openssl_errors(), context);
}

void require_file(const std::filesystem::path& file, const std::string& what) {
  if (file.empty()) throw Error(ErrorCode::invalid_argument, what + " is not set", "TLS options");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw Error(ErrorCode::not_found, what + " not found", file.string());
}

TlsContext new_context(const SSL_METHOD* method, TlsVersion min, TlsVersion max, const char* side) {
  if (protocol_version(min) > protocol_version(max)) {
    throw Error(ErrorCode::invalid_argument, "min_version is above max_version", std::string(side) + " TLS options");
  }
  SSL_CTX* raw = SSL_CTX_new(method);
  if (raw == nullptr) fail("SSL_CTX_new failed", side);
  TlsContext ctx(raw);
  if (SSL_CTX_set_min_proto_version(raw, protocol_version(min)) != 1 ||
      SSL_CTX_set_max_proto_version(raw, protocol_version(max)) != 1) {
    fail("cannot set protocol versions", side);
  }
  SSL_CTX_set_options(raw, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  return ctx;
}

void use_key_pair(SSL_CTX* ctx, const std::filesystem::path& cert, const std::filesystem::path& key) {
  require_file(cert, "certificate file");
  require_file(key, "key file");
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) fail("cannot load certificate", cert.string());
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) fail("cannot load private key", key.string());
  if (SSL_CTX_check_private_key(ctx) != 1) fail("private key does not match the certificate", key.string());
}

}  // namespace

std::string_view to_string(TlsVersion version) { return version == TlsVersion::tls1_2 ? "TLSv1.2" : "TLSv1.3"; }

TlsContext::TlsContext(ssl_ctx_st* ctx) : ctx_(ctx, SSL_CTX_free) {}

TlsContext make_client_tls_context(const TlsClientOptions& o) {
  require_file(o.ca_file, "ca_file (server trust anchors)");
  TlsContext ctx = new_context(TLS_client_method(), o.min_version, o.max_version, "client");
  SSL_CTX* raw = ctx.native_handle();
  if (SSL_CTX_load_verify_locations(raw, o.ca_file.c_str(), nullptr) != 1) fail("cannot load CA file", o.ca_file.string());
  SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
  if (!o.cert_file.empty() || !o.key_file.empty()) use_key_pair(raw, o.cert_file, o.key_file);
  if (!o.sigalgs.empty() && SSL_CTX_set1_sigalgs_list(raw, o.sigalgs.c_str()) != 1) fail("bad sigalgs", o.sigalgs);
  if (!o.client_sigalgs.empty() && SSL_CTX_set1_client_sigalgs_list(raw, o.client_sigalgs.c_str()) != 1) {
    fail("bad client_sigalgs", o.client_sigalgs);
  }
  if (!o.cipher_list.empty() && SSL_CTX_set_cipher_list(raw, o.cipher_list.c_str()) != 1) {
    fail("bad cipher list", o.cipher_list);
  }
  return ctx;
}

namespace {

// Depth 0 (the client's own certificate) must say clientAuth explicitly.
int verify_client_auth_eku(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok != 1 || X509_STORE_CTX_get_error_depth(store) != 0) return preverify_ok;
  X509* leaf = X509_STORE_CTX_get_current_cert(store);
  const uint32_t flags = X509_get_extension_flags(leaf);
  if ((flags & EXFLAG_XKUSAGE) == 0 || (X509_get_extended_key_usage(leaf) & XKU_SSL_CLIENT) == 0) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_INVALID_PURPOSE);
    return 0;
  }
  return 1;
}

void load_crls(SSL_CTX* ctx, const std::filesystem::path& file) {
  require_file(file, "client_crl_file");
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  if (X509_load_crl_file(X509_STORE_add_lookup(store, X509_LOOKUP_file()), file.c_str(), X509_FILETYPE_PEM) < 1) {
    fail("cannot load CRL", file.string());
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
}

}  // namespace

TlsContext make_server_tls_context(const TlsServerOptions& o) {
  TlsContext ctx = new_context(TLS_server_method(), o.min_version, o.max_version, "server");
  SSL_CTX* raw = ctx.native_handle();
  use_key_pair(raw, o.cert_file, o.key_file);
  if (!o.chain_file.empty()) {
    // chain.pem may or may not repeat the leaf; send every other certificate after it.
    const crypto::Certificate leaf = crypto::Certificate::load_pem_file(o.cert_file);
    for (const crypto::Certificate& c : crypto::Certificate::load_pem_bundle(o.chain_file)) {
      if (X509_cmp(c.get(), leaf.get()) == 0) continue;
      if (SSL_CTX_add1_chain_cert(raw, c.get()) != 1) fail("cannot add chain certificate", o.chain_file.string());
    }
  }

  require_file(o.client_ca_file, "client_ca_file (terminal CA)");
  // The verify store holds the terminal CA and nothing else: no system roots, so a
  // certificate from any other CA fails with "unknown ca".
  if (SSL_CTX_load_verify_locations(raw, o.client_ca_file.c_str(), nullptr) != 1) {
    fail("cannot load client CA file", o.client_ca_file.string());
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.client_ca_file.c_str());
  if (names == nullptr) fail("no CA names in client CA file", o.client_ca_file.string());
  SSL_CTX_set_client_CA_list(raw, names);
  if (!o.client_crl_file.empty()) load_crls(raw, o.client_crl_file);
  const int mode = o.require_client_certificate ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER;
  SSL_CTX_set_verify(raw, mode, o.require_client_auth_eku ? verify_client_auth_eku : nullptr);
  SSL_CTX_set_verify_depth(raw, o.verify_depth);
  if (!o.client_sigalgs.empty() && SSL_CTX_set1_client_sigalgs_list(raw, o.client_sigalgs.c_str()) != 1) {
    fail("bad client_sigalgs", o.client_sigalgs);
  }
  SSL_CTX_set_options(raw, SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Needed for session resumption when client certificates are verified.
  static constexpr unsigned char kSessionContext[] = "onshi-hil";
  SSL_CTX_set_session_id_context(raw, kSessionContext, sizeof kSessionContext - 1);
  if (!o.session_resumption) {
    SSL_CTX_set_options(raw, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(raw, 0);  // TLS 1.3 would still send two tickets nothing can resume
  }
  return ctx;
}

}  // namespace onshi::tls
