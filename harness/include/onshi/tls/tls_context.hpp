#pragma once
// OpenSSL SSL_CTX builders for the harness's TLS client and for servers (the mock ONS).
// The context is an opaque shared handle so no Asio/Beast header leaks out of the few
// .cpp files that run sockets; they wrap native_handle() in their own stream types.
#include <memory>

#include "onshi/tls/tls_options.hpp"

struct ssl_ctx_st;

namespace onshi::tls {

class TlsContext {
 public:
  TlsContext() = default;
  explicit TlsContext(ssl_ctx_st* ctx);  // takes ownership

  ssl_ctx_st* native_handle() const { return ctx_.get(); }
  explicit operator bool() const { return ctx_ != nullptr; }

 private:
  std::shared_ptr<ssl_ctx_st> ctx_;
};

// Verifies the server against ca_file only; presents cert_file/key_file when given.
// Throws Error(not_found) for missing files, Error(tls) with OpenSSL's reason otherwise.
TlsContext make_client_tls_context(const TlsClientOptions& options);

// TLS 1.2 minimum, TLS 1.3 allowed; client certificate required (SSL_VERIFY_PEER |
// SSL_VERIFY_FAIL_IF_NO_PEER_CERT) and verified against client_ca_file only; the client CA
// list is advertised in CertificateRequest; renegotiation off. With client_crl_file, revoked
// client certificates fail; with require_client_auth_eku, a leaf without clientAuth fails.
TlsContext make_server_tls_context(const TlsServerOptions& options);

}  // namespace onshi::tls
