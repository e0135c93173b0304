#include "keepalive_load.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace onshi::bench {

namespace {

using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string openssl_reason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return errno != 0 ? std::strerror(errno) : "connection closed";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

enum class Phase { connecting, handshaking, writing, reading };

struct Connection {
  int fd = -1;
  SSL* ssl = nullptr;
  Phase phase = Phase::connecting;
  std::size_t written = 0;
  std::string in;
  Clock::time_point sent;
  std::uint32_t events = 0;  // what epoll watches now

  void close() {
    if (ssl != nullptr) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
    ssl = nullptr;
    fd = -1;
    in.clear();
    written = 0;
  }
};

class Loop {
 public:
  Loop(ssl_ctx_st* ctx, const KeepaliveLoadOptions& options, unsigned connections, Clock::time_point deadline)
      : ctx_(ctx), options_(options), conns_(connections), deadline_(deadline), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    result_.latencies_us.reserve(1 << 16);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  ~Loop() {
    for (auto& c : conns_) c.close();
    ::close(epoll_);
  }

  KeepaliveLoadResult run() {
    for (auto& c : conns_) open(c);
    epoll_event ready[256];
    while (Clock::now() < deadline_) {
      const int n = epoll_wait(epoll_, ready, 256, 10);
      if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
      for (int i = 0; i < n; ++i) step(conns_[ready[i].data.u32]);
      reopen_closed();
    }
    return std::move(result_);
  }

 private:
  void fail(Connection& c, std::string_view what) {
    ++result_.errors;
    if (result_.first_error.empty()) result_.first_error = std::string(what);
    c.close();
    ++closed_;  // opened again after this batch of events, so a refused connect cannot recurse
  }

  void reopen_closed() {
    if (closed_ == 0 || Clock::now() >= deadline_) return;
    closed_ = 0;
    for (auto& c : conns_) {
      if (c.fd < 0) open(c);
    }
  }

  void watch(Connection& c, std::uint32_t events) {
    if (events == c.events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u32 = static_cast<std::uint32_t>(&c - conns_.data());
    const int op = c.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(epoll_, op, c.fd, &ev) != 0) throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
    c.events = events;
  }

  void open(Connection& c) {
    ++result_.connects;
    c.phase = Phase::connecting;
    c.events = 0;
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(options_.port);
    if (inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr) != 1) {
      throw std::runtime_error("not an IPv4 address: " + options_.host);
    }
    if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
      return fail(c, std::string("connect: ") + std::strerror(errno));
    }
    watch(c, EPOLLOUT);
  }

  void start_tls(Connection& c) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return fail(c, std::string("connect: ") + std::strerror(err));
    c.ssl = SSL_new(ctx_);
    if (c.ssl == nullptr || SSL_set_fd(c.ssl, c.fd) != 1) return fail(c, "SSL_new: " + openssl_reason());
    const std::string& name = options_.server_name.empty() ? options_.host : options_.server_name;
    in_addr probe{};
    if (inet_pton(AF_INET, name.c_str(), &probe) == 1) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c.ssl), name.c_str());
    } else {
      SSL_ctrl(c.ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(name.c_str()));
      SSL_set1_host(c.ssl, name.c_str());
    }
    SSL_set_read_ahead(c.ssl, 1);  // one read(2) for whatever has arrived, not a header then a body
    SSL_set_connect_state(c.ssl);
    c.phase = Phase::handshaking;
    handshake(c);
  }

  // WANT_READ / WANT_WRITE: wait for that; anything else is an error of this connection.
  bool would_block(Connection& c, int rc, std::string_view doing) {
    switch (SSL_get_error(c.ssl, rc)) {
      case SSL_ERROR_WANT_READ: watch(c, EPOLLIN); return true;
      case SSL_ERROR_WANT_WRITE: watch(c, EPOLLOUT); return true;
      default: fail(c, std::string(doing) + ": " + openssl_reason()); return false;
    }
  }

  void handshake(Connection& c) {
    const int rc = SSL_do_handshake(c.ssl);
    if (rc != 1) {
      would_block(c, rc, "TLS handshake");
      return;
    }
    send(c);
  }

  void send(Connection& c) {
    if (c.phase != Phase::writing) {
      c.phase = Phase::writing;
      c.written = 0;
      c.sent = Clock::now();
    }
    const std::string& req = options_.request;
    while (c.written < req.size()) {
      const int rc = SSL_write(c.ssl, req.data() + c.written, static_cast<int>(req.size() - c.written));
      if (rc <= 0) {
        would_block(c, rc, "sending request");
        return;
      }
      c.written += static_cast<std::size_t>(rc);
    }
    c.phase = Phase::reading;
    c.in.clear();
    receive(c);
  }

  void receive(Connection& c) {
    char buf[16384];
    ResponseHead head;
    for (;;) {
      const int rc = SSL_read(c.ssl, buf, sizeof buf);
      if (rc <= 0) {
        would_block(c, rc, "reading response");
        return;
      }
      c.in.append(buf, static_cast<std::size_t>(rc));
      try {
        if (!parse_response_head(c.in.data(), c.in.size(), head)) {
          if (c.in.size() > options_.max_response_bytes) return fail(c, "response head too long");
          continue;
        }
      } catch (const std::exception& e) {
        return fail(c, e.what());
      }
      if (head.content_length > options_.max_response_bytes) return fail(c, "response body too long");
      const std::size_t whole = head.head_bytes + head.content_length;
      if (c.in.size() < whole) continue;
      if (c.in.size() > whole) return fail(c, "bytes after the response (the request was not pipelined)");
      const auto now = Clock::now();
      if (head.status != 200) return fail(c, "status " + std::to_string(head.status));
      ++result_.ok;
      result_.latencies_us.push_back(
          static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(now - c.sent).count()));
      if (head.close) return fail(c, "server closed the connection (Connection: close)");
      if (now >= deadline_) return;
      send(c);
      return;
    }
  }

  void step(Connection& c) {
    if (c.fd < 0) return;
    switch (c.phase) {
      case Phase::connecting: start_tls(c); break;
      case Phase::handshaking: handshake(c); break;
      case Phase::writing: send(c); break;
      case Phase::reading: receive(c); break;
    }
  }

  ssl_ctx_st* ctx_;
  const KeepaliveLoadOptions& options_;
  std::vector<Connection> conns_;
  Clock::time_point deadline_;
  int epoll_;
  std::size_t closed_ = 0;
  KeepaliveLoadResult result_;
};

}  // namespace

bool parse_response_head(const char* data, std::size_t size, ResponseHead& head) {
  const std::string_view all(data, size);
  const std::size_t end = all.find("\r\n\r\n");
  if (end == std::string_view::npos) return false;
  head = ResponseHead{};
  head.head_bytes = end + 4;
  std::string_view lines = all.substr(0, end + 2);
  const std::size_t first_end = lines.find("\r\n");
  const std::string_view status_line = lines.substr(0, first_end);
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line[8] != ' ') {
    throw std::runtime_error("malformed status line: " + std::string(status_line.substr(0, 40)));
  }
  head.status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(status_line[i]))) {
      throw std::runtime_error("malformed status code: " + std::string(status_line.substr(0, 40)));
    }
    head.status = head.status * 10 + (status_line[i] - '0');
  }
  bool have_length = false;
  lines.remove_prefix(first_end + 2);
  while (!lines.empty()) {
    const std::size_t eol = lines.find("\r\n");
    const std::string_view line = lines.substr(0, eol);
    lines.remove_prefix(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) throw std::runtime_error("header line without a colon");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      std::size_t n = 0;
      if (value.empty() || value.size() > 12) throw std::runtime_error("bad Content-Length");
      for (const char ch : value) {
        if (!std::isdigit(static_cast<unsigned char>(ch))) throw std::runtime_error("bad Content-Length");
        n = n * 10 + static_cast<std::size_t>(ch - '0');
      }
      head.content_length = n;
      have_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      throw std::runtime_error("chunked answers are not supported by the load client");
    } else if (iequals(name, "connection") && iequals(value, "close")) {
      head.close = true;
    }
  }
  if (!have_length) throw std::runtime_error("answer without Content-Length");
  return true;
}

KeepaliveLoadResult run_keepalive_load(ssl_ctx_st* ctx, const KeepaliveLoadOptions& options) {
  const unsigned threads = std::max(1u, std::min(options.threads, options.connections));
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(options.duration);
  std::vector<KeepaliveLoadResult> parts(threads);
  std::vector<std::string> failures(threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    const unsigned share = options.connections / threads + (t < options.connections % threads ? 1 : 0);
    workers.emplace_back([&, t, share] {
      try {
        Loop loop(ctx, options, share, deadline);
        parts[t] = loop.run();
      } catch (const std::exception& e) {
        failures[t] = e.what();
      }
    });
  }
  for (auto& w : workers) w.join();
  KeepaliveLoadResult all;
  all.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  for (unsigned t = 0; t < threads; ++t) {
    if (!failures[t].empty()) throw std::runtime_error(failures[t]);
    all.ok += parts[t].ok;
    all.errors += parts[t].errors;
    all.connects += parts[t].connects;
    if (all.first_error.empty()) all.first_error = parts[t].first_error;
    all.latencies_us.insert(all.latencies_us.end(), parts[t].latencies_us.begin(), parts[t].latencies_us.end());
  }
  return all;
}

}  // namespace onshi::bench
