// onshi-ons-abuse: the peers a server on a shared network meets, against an HTTPS endpoint
// (the mock ONS), for the flood test beside it (mock_ons_abuse_test.cpp) and the abuse bench
// (benches/ons/bench_ons_abuse.sh). Each kind runs in its own threads, all at once:
//   --malformed N    N malformed requests from an authenticated terminal over --connections
//                    keep-alive connections (bad XML, wrong Content-Type, bad request lines,
//                    bad lengths, bytes that are not UTF-8); reconnects when the server closes
//   --slowloris N    N connections that send a few bytes and then one byte every second, for
//                    --hold seconds (a tenth of them after a full mTLS handshake)
//   --handshakes N   N full handshakes closed at once (every fourth without a client certificate)
//   --garbage N      N connections that send a TLS-looking record of random bytes
//   --half-open N    N connections that send half a ClientHello (or half a request) and shut
//                    their sending side, never reading
// Prints one line per kind: kind=.. attempted=.. answered=.. closed_by_server=.. errors=..
// and exits 0 (the server's health is judged by whoever runs this, not here).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

struct Target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

struct Counts {
  std::atomic<std::uint64_t> attempted{0};
  std::atomic<std::uint64_t> answered{0};
  std::atomic<std::uint64_t> closed_by_server{0};
  std::atomic<std::uint64_t> errors{0};

  void print(const char* kind) const {
    std::printf("kind=%s attempted=%llu answered=%llu closed_by_server=%llu errors=%llu\n", kind,
                static_cast<unsigned long long>(attempted.load()), static_cast<unsigned long long>(answered.load()),
                static_cast<unsigned long long>(closed_by_server.load()),
                static_cast<unsigned long long>(errors.load()));
  }
};

// A TCP connection to the target with a receive timeout, or -1.
int connect_tcp(const Target& target, std::chrono::seconds receive_timeout = 15s) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(target.port);
  if (::inet_pton(AF_INET, target.host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(receive_timeout.count());
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// True once the server closed (or reset) the connection within `wait`.
bool closed_within(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  const auto deadline = SteadyClock::now() + wait;
  char buffer[4096];
  while (SteadyClock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    const int rc = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(1, left.count())));
    if (rc < 0) return false;
    if (rc == 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return true;
  }
  return false;
}

class TlsClient {
 public:
  TlsClient(const std::string& ca, const std::string& cert, const std::string& key)
      : with_cert_(make(ca, cert, key)), without_cert_(make(ca, "", "")) {}
  SSL_CTX* context(bool with_certificate) const { return with_certificate ? with_cert_.get() : without_cert_.get(); }

 private:
  using Context = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
  static Context make(const std::string& ca, const std::string& cert, const std::string& key) {
    Context ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    if (!ctx || SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr) != 1 ||
        (!cert.empty() && (SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str()) != 1 ||
                           SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1))) {
      throw std::runtime_error("cannot set up the TLS client context (--ca/--cert/--key)");
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);  // no session is ever reused: each handshake is full
    return ctx;
  }
  Context with_cert_;
  Context without_cert_;
};

// One TLS connection; closed (SSL freed, fd closed) on destruction.
struct TlsConnection {
  int fd = -1;
  SSL* ssl = nullptr;
  ~TlsConnection() {
    if (ssl != nullptr) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
  }
  bool open(const Target& target, SSL_CTX* ctx) {
    fd = connect_tcp(target);
    if (fd < 0) return false;
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    return SSL_connect(ssl) == 1;
  }
  bool write(const std::string& bytes) {
    return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
  }
  // Reads one HTTP answer; its status (0 when the connection ended first) and whether the
  // server keeps the connection.
  unsigned read_answer(bool& keep_alive) {
    std::string in;
    char buffer[8192];
    std::size_t header_end = std::string::npos;
    while ((header_end = in.find("\r\n\r\n")) == std::string::npos) {
      const int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) return 0;
      in.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string head = in.substr(0, header_end);
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    keep_alive = lower.find("connection: close") == std::string::npos;
    std::size_t length = 0;
    if (const std::size_t at = lower.find("content-length:"); at != std::string::npos) {
      length = std::strtoul(lower.c_str() + at + 15, nullptr, 10);
    }
    while (in.size() < header_end + 4 + length) {
      const int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) return 0;
      in.append(buffer, static_cast<std::size_t>(n));
    }
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return 0;
    return static_cast<unsigned>(std::strtoul(head.c_str() + 9, nullptr, 10));
  }
};

std::string post(const std::string& path, const std::string& content_type, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The malformed requests a careless terminal sends, in turn. Most keep the connection (the
// server answers an ONS error and reads on); every tenth breaks HTTP itself and ends it.
std::string malformed_request(std::uint64_t i) {
  const std::string path = "/onshi/v1/qualification/search";
  switch (i % 10) {
    case 0: return post(path, "application/xml", "<XmlMsg><MessageHeader>");
    case 1: return post(path, "text/plain", "hello");
    case 2: return post(path, "application/xml", std::string("<?xml version=\"1.0\"?><XmlMsg>\xff\xfe</XmlMsg>"));
    case 3: return post(path, "application/json", "{\"XmlMsg\": [1, 2");
    case 4: return post("/no/such/endpoint", "application/xml", "<XmlMsg/>");
    case 5: return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    case 6: return post(path, "application/xml", "<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]><XmlMsg>&a;&a;&a;</XmlMsg>");
    case 7: return post(path, "application/xml", "<XmlMsg><MessageHeader><MedicalInstitutionCode>&#xD800;</MedicalInstitutionCode></MessageHeader></XmlMsg>");
    case 8: return post(path, "application/xml", "");
    default: return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\nBroken header\r\n\r\n";
  }
}

void malformed(const Target& target, const TlsClient& tls, std::uint64_t total, unsigned connections, Counts& c) {
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < connections; ++t) {
    threads.emplace_back([&] {
      auto connection = std::make_unique<TlsConnection>();
      bool open = false;
      for (std::uint64_t i = next++; i < total; i = next++) {
        if (!open) {
          connection = std::make_unique<TlsConnection>();
          open = connection->open(target, tls.context(true));
          if (!open) {
            ++c.errors;
            continue;
          }
        }
        ++c.attempted;
        bool keep_alive = false;
        if (!connection->write(malformed_request(i))) {
          ++c.closed_by_server;
          open = false;
          continue;
        }
        const unsigned status = connection->read_answer(keep_alive);
        if (status != 0) ++c.answered;
        if (status == 0 || !keep_alive) {
          ++c.closed_by_server;
          open = false;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

void slowloris(const Target& target, const TlsClient& tls, std::uint64_t total, std::chrono::seconds hold, Counts& c) {
  struct Slow {
    int fd = -1;
    std::unique_ptr<TlsConnection> tls;  // the tenth that drips inside a TLS session
  };
  std::vector<Slow> slow;
  slow.reserve(total);
  for (std::uint64_t i = 0; i < total; ++i) {
    ++c.attempted;
    Slow s;
    if (i % 10 == 9) {
      s.tls = std::make_unique<TlsConnection>();
      if (!s.tls->open(target, tls.context(true)) || !s.tls->write("POST /onshi/v1/qualification/search HTTP/1.1\r\nHo")) {
        ++c.errors;
        continue;
      }
    } else {
      s.fd = connect_tcp(target);
      // A handshake record header announcing 512 bytes, then one byte a second: the server
      // waits for the rest until its handshake timeout.
      if (s.fd < 0 || !send_all(s.fd, std::string("\x16\x03\x01\x02\x00", 5))) {
        ++c.errors;
        if (s.fd >= 0) ::close(s.fd);
        continue;
      }
    }
    slow.push_back(std::move(s));
  }
  const auto end = SteadyClock::now() + hold;
  std::vector<bool> gone(slow.size(), false);
  while (SteadyClock::now() < end) {
    std::this_thread::sleep_for(1s);
    for (std::size_t i = 0; i < slow.size(); ++i) {
      if (gone[i]) continue;
      const bool ok = slow[i].tls ? slow[i].tls->write("s") : send_all(slow[i].fd, std::string(1, '\x01'));
      if (!ok) {
        gone[i] = true;
        ++c.closed_by_server;
      }
    }
  }
  for (Slow& s : slow) {
    if (s.fd >= 0) ::close(s.fd);
  }
}

void handshakes(const Target& target, const TlsClient& tls, std::uint64_t total, unsigned threads_count, Counts& c) {
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < threads_count; ++t) {
    threads.emplace_back([&] {
      for (std::uint64_t i = next++; i < total; i = next++) {
        ++c.attempted;
        TlsConnection connection;
        const bool with_certificate = i % 4 != 3;
        const bool done = connection.open(target, tls.context(with_certificate));
        if (done && with_certificate) {
          ++c.answered;
        } else if (!with_certificate) {
          ++c.closed_by_server;  // refused (TLS 1.3 says so after the handshake, at the first read)
        } else {
          ++c.errors;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

void garbage(const Target& target, std::uint64_t total, unsigned threads_count, std::chrono::seconds close_within,
             Counts& c) {
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < threads_count; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 random(0x6f6e736869ull + t);
      for (std::uint64_t i = next++; i < total; i = next++) {
        ++c.attempted;
        const int fd = connect_tcp(target, close_within);
        if (fd < 0) {
          ++c.errors;
          continue;
        }
        // A whole record (its length says exactly what follows) of random bytes, as a handshake
        // or as application data before any handshake: the server has all it needs to refuse.
        std::string record = i % 2 == 0 ? std::string("\x16\x03\x01\x01\xfb", 5) : std::string("\x17\x03\x03\x01\xfb", 5);
        while (record.size() < 5 + 0x01fb) record.push_back(static_cast<char>(random() & 0xFF));
        if (send_all(fd, record) && closed_within(fd, close_within)) {
          ++c.closed_by_server;
        } else {
          ++c.errors;
        }
        ::close(fd);
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

void half_open(const Target& target, const TlsClient& tls, std::uint64_t total, std::chrono::seconds hold, Counts& c) {
  std::vector<int> fds;
  std::vector<std::unique_ptr<TlsConnection>> sessions;
  for (std::uint64_t i = 0; i < total; ++i) {
    ++c.attempted;
    if (i % 10 == 9) {
      auto s = std::make_unique<TlsConnection>();
      if (!s->open(target, tls.context(true)) || !s->write("POST /onshi/v1/qualification/search HTTP/1.1\r\n")) {
        ++c.errors;
        continue;
      }
      ::shutdown(s->fd, SHUT_WR);
      sessions.push_back(std::move(s));
      continue;
    }
    const int fd = connect_tcp(target);
    // Half a ClientHello's record header, then our side is shut: the server must not wait forever.
    if (fd < 0 || !send_all(fd, std::string("\x16\x03\x01\x02", 4))) {
      ++c.errors;
      if (fd >= 0) ::close(fd);
      continue;
    }
    ::shutdown(fd, SHUT_WR);
    fds.push_back(fd);
  }
  std::this_thread::sleep_for(hold);
  for (const int fd : fds) {
    if (closed_within(fd, 100ms)) ++c.closed_by_server;
    ::close(fd);
  }
  for (const auto& s : sessions) {
    if (closed_within(s->fd, 100ms)) ++c.closed_by_server;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"the abusive peers of a server on a shared network, against an HTTPS endpoint"};
  Target target;
  std::string ca;
  std::string cert;
  std::string key;
  std::uint64_t malformed_count = 0;
  unsigned connections = 100;
  std::uint64_t slowloris_count = 0;
  std::uint64_t handshake_count = 0;
  std::uint64_t garbage_count = 0;
  std::uint64_t half_open_count = 0;
  unsigned hold_s = 15;
  unsigned close_within_s = 12;
  app.add_option("--host", target.host)->capture_default_str();
  app.add_option("--port", target.port)->required();
  app.add_option("--ca", ca)->required();
  app.add_option("--cert", cert)->required();
  app.add_option("--key", key)->required();
  app.add_option("--malformed", malformed_count, "malformed requests")->check(CLI::Range(0ull, 10'000'000ull));
  app.add_option("--connections", connections, "connections the malformed requests share")->check(CLI::Range(1u, 1000u));
  app.add_option("--slowloris", slowloris_count, "slow connections held")->check(CLI::Range(0ull, 5000ull));
  app.add_option("--handshakes", handshake_count, "full handshakes, closed at once")->check(CLI::Range(0ull, 10'000'000ull));
  app.add_option("--garbage", garbage_count, "connections sending a record of random bytes")->check(CLI::Range(0ull, 10'000'000ull));
  app.add_option("--half-open", half_open_count, "connections that shut their sending side")->check(CLI::Range(0ull, 5000ull));
  app.add_option("--hold", hold_s, "seconds slow and half-open connections are held")->check(CLI::Range(1u, 3600u));
  app.add_option("--close-within", close_within_s, "seconds a garbage record's connection may take to be closed")
      ->capture_default_str()
      ->check(CLI::Range(1u, 600u));
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGPIPE, SIG_IGN);  // OpenSSL writes with write(2): a server that closed must not end us
  try {
    const TlsClient tls(ca, cert, key);
    Counts m, s, h, g, o;
    std::vector<std::thread> kinds;
    const std::chrono::seconds hold(hold_s);
    if (slowloris_count > 0) kinds.emplace_back([&] { slowloris(target, tls, slowloris_count, hold, s); });
    if (half_open_count > 0) kinds.emplace_back([&] { half_open(target, tls, half_open_count, hold, o); });
    if (malformed_count > 0) kinds.emplace_back([&] { malformed(target, tls, malformed_count, connections, m); });
    if (handshake_count > 0) kinds.emplace_back([&] { handshakes(target, tls, handshake_count, 4, h); });
    if (garbage_count > 0) kinds.emplace_back([&] { garbage(target, garbage_count, 4, std::chrono::seconds(close_within_s), g); });
    for (std::thread& k : kinds) k.join();
    if (malformed_count > 0) m.print("malformed");
    if (slowloris_count > 0) s.print("slowloris");
    if (handshake_count > 0) h.print("handshakes");
    if (garbage_count > 0) g.print("garbage");
    if (half_open_count > 0) o.print("half_open");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onshi-ons-abuse: %s\n", e.what());
    return 2;
  }
  return 0;
}
