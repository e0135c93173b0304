#pragma once
// The standalone onshi-ons-mock as a real child process over the shared test PKI
// ($ONSHI_TEST_PKI), on 127.0.0.1 with ephemeral ONS and admin ports read from its stdout,
// plus the raw clients the peer-robustness tests need (a TLS client that hangs up, a plain
// HTTP client for the admin API). The child is killed (SIGKILL) if still running at the end.
// Test helper, POSIX only.
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::testing {

// The standalone mock as an onshi::testing::ChildProcess: the child starts with SIGPIPE's
// default action whatever the test process has set, so a mock that mishandles a peer that
// hung up dies of it (141), which is what these tests are about.
class MockOnsChild {
 public:
  // Starts `binary --pki DIR --port 0 --admin-port 0 extra...` and waits (up to 30 s) for
  // both "listening on" lines. started() says whether it came up; output() shows why not.
  MockOnsChild(const std::string& binary, const std::filesystem::path& pki_dir, std::vector<std::string> extra = {}) {
    dir_ = std::filesystem::temp_directory_path() / ("onshi-ons-child-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(counter()++));
    std::filesystem::create_directories(dir_);
    std::vector<std::string> args = {binary, "--pki", pki_dir.string(), "--port", "0", "--admin-port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    try {
      child_ = std::make_unique<ChildProcess>(args, dir_ / "out", Environment{}, dir_ / "err");
    } catch (const std::exception&) {
      return;
    }
    std::vector<std::string> ons_port;
    std::vector<std::string> admin_port;
    if (child_->wait_for_output(std::regex(R"(listening on https://127\.0\.0\.1:(\d+))"), std::chrono::seconds(30),
                                &ons_port) &&
        child_->wait_for_output(std::regex(R"(admin on http://127\.0\.0\.1:(\d+))"), std::chrono::seconds(30),
                                &admin_port)) {
      port_ = static_cast<std::uint16_t>(std::stoul(ons_port.at(1)));
      admin_port_ = static_cast<std::uint16_t>(std::stoul(admin_port.at(1)));
    }
  }
  ~MockOnsChild() {
    child_.reset();  // SIGTERM, SIGKILL after the grace period, reaped
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  MockOnsChild(const MockOnsChild&) = delete;
  MockOnsChild& operator=(const MockOnsChild&) = delete;

  bool started() const { return child_ != nullptr && port_ != 0; }
  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  std::string output() const { return child_ ? child_->output() + child_->errors() : std::string("not started"); }

  // Still running (not exited, not killed by a signal).
  bool running() { return child_ != nullptr && child_->running(); }
  // How it ended, as a shell reports it (128 + signal, 141 = SIGPIPE), once running() is false.
  int exit_status() {
    if (!child_ || child_->running()) return -1;
    return child_->wait_for_exit(std::chrono::milliseconds(0)).value_or(-1);
  }
  // SIGTERM, then the exit status (SIGKILL after 10 s).
  int terminate() { return child_ ? child_->stop(std::chrono::seconds(10)) : -1; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> child_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
};

// A TCP connection to 127.0.0.1:port, or -1.
inline int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` whole (MSG_NOSIGNAL: a peer that hangs up must not end the test either).
inline bool send_all(int fd, const std::string& request) {
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// One plain-HTTP exchange with the admin API: the raw answer ("" when the connection was
// dropped without one). The request is sent as it is, however large or malformed.
inline std::string admin_exchange(std::uint16_t port, const std::string& request) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  timeval limit{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  send_all(fd, request);
  std::string answer;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

// The status code of a raw HTTP answer, 0 when there is none.
inline unsigned http_status_of(const std::string& answer) {
  const std::regex status_line(R"(^HTTP/1\.[01] (\d{3}) )");
  std::smatch m;
  if (!std::regex_search(answer, m, status_line)) return 0;
  return static_cast<unsigned>(std::stoul(m[1]));
}

// The body of a raw HTTP answer (after the blank line).
inline std::string http_body_of(const std::string& answer) {
  const std::size_t end = answer.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

// A terminal's TLS client context (mTLS, verifying the ONS CA), for raw connections.
class TerminalTlsContext {
 public:
  TerminalTlsContext(const std::filesystem::path& ca, const std::filesystem::path& cert,
                     const std::filesystem::path& key)
      : ctx_(SSL_CTX_new(TLS_client_method()), SSL_CTX_free) {
    if (!ctx_ || SSL_CTX_load_verify_locations(ctx_.get(), ca.c_str(), nullptr) != 1 ||
        SSL_CTX_use_certificate_chain_file(ctx_.get(), cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx_.get(), key.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("cannot set up the terminal's TLS context");
    }
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
  }
  SSL_CTX* get() const { return ctx_.get(); }

 private:
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_;
};

}  // namespace onshi::testing
