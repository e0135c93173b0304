#pragma once
// A synchronous HTTPS/1.1 client with keep-alive: one connection, reused across requests,
// re-established when the server has closed it. Every wait (resolve, connect, handshake,
// write, read, shutdown) is bounded by the timeout and throws Error(timeout) when it runs out;
// TLS failures throw Error(tls) carrying OpenSSL's reason. Not thread-safe: one caller at a time.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "onshi/tls/http_message.hpp"
#include "onshi/tls/session_info.hpp"
#include "onshi/tls/tls_options.hpp"

namespace onshi::tls {

struct HttpsClientOptions {
  TlsClientOptions tls;
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_response_bytes = std::size_t{16} << 20;
  std::string user_agent = "onshi-hil";
};

class HttpsClient {
 public:
  explicit HttpsClient(HttpsClientOptions options);
  ~HttpsClient();
  HttpsClient(HttpsClient&&) noexcept;
  HttpsClient& operator=(HttpsClient&&) noexcept;

  // Resolves, connects and handshakes; a live connection is closed first.
  void connect(const std::string& host, std::uint16_t port);

  // Sends one request on the current connection (connecting if needed) and reads the whole
  // response. A reused connection the server closed before answering is re-established
  // once and the request resent. `Host`, `User-Agent` and `Content-Length` are added.
  HttpResponse request(std::string_view method, std::string_view target, const HttpHeaders& headers = {},
                       std::string_view body = {});

  // Sends close_notify (bounded) and closes the socket; harmless when not connected.
  void close();

  bool is_connected() const;
  std::uint64_t handshake_count() const;  // full or resumed handshakes completed so far
  TlsSessionInfo session() const;         // of the current connection; throws Error(state) if none

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::tls
