#include "tls_context_pool.hpp"

#include <algorithm>

#include <openssl/crypto.h>

#include "onshi/core/error.hpp"

namespace onshi::mocks::ons::detail {
namespace {

// Where a connection's injected alert waits for the ClientHello callback.
int alert_ex_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int fail_handshake_on_injected_alert(SSL* ssl, int* alert, void*) {
  const auto* injected = static_cast<const int*>(SSL_get_ex_data(ssl, alert_ex_index()));
  if (injected != nullptr && *injected > 0) {
    *alert = *injected;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

// TLS 1.2 offers forward-secret AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305,
// for an RSA or an ECDSA server key): no static-RSA key exchange, no CBC, no SHA-1 MAC. No
// interface profile under fixtures/ons nor docs/domain/ons-messages.md asks for anything
// older, and a terminal that can speak TLS 1.2 speaks these (docs/hardening.md, "TLS").
// TLS 1.3's own suites are all AEAD: OpenSSL's default list stays.
constexpr const char* kTls12CipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

TlsContextPool::TlsContextPool(const tls::TlsServerOptions& options, unsigned workers) {
  unsigned char ticket_keys[80];
  for (unsigned i = 0; i < std::max(1u, workers); ++i) {
    contexts_.push_back(tls::make_server_tls_context(options));
    SSL_CTX* ctx = contexts_.back().native_handle();
    SSL_CTX_set_client_hello_cb(ctx, fail_handshake_on_injected_alert, nullptr);
    if (SSL_CTX_set_cipher_list(ctx, kTls12CipherList) != 1) {
      throw Error(ErrorCode::tls, "cannot set the TLS 1.2 cipher list", "mock ONS");
    }
    const bool shared_keys = i == 0 ? SSL_CTX_get_tlsext_ticket_keys(ctx, ticket_keys, sizeof ticket_keys) == 1
                                    : SSL_CTX_set_tlsext_ticket_keys(ctx, ticket_keys, sizeof ticket_keys) == 1;
    if (!shared_keys) {
      OPENSSL_cleanse(ticket_keys, sizeof ticket_keys);
      throw Error(ErrorCode::tls, "cannot share session-ticket keys between workers", "mock ONS");
    }
    // Resumption is by stateless tickets only: no server-side session cache. The cache is a
    // per-context table behind one lock that the handshake workers take for every new
    // session and the request workers for every connection they free; a handshake worker
    // preempted holding it (at a higher nice value, worker_pool.hpp) stalled the inquiries
    // (a malformed-request flood: the valid clients' p99 1.7 ms with the cache, 0.4 ms
    // without). A TLS 1.2 client without tickets does full handshakes.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  }
  OPENSSL_cleanse(ticket_keys, sizeof ticket_keys);
}

void inject_handshake_alert(SSL* ssl, const int* alert) {
  SSL_set_ex_data(ssl, alert_ex_index(), const_cast<int*>(alert));  // OpenSSL's API takes void*
}

}  // namespace onshi::mocks::ons::detail
