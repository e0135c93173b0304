#pragma once
// One TLS connection of the mock ONS: the handshake (failed with an injected alert when the
// fault plan says so), then HTTP/1.1 requests until either side closes, each answered by the
// service or by the fault the plan draws for it (latency, reset, stall, slow drip, an HTTP or
// ONS error), and journaled. Private to mocks/ons/src (Asio stays out of public headers).
#include <atomic>
#include <memory>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/ip/tcp.hpp>
#pragma GCC diagnostic pop
#include <openssl/ssl.h>

namespace onshi::mocks::ons::detail {

struct MockServerState;
class ConnectionSession;
class WorkerPool;

// Serves a socket accepted onto one of `workers`' handshake workers: the TLS handshake there
// (with that worker's `tls_context`, tls_context_pool.hpp), then the requests on the least
// loaded request worker, where the session counts itself in its load.
void start_connection_session(boost::asio::ip::tcp::socket socket, MockServerState& state, WorkerPool& workers,
                              SSL_CTX* tls_context);

// From stop(): cancels whatever the session has pending; its handlers then end it.
void close_connection_session(const std::shared_ptr<ConnectionSession>& session);

}  // namespace onshi::mocks::ons::detail
