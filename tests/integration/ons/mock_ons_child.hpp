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
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

extern char** environ;

namespace onshi::testing {

inline std::string slurp_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Not onshi::testing::ChildProcess: that one sets SIGPIPE to ignored in the test process, and
// an ignored signal stays ignored across exec, so its children could never die of SIGPIPE,
// which is what these tests are about. Here the child gets SIGPIPE's default action whatever
// the test process has set (POSIX_SPAWN_SETSIGDEF).
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
    std::vector<char*> c_args;
    for (auto& a : args) c_args.push_back(a.data());
    c_args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, (dir_ / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes, &default_signals);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
    const int rc = posix_spawn(&pid_, c_args[0], &actions, &attributes, c_args.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return;
    }
    const std::regex listening(R"(listening on https://127\.0\.0\.1:(\d+))");
    const std::regex admin(R"(admin on http://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 600 && running(); ++i) {
      const std::string out = slurp_file(dir_ / "out");
      std::smatch ons_match;
      std::smatch admin_match;
      if (std::regex_search(out, ons_match, listening) && std::regex_search(out, admin_match, admin)) {
        port_ = static_cast<std::uint16_t>(std::stoul(ons_match[1]));
        admin_port_ = static_cast<std::uint16_t>(std::stoul(admin_match[1]));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~MockOnsChild() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  MockOnsChild(const MockOnsChild&) = delete;
  MockOnsChild& operator=(const MockOnsChild&) = delete;

  bool started() const { return pid_ > 0 && port_ != 0; }
  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  std::string output() const { return slurp_file(dir_ / "out") + slurp_file(dir_ / "err"); }

  // Still running (not exited, not killed by a signal).
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
    status_ = status;
    pid_ = -1;
    return false;
  }
  // How it ended, as a shell reports it (128 + signal, 141 = SIGPIPE), once running() is false.
  int exit_status() const {
    if (!status_) return -1;
    return WIFSIGNALED(*status_) ? 128 + WTERMSIG(*status_) : WEXITSTATUS(*status_);
  }
  // SIGTERM, then the exit status (-1 if it did not end within 10 s).
  int terminate() {
    if (pid_ <= 0) return exit_status();
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 500; ++i) {
      if (!running()) return exit_status();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::optional<int> status_;
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
