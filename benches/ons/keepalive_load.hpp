#pragma once
// The keep-alive mode of onshi-ons-load: a few threads, each one epoll loop driving its share
// of the connections with non-blocking OpenSSL, one request in flight per connection, as wrk
// does. The blocking client of onshi/tls (Asio + Beast, a thread per connection) is built for
// correctness, not rate: against nginx it was slower than the servers it measured, so every
// server-to-server ratio read close to 1 (docs/hardening.md "Saturating client").
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

struct ssl_ctx_st;

namespace onshi::bench {

struct KeepaliveLoadOptions {
  std::string host = "127.0.0.1";  // IPv4 literal
  std::uint16_t port = 0;
  std::string server_name;  // checked against the server certificate; empty = host
  std::string request;      // the whole HTTP/1.1 request, sent as is for every exchange
  unsigned connections = 16;
  unsigned threads = 2;
  std::chrono::duration<double> duration{5.0};
  std::size_t max_response_bytes = 1 << 20;
};

struct KeepaliveLoadResult {
  std::uint64_t ok = 0;      // 200 answers read whole
  std::uint64_t errors = 0;  // other statuses, broken connections, malformed answers
  std::uint64_t connects = 0;
  std::string first_error;
  std::vector<std::uint32_t> latencies_us;  // one per answer, request written to answer read
  double elapsed_s = 0;
};

// Runs until options.duration has passed; a broken connection counts one error and is opened
// again. The SSL_CTX verifies the server (and presents the client certificate, if any).
KeepaliveLoadResult run_keepalive_load(ssl_ctx_st* ctx, const KeepaliveLoadOptions& options);

// The parts of an HTTP/1.1 response head the loop needs, or nothing while the head is not
// all there yet. Throws std::runtime_error naming what is wrong (no Content-Length, chunked,
// a malformed status line).
struct ResponseHead {
  std::size_t head_bytes = 0;  // up to and including the blank line
  int status = 0;
  std::size_t content_length = 0;
  bool close = false;  // Connection: close
};
bool parse_response_head(const char* data, std::size_t size, ResponseHead& head);

}  // namespace onshi::bench
