#pragma once
// The mock ONS's server TLS contexts: one SSL_CTX per worker thread, all of one
// configuration. OpenSSL 3 guards a context's certificate store with a lock every handshake
// takes, and two threads sharing one context bounce it between the cores. The contexts
// share their session-ticket keys, so a ticket issued on one worker resumes on any.
// Each also carries the ClientHello hook an injected TLS alert (fault_plan.hpp tls_alert)
// fails the handshake through.
#include <cstddef>
#include <vector>

#include <openssl/ssl.h>

#include "onshi/tls/tls_context.hpp"
#include "onshi/tls/tls_options.hpp"

namespace onshi::mocks::ons::detail {

class TlsContextPool {
 public:
  // Throws Error(tls|not_found) as make_server_tls_context does, or when the ticket keys
  // cannot be shared.
  TlsContextPool(const tls::TlsServerOptions& options, unsigned workers);

  SSL_CTX* for_worker(std::size_t worker) const { return contexts_.at(worker).native_handle(); }

 private:
  std::vector<tls::TlsContext> contexts_;
};

// Makes the handshake on `ssl` fail with TLS alert `*alert` (RFC 8446 §6 code) at its
// ClientHello. `alert` must outlive the handshake; 0 or less means no alert.
void inject_handshake_alert(SSL* ssl, const int* alert);

}  // namespace onshi::mocks::ons::detail
