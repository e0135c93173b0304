#include "onshi/usb/tcp_stream.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "onshi/core/error.hpp"

namespace onshi::usb {
namespace {

int poll_ms(Duration timeout) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  return ms < 0 ? 0 : ms > 3'600'000 ? 3'600'000 : static_cast<int>(ms);
}

void set_nodelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// A peer that writes a frame in two send()s without TCP_NODELAY (ifd-vpcd sends the length,
// then the payload) has its second write held by Nagle until we ACK the first, and our
// kernel delays that ACK by up to 40 ms. Asking for a quick ACK after every read releases
// the rest at once. TCP_QUICKACK is not sticky, hence per read; Linux only.
void ack_now(int fd) {
#ifdef TCP_QUICKACK
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
  (void)fd;
#endif
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

TcpStream::TcpStream(int fd) : fd_(fd) {
  if (fd_ >= 0) set_nodelay(fd_);
}
TcpStream::~TcpStream() { close(); }
TcpStream::TcpStream(TcpStream&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      read_from_(std::exchange(other.read_from_, 0)),
      filled_(std::exchange(other.filled_, 0)) {}
TcpStream& TcpStream::operator=(TcpStream&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    read_from_ = std::exchange(other.read_from_, 0);
    filled_ = std::exchange(other.filled_, 0);
  }
  return *this;
}

TcpStream TcpStream::connect(const HostPort& peer, Duration timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(peer.port);
  if (const int rc = ::getaddrinfo(peer.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw Error(ErrorCode::io, std::string("cannot resolve host: ") + ::gai_strerror(rc), peer.to_string());
  }
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last_error = errno_text();
      ::close(fd);
      continue;
    }
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, poll_ms(timeout)) <= 0) {
      ::close(fd);
      ::freeaddrinfo(found);
      throw Error(ErrorCode::timeout, "TCP connect timed out", peer.to_string());
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      last_error = std::strerror(err);
      ::close(fd);
      continue;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    ::freeaddrinfo(found);
    return TcpStream(fd);
  }
  ::freeaddrinfo(found);
  throw Error(ErrorCode::io, "TCP connect failed: " + last_error, peer.to_string());
}

bool TcpStream::wait_readable(Duration timeout) {
  if (fd_ < 0 || buffered() > 0) return true;
  pollfd p{fd_, POLLIN, 0};
  const int rc = ::poll(&p, 1, poll_ms(timeout));
  // Readable: take what is there now, so the read that follows needs no second poll. An
  // end of stream or an error is left for that read to report.
  if (rc > 0) receive_some();
  return rc != 0;
}

TcpStream::Received TcpStream::receive_some() {
  // One recv() takes all that has arrived, up to the buffer's room: a USB/IP header and its
  // payload, sent together, cost one call instead of one per read_exact.
  if (read_from_ == filled_) read_from_ = filled_ = 0;
  if (buffer_.size() - filled_ < receive_chunk) {
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(read_from_),
              buffer_.begin() + static_cast<std::ptrdiff_t>(filled_), buffer_.begin());
    filled_ -= read_from_;
    read_from_ = 0;
    if (buffer_.size() - filled_ < receive_chunk) buffer_.resize(filled_ + receive_chunk);
  }
  const ssize_t r = ::recv(fd_, buffer_.data() + filled_, buffer_.size() - filled_, MSG_DONTWAIT);
  if (r > 0) {
    filled_ += static_cast<std::size_t>(r);
    ack_now(fd_);
    return Received::data;
  }
  if (r == 0) return Received::end_of_stream;
  if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return Received::nothing;
  return Received::failed;
}

Bytes TcpStream::read_exact(std::size_t n, Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (buffered() < n) {
    if (fd_ < 0) throw Error(ErrorCode::io, "connection closed", "tcp");
    const auto left = deadline - std::chrono::steady_clock::now();
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, poll_ms(std::chrono::duration_cast<Duration>(left)));
    if (rc == 0) throw Error(ErrorCode::timeout, "no data within the timeout", peer());
    if (rc < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCode::io, "poll failed: " + errno_text(), peer());
    }
    switch (receive_some()) {
      case Received::data:
      case Received::nothing:
        break;
      case Received::end_of_stream:
        throw Error(ErrorCode::io, "connection closed by the peer", peer());
      case Received::failed:
        throw Error(ErrorCode::io, "recv failed: " + errno_text(), peer());
    }
  }
  const auto first = buffer_.begin() + static_cast<std::ptrdiff_t>(read_from_);
  Bytes out(first, first + static_cast<std::ptrdiff_t>(n));
  read_from_ += n;
  return out;
}

void TcpStream::write_all(ByteView data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    if (fd_ < 0) throw Error(ErrorCode::io, "connection closed", "tcp");
    const ssize_t r = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCode::io, "send failed: " + errno_text(), peer());
    }
    sent += static_cast<std::size_t>(r);
  }
}

void TcpStream::shutdown() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

void TcpStream::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  read_from_ = filled_ = 0;
}

std::string TcpStream::peer() const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (fd_ < 0 || ::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "tcp";
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "tcp";
  }
  return std::string(host) + ":" + port;
}

TcpListener::TcpListener(const HostPort& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw Error(ErrorCode::io, std::string("cannot resolve listen address: ") + ::gai_strerror(rc), address.to_string());
  }
  fd_ = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  const int one = 1;
  if (fd_ >= 0) ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd_ < 0 || ::bind(fd_, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd_, 16) != 0) {
    const std::string why = errno_text();
    ::freeaddrinfo(found);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCode::io, "cannot listen: " + why, address.to_string());
  }
  ::freeaddrinfo(found);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

TcpListener::~TcpListener() {
  if (fd_ >= 0) ::close(fd_);
}

TcpStream TcpListener::accept(Duration timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (fd_ < 0 || ::poll(&p, 1, poll_ms(timeout)) <= 0 || (p.revents & POLLIN) == 0) return TcpStream();
  const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  return TcpStream(fd);
}

void TcpListener::shutdown() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace onshi::usb
