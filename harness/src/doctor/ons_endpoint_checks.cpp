// The ONS endpoint, step by step so each failure names its step (docs/doctor.md, "ONS
// endpoint"): DNS resolution, TCP connect, TLS handshake (version, cipher, signature
// algorithm, the server certificate's chain to server_ca), one HTTP request, and the clock
// skew against the answer's Date header. Every wait is bounded by DoctorOptions::network_timeout.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "examination.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/tls/session_info.hpp"
#include "onshi/tls/tls_context.hpp"

namespace onshi::doctor::detail {
namespace {

using Steady = std::chrono::steady_clock;

double ms_since(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

struct Resolved {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string text;
};

// The first address getaddrinfo gives, or the reason it gave none.
std::optional<Resolved> resolve(const std::string& host, std::uint16_t port, std::string& reason) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0 || list == nullptr) {
    reason = ::gai_strerror(rc);
    return std::nullopt;
  }
  Resolved r;
  std::memcpy(&r.address, list->ai_addr, list->ai_addrlen);
  r.length = list->ai_addrlen;
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw = list->ai_family == AF_INET6
                        ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(list->ai_addr)->sin6_addr)
                        : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(list->ai_addr)->sin_addr);
  ::inet_ntop(list->ai_family, raw, text, sizeof text);
  r.text = text;
  ::freeaddrinfo(list);
  return r;
}

// Connects within `timeout`; -1 and `reason` when it could not. The socket is left blocking,
// with send/receive timeouts, for the TLS handshake and the request.
int connect_within(const Resolved& to, std::chrono::milliseconds timeout, std::string& reason) {
  const int fd = ::socket(to.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    reason = std::strerror(errno);
    return -1;
  }
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&to.address), to.length);
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (rc == 0) {
      reason = "no answer within " + std::to_string(timeout.count()) + " ms";
      ::close(fd);
      return -1;
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    rc = error == 0 ? 0 : -1;
    errno = error;
  }
  if (rc != 0) {
    reason = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// The OpenSSL error queue, or the errno / timeout behind an SSL_ERROR_SYSCALL.
std::string ssl_failure(SSL* ssl, int rc) {
  const int error = SSL_get_error(ssl, rc);
  std::string text = crypto::drain_openssl_errors();
  if (!text.empty()) return text;
  if (error == SSL_ERROR_SYSCALL) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return "timed out";
    return errno == 0 ? "the connection was closed" : std::strerror(errno);
  }
  if (error == SSL_ERROR_ZERO_RETURN) return "the connection was closed";
  return "SSL error " + std::to_string(error);
}

void set_peer_name(SSL* ssl, const std::string& name) {
  in6_addr ip6{};
  in_addr ip4{};
  if (::inet_pton(AF_INET, name.c_str(), &ip4) == 1 || ::inet_pton(AF_INET6, name.c_str(), &ip6) == 1) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str());
    return;
  }
  // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
  SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(name.c_str()));
  SSL_set1_host(ssl, name.c_str());
}

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// IMF-fixdate (RFC 9110 5.6.7), "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<WallTime> parse_http_date(const std::string& text) {
  std::tm fields{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &fields);
  if (end == nullptr) return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&fields));
}

std::optional<std::string> header_value(const std::string& head, const std::string& name) {
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos && at + 2 < head.size()) {
    const std::size_t start = at + 2;
    const std::size_t end = head.find("\r\n", start);
    const std::string line = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos && colon == name.size() && ::strncasecmp(line.c_str(), name.c_str(), colon) == 0) {
      std::size_t value = colon + 1;
      while (value < line.size() && line[value] == ' ') ++value;
      return line.substr(value);
    }
    at = end;
  }
  return std::nullopt;
}

const char* network_fix() {
  return "check that the ONS endpoint is up and that [ons] url names its host and port; on a site, check the route and "
         "firewall to the closed network (IP-VPN / IPsec+IKE); for a standalone mock, start `onshi-hil mock ons` first";
}

}  // namespace

void check_ons_endpoint(Examination& exam) {
  if (!exam.client) return;
  const ons::OnsClientOptions& client = *exam.client;
  const std::string host = client.endpoint.host;
  const std::uint16_t port = client.endpoint.port;
  const std::string endpoint = HostPort{host, port}.to_string();
  const auto timeout = exam.options.network_timeout;

  // DNS.
  std::string reason;
  auto start = Steady::now();
  const auto resolved = resolve(host, port, reason);
  const double resolve_ms = ms_since(start);
  if (!resolved) {
    exam.failed("ons.dns", "the ONS host '" + host + "' does not resolve: " + reason,
                "check the host in [ons] url and this PC's DNS or hosts file for the closed network");
    return;
  }
  exam.ok("ons.dns", "'" + host + "' resolves to " + resolved->text,
          {run::Measurement::of("dns_resolution_ms", resolve_ms, "ms")});

  // TCP.
  start = Steady::now();
  const int fd = connect_within(*resolved, timeout, reason);
  const double connect_ms = ms_since(start);
  if (fd < 0) {
    exam.failed("ons.tcp_connect", "cannot connect to the ONS at " + endpoint + ": " + reason, network_fix());
    return;
  }
  Socket socket(fd);
  exam.probe.reached = true;
  exam.ok("ons.tcp_connect", "connected to " + endpoint,
          {run::Measurement::of("tcp_connect_ms", connect_ms, "ms", run::Limits::at_most(static_cast<double>(timeout.count())))});

  // TLS.
  tls::TlsContext context;
  try {
    context = tls::make_client_tls_context(client.http.tls);
  } catch (const Error& e) {
    exam.failed("ons.tls_handshake", "the TLS client cannot be set up with the rig's files: " + e.message() +
                                         (e.context().empty() ? "" : " (" + e.context() + ")"),
                "fix the terminal certificate, key or server_ca first (see the terminal_certificate findings)");
    return;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.native_handle()), SSL_free);
  SSL_set_fd(ssl.get(), socket.fd());
  set_peer_name(ssl.get(), client.http.tls.server_name.empty() ? host : client.http.tls.server_name);
  ERR_clear_error();
  start = Steady::now();
  const int handshake_rc = SSL_connect(ssl.get());
  const double handshake_ms = ms_since(start);
  if (const STACK_OF(X509_NAME)* cas = SSL_get_client_CA_list(ssl.get()); cas != nullptr) {
    for (int i = 0; i < sk_X509_NAME_num(cas); ++i) exam.probe.acceptable_client_cas.push_back(name_text(sk_X509_NAME_value(cas, i)));
  }
  if (handshake_rc != 1) {
    const std::string failure = ssl_failure(ssl.get(), handshake_rc);
    const long verify = SSL_get_verify_result(ssl.get());
    if (verify != X509_V_OK) {
      exam.failed("ons.server_certificate",
                  "the ONS server certificate does not verify against server_ca " + client.http.tls.ca_file.string() + ": " +
                      X509_verify_cert_error_string(verify),
                  "set [ons] server_ca to the CA certificate that signs this ONS's server certificate (for a mock: "
                  "ons-ca/cert.pem of the PKI it was started with)");
    } else {
      exam.probe.refusal = failure;
      exam.failed("ons.tls_handshake", "the TLS handshake with " + endpoint + " failed: " + failure,
                  "if the ONS refused the terminal certificate, see the terminal_certificate findings; otherwise check "
                  "that the endpoint speaks TLS 1.2 or 1.3 on this port");
    }
    return;
  }
  exam.probe.handshake = true;
  const tls::TlsSessionInfo session = tls::session_info(ssl.get());
  exam.ok("ons.tls_handshake",
          session.version + ", " + session.cipher + ", server signature " +
              (session.peer_signature.empty() ? std::string("(none)") : session.peer_signature),
          {run::Measurement::of("tls_handshake_ms", handshake_ms, "ms", run::Limits::at_most(static_cast<double>(timeout.count()))),
           run::Measurement::of("tls_version", session.version), run::Measurement::of("tls_cipher", session.cipher),
           run::Measurement::of("tls_signature_algorithm", session.peer_signature)});
  if (session.peer_certificate) {
    exam.ok("ons.server_certificate",
            "the server certificate '" + session.peer_certificate->subject() + "' (until " +
                format_day(session.peer_certificate->not_after()) + ") chains to server_ca " +
                client.http.tls.ca_file.string());
  }

  // One request: the client certificate is judged by now (TLS 1.3 refuses it after the
  // handshake), and the answer carries the server's Date.
  const std::string request = "GET / HTTP/1.1\r\nHost: " + endpoint +
                              "\r\nUser-Agent: onshi-hil doctor\r\nConnection: close\r\n\r\n";
  ERR_clear_error();
  const int written = SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
  std::string head;
  int read_rc = written;
  if (written > 0) {
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
      read_rc = SSL_read(ssl.get(), buffer, sizeof buffer);
      if (read_rc <= 0) break;
      head.append(buffer, static_cast<std::size_t>(read_rc));
    }
  }
  const WallTime received = exam.options.clock != nullptr ? exam.options.clock->wall_now() : SystemClock::instance().wall_now();
  if (head.rfind("HTTP/", 0) != 0) {
    exam.probe.refusal = read_rc <= 0 ? ssl_failure(ssl.get(), read_rc) : "not an HTTP answer";
    exam.failed("ons.request", "the ONS at " + endpoint + " gave no answer to a request: " + exam.probe.refusal,
                "if the ONS refused the terminal certificate (an alert above), see the terminal_certificate findings; "
                "otherwise check the endpoint is an ONS");
    return;
  }
  exam.probe.answered = true;
  exam.ok("ons.request", "the ONS answered: " + head.substr(0, head.find("\r\n")));
  SSL_shutdown(ssl.get());

  const auto date = header_value(head, "Date");
  const auto parsed = date ? parse_http_date(*date) : std::nullopt;
  if (!parsed) {
    exam.warning("ons.clock_skew",
                 date ? "the ONS's Date header '" + *date + "' is not an HTTP date" : "the ONS sent no Date header",
                 "compare this PC's clock with the ONS's by hand and keep it on NTP");
    return;
  }
  const double skew = std::chrono::duration<double>(received - *parsed).count();
  const auto skew_measurement = run::Measurement::of(
      "clock_skew_s", skew, "s",
      run::Limits{-3600.0, 3600.0, -static_cast<double>(exam.options.clock_skew_warning.count()),
                  static_cast<double>(exam.options.clock_skew_warning.count())});
  const std::string what = "this PC's clock is " + std::to_string(static_cast<long>(std::lround(skew))) +
                           " s from the ONS's (Date: " + *date + ")";
  if (std::abs(skew) > 3600.0) {
    exam.failed("ons.clock_skew", what, "set this PC's clock right (enable NTP): certificates and reception dates are judged by it",
                {skew_measurement});
  } else if (std::abs(skew) > static_cast<double>(exam.options.clock_skew_warning.count())) {
    exam.warning("ons.clock_skew", what, "keep this PC's clock on NTP", {skew_measurement});
  } else {
    exam.ok("ons.clock_skew", what, {skew_measurement});
  }
}

}  // namespace onshi::doctor::detail
