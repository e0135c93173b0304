#include "onshi/tls/https_client.hpp"

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#pragma GCC diagnostic pop
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"
#include "onshi/tls/tls_context.hpp"

namespace onshi::tls {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;

// Thrown inside request() when a reused connection turns out to be closed by the server
// before any byte of the answer arrived; request() then reconnects once.
struct ConnectionLost {
  error_code ec;
};

bool is_connection_lost(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof || ec == ssl::error::stream_truncated ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::connection_aborted || ec == net::error::not_connected;
}

bool is_tls_error(const error_code& ec) {
  return ec.category() == net::error::get_ssl_category() || ec == ssl::error::stream_truncated;
}

ssl::context adopt(const TlsContext& ctx) {
  // asio's context takes ownership of the handle it is given: hand it its own reference.
  SSL_CTX_up_ref(ctx.native_handle());
  return ssl::context(ctx.native_handle());
}

}  // namespace

struct HttpsClient::Impl {
  HttpsClientOptions options;
  TlsContext tls_context;
  ssl::context ssl_context;
  net::io_context ioc;
  std::unique_ptr<Stream> stream;
  beast::flat_buffer buffer;
  std::string host;
  std::uint16_t port = 0;
  std::uint64_t handshakes = 0;
  std::uint64_t exchanges_on_connection = 0;

  explicit Impl(HttpsClientOptions o)
      : options(std::move(o)), tls_context(make_client_tls_context(options.tls)), ssl_context(adopt(tls_context)) {}

  std::string where() const { return host + ":" + std::to_string(port); }

  // Runs the io_context until `done` or the deadline. On timeout `abort` cancels the
  // operation, its handler is drained (it refers to our locals), and Error(timeout) is thrown.
  template <class Abort>
  void wait(const bool& done, SteadyClock::time_point deadline, Abort&& abort, const std::string& what) {
    ioc.restart();
    const auto now = SteadyClock::now();
    if (deadline > now) ioc.run_for(deadline - now);
    if (done) return;
    abort();
    ioc.restart();
    ioc.run();
    drop_connection();
    throw Error(ErrorCode::timeout, what + " timed out after " + std::to_string(options.timeout.count()) + " ms",
                where());
  }

  void wait_stream(const bool& done, SteadyClock::time_point deadline, const std::string& what) {
    wait(done, deadline, [this] { close_socket(); }, what);
  }

  void close_socket() {
    if (!stream) return;
    error_code ignored;
    beast::get_lowest_layer(*stream).socket().close(ignored);
  }

  void drop_connection() {
    close_socket();
    stream.reset();
    buffer.clear();
    exchanges_on_connection = 0;
  }

  [[noreturn]] void fail(const error_code& ec, const std::string& what) {
    std::string message = what + " failed: " + ec.message();
    ErrorCode code = ErrorCode::io;
    if (is_tls_error(ec)) {
      code = ErrorCode::tls;
      if (stream) {
        const long verify = SSL_get_verify_result(stream->native_handle());
        if (verify != X509_V_OK) message += " (certificate: " + std::string(X509_verify_cert_error_string(verify)) + ")";
      }
    }
    drop_connection();
    throw Error(code, message, where());
  }

  void connect(const std::string& to_host, std::uint16_t to_port) {
    close();
    host = to_host;
    port = to_port;
    const auto deadline = SteadyClock::now() + options.timeout;

    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    error_code ec;
    bool done = false;
    resolver.async_resolve(host, std::to_string(port), [&](error_code e, tcp::resolver::results_type r) {
      ec = e;
      endpoints = std::move(r);
      done = true;
    });
    wait(done, deadline, [&] { resolver.cancel(); }, "resolving " + host);
    if (ec) throw Error(ErrorCode::io, "cannot resolve: " + ec.message(), where());

    stream = std::make_unique<Stream>(ioc, ssl_context);
    set_peer_name();

    done = false;
    beast::get_lowest_layer(*stream).async_connect(endpoints, [&](error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    wait_stream(done, deadline, "TCP connect");
    if (ec) fail(ec, "TCP connect");
    beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true), ec);

    done = false;
    stream->async_handshake(ssl::stream_base::client, [&](error_code e) {
      ec = e;
      done = true;
    });
    wait_stream(done, deadline, "TLS handshake");
    if (ec) fail(ec, "TLS handshake");
    ++handshakes;
  }

  // SNI for DNS names; certificate name check against a DNS name or an IP address.
  void set_peer_name() {
    const std::string name = options.tls.server_name.empty() ? host : options.tls.server_name;
    SSL* ssl = stream->native_handle();
    error_code not_ip;
    net::ip::make_address(name, not_ip);
    if (!not_ip) {
      if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) != 1) {
        throw Error(ErrorCode::invalid_argument, "bad server IP address", name);
      }
      return;
    }
    // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
    if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(name.c_str())) != 1 ||
        SSL_set1_host(ssl, name.c_str()) != 1) {
      throw Error(ErrorCode::invalid_argument, "bad server name", name);
    }
  }

  HttpResponse exchange(http::request<http::string_body>& req, SteadyClock::time_point deadline) {
    error_code ec;
    bool done = false;
    http::async_write(*stream, req, [&](error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    wait_stream(done, deadline, "sending request");
    if (ec) {
      if (exchanges_on_connection > 0 && is_connection_lost(ec)) throw ConnectionLost{ec};
      fail(ec, "sending request");
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_response_bytes);
    done = false;
    http::async_read(*stream, buffer, parser, [&](error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    wait_stream(done, deadline, "reading response");
    if (ec) {
      if (exchanges_on_connection > 0 && !parser.got_some() && is_connection_lost(ec)) throw ConnectionLost{ec};
      fail(ec, "reading response");
    }
    ++exchanges_on_connection;

    http::response<http::string_body> res = parser.release();
    HttpResponse out;
    out.status = res.result_int();
    out.reason = std::string(res.reason());
    for (const auto& field : res) out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    out.body = std::move(res.body());
    if (!res.keep_alive()) close();
    return out;
  }

  HttpResponse request(std::string_view method, std::string_view target, const HttpHeaders& headers,
                       std::string_view body) {
    if (host.empty()) throw Error(ErrorCode::state, "request before connect()", "https client");
    http::request<http::string_body> req;
    req.method_string(beast::string_view(method.data(), method.size()));
    req.target(beast::string_view(target.data(), target.size()));
    req.version(11);
    req.set(http::field::host, host + ":" + std::to_string(port));
    req.set(http::field::user_agent, options.user_agent);
    for (const auto& h : headers) req.insert(h.name, h.value);
    req.body() = std::string(body);
    req.prepare_payload();

    const auto deadline = SteadyClock::now() + options.timeout;
    if (!stream) connect(host, port);
    try {
      return exchange(req, deadline);
    } catch (const ConnectionLost&) {
      // The server closed an idle keep-alive connection before reading this request.
      drop_connection();
      connect(host, port);
      try {
        return exchange(req, deadline);
      } catch (const ConnectionLost& again) {
        fail(again.ec, "request after reconnect");
      }
    }
  }

  void close() {
    if (!stream) return;
    // close_notify, bounded; the peer may already be gone, which is fine.
    const auto deadline = SteadyClock::now() + std::min(options.timeout, std::chrono::milliseconds(1000));
    bool done = false;
    stream->async_shutdown([&](error_code) { done = true; });
    ioc.restart();
    const auto now = SteadyClock::now();
    if (deadline > now) ioc.run_for(deadline - now);
    if (!done) {
      close_socket();
      ioc.restart();
      ioc.run();
    }
    drop_connection();
  }
};

HttpsClient::HttpsClient(HttpsClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpsClient::~HttpsClient() {
  if (!impl_) return;
  try {
    impl_->close();
  } catch (...) {  // a destructor must not throw; the socket is closed either way
  }
}

HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;

void HttpsClient::connect(const std::string& host, std::uint16_t port) { impl_->connect(host, port); }

HttpResponse HttpsClient::request(std::string_view method, std::string_view target, const HttpHeaders& headers,
                                  std::string_view body) {
  return impl_->request(method, target, headers, body);
}

void HttpsClient::close() { impl_->close(); }
bool HttpsClient::is_connected() const { return impl_->stream != nullptr; }
std::uint64_t HttpsClient::handshake_count() const { return impl_->handshakes; }

TlsSessionInfo HttpsClient::session() const {
  if (!impl_->stream) throw Error(ErrorCode::state, "not connected", "https client");
  return session_info(impl_->stream->native_handle());
}

}  // namespace onshi::tls
