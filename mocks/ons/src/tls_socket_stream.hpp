#pragma once
// The mock ONS's server-side TLS stream: OpenSSL reads and writes the socket itself
// (through no_sigpipe_socket_bio.hpp) and Asio only waits for readiness. Why not asio::ssl::stream: that one keeps
// 2 x 17 KB record buffers per connection plus a 2 x 17 KB BIO pair and copies every record
// through them; here a record is copied once, and with SSL_MODE_RELEASE_BUFFERS an idle
// keep-alive connection holds only its SSL state (the 1,000-idle-connections RSS goal).
// Deadlines work like beast::tcp_stream's: expires_after() before an operation; once it has
// passed, the socket is closed and the pending operation fails with beast::error::timeout.
// Private to mocks/ons/src (Asio stays out of public headers). One operation of each
// direction at a time, all on the socket's (strand) executor, as Beast's HTTP ops do.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#pragma GCC diagnostic pop
#include <openssl/err.h>
#include <unistd.h>
#include <openssl/ssl.h>

#include "no_sigpipe_socket_bio.hpp"

namespace onshi::mocks::ons::detail {

class TlsSocketStream {
 public:
  using tcp = boost::asio::ip::tcp;
  using executor_type = tcp::socket::executor_type;
  using error_code = boost::system::error_code;
  using Clock = std::chrono::steady_clock;

  // Server side of a TLS connection on an accepted socket. ok() is false when OpenSSL could
  // not make the SSL object; the caller then just closes.
  TlsSocketStream(tcp::socket socket, SSL_CTX* ctx)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), ssl_(SSL_new(ctx), &free_ssl) {
    error_code ec;
    socket_.non_blocking(true, ec);
    // Not SSL_set_fd: its socket BIO writes with write(2), and a peer that has gone would
    // raise SIGPIPE and end the process (no_sigpipe_socket_bio.hpp).
    BIO* bio = ssl_ && !ec ? new_no_sigpipe_socket_bio(static_cast<int>(socket_.native_handle())) : nullptr;
    if (bio == nullptr) {
      ssl_.reset();
      return;
    }
    SSL_set_bio(ssl_.get(), bio, bio);  // the SSL owns the one reference
    SSL_set_mode(ssl_.get(), SSL_MODE_RELEASE_BUFFERS);
    // Read whatever has arrived in one read(2) instead of a record header, then its body.
    SSL_set_read_ahead(ssl_.get(), 1);
    SSL_set_accept_state(ssl_.get());
  }
  TlsSocketStream(const TlsSocketStream&) = delete;
  TlsSocketStream& operator=(const TlsSocketStream&) = delete;

  bool ok() const { return ssl_ != nullptr; }
  SSL* native_handle() const { return ssl_.get(); }
  tcp::socket& socket() { return socket_; }
  executor_type get_executor() { return socket_.get_executor(); }

  // The deadline timer must not outlive-use a destroyed stream: it checks `owner` first.
  void set_owner(std::weak_ptr<void> owner) { owner_ = std::move(owner); }

  void expires_after(Clock::duration d) {
    deadline_ = Clock::now() + d;
    // A wait already armed for an earlier instant re-arms itself when it fires early, so
    // the common case (the deadline moves later) costs no timer operation at all.
    if (armed_ && armed_for_ <= deadline_) return;
    arm(deadline_);
  }

  // Puts the connection on `context`'s thread: the same descriptor and SSL, a new socket
  // object and deadline timer there. Only with no operation pending. False if the socket
  // could not be moved (it is then closed).
  bool move_to(boost::asio::io_context& context) {
    error_code ec;
    timer_.cancel();
    armed_ = false;
    const tcp::endpoint local = socket_.local_endpoint(ec);
    const tcp::socket::native_handle_type fd = ec ? -1 : socket_.release(ec);
    if (ec || fd < 0) {
      close();
      return false;
    }
    tcp::socket moved(context);
    moved.assign(local.protocol(), fd, ec);
    if (!ec) moved.non_blocking(true, ec);
    if (ec) {
      ::close(fd);
      return false;
    }
    socket_ = std::move(moved);
    timer_ = boost::asio::steady_timer(context);
    return true;
  }

  void close() {
    error_code ignored;
    timer_.cancel();
    armed_ = false;
    socket_.close(ignored);
  }

  template <class Token>
  auto async_handshake(Token&& token) {
    return start<false>([](SSL* ssl) { return SSL_do_handshake(ssl); }, std::forward<Token>(token));
  }

  // Sends close_notify and waits for the peer's (the caller's deadline bounds the wait).
  template <class Token>
  auto async_shutdown(Token&& token) {
    return start<false>(
        [](SSL* ssl) {
          int r = SSL_shutdown(ssl);
          if (r == 0) r = SSL_shutdown(ssl);
          return r;
        },
        std::forward<Token>(token));
  }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    boost::asio::mutable_buffer into;
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::mutable_buffer b = *it;  // Beast's iterators have no operator->
      if (b.size() > 0) {
        into = b;
        break;
      }
    }
    const int n = static_cast<int>(std::min<std::size_t>(into.size(), kMaxIo));
    return start<true>([p = into.data(), n](SSL* ssl) { return n == 0 ? 0 : SSL_read(ssl, p, n); },
                       std::forward<Token>(token), n == 0);
  }

  // Gathers up to one TLS record's worth of the sequence (Beast hands over the header and
  // the body separately) so a response goes out as one record and one sendmsg.
  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    const std::size_t total = std::min(boost::asio::buffer_size(buffers), kMaxRecord);
    const void* data = nullptr;
    if (total > 0 && boost::asio::const_buffer(*boost::asio::buffer_sequence_begin(buffers)).size() >= total) {
      data = boost::asio::const_buffer(*boost::asio::buffer_sequence_begin(buffers)).data();
    } else if (total > 0) {
      write_scratch_.resize(total);
      boost::asio::buffer_copy(boost::asio::buffer(write_scratch_), buffers);
      data = write_scratch_.data();
    }
    const int n = static_cast<int>(total);
    return start<true>([data, n](SSL* ssl) { return n == 0 ? 0 : SSL_write(ssl, data, n); },
                       std::forward<Token>(token), n == 0);
  }

 private:
  // SSL_free of a connection that did not end in close_notify removes its session from the
  // context's session cache, under the context's lock, even with the cache off (OpenSSL 3.0
  // ssl_clear_bad_session). The handshake workers take that lock for every new session, and
  // one preempted holding it (at a higher nice value, worker_pool.hpp) stalled the request worker freeing a
  // dropped connection. There is no cache to clean (tls_context_pool.cpp), so the connection
  // is marked shut down first and the lock is never taken here.
  static void free_ssl(SSL* ssl) {
    SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl);
  }

  static constexpr std::size_t kMaxRecord = 16 * 1024;
  static constexpr std::size_t kMaxIo = 1 << 30;

  // One SSL call retried on socket readiness until it succeeds or fails for good.
  template <bool Sized, class Attempt>
  struct Op {
    TlsSocketStream& s;
    Attempt attempt;
    bool empty = false;  // zero-byte read/write: completes at once with 0
    bool waited = false;

    template <class Self>
    void operator()(Self& self, error_code ec = {}) {
      if (!ec && !s.timed_out_ && !empty) {
        ERR_clear_error();
        errno = 0;
        const int r = attempt(s.ssl_.get());
        const int saved_errno = errno;
        if (r > 0) return finish(self, {}, static_cast<std::size_t>(r));
        const int err = SSL_get_error(s.ssl_.get(), r);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
          waited = true;
          s.socket_.async_wait(err == SSL_ERROR_WANT_READ ? tcp::socket::wait_read : tcp::socket::wait_write,
                               std::move(self));
          return;
        }
        ec = failure(err, saved_errno);
      }
      if (s.timed_out_) ec = boost::beast::error::timeout;
      finish(self, ec, 0);
    }

    template <class Self>
    void finish(Self& self, error_code ec, std::size_t n) {
      if (waited) return complete(self, ec, n);
      // Never complete inside the initiating call (Asio's rule): once round the executor.
      boost::asio::post(s.socket_.get_executor(),
                        [self = std::move(self), ec, n]() mutable { complete(self, ec, n); });
    }

    template <class Self>
    static void complete(Self& self, error_code ec, std::size_t n) {
      if constexpr (Sized) {
        self.complete(ec, n);
      } else {
        self.complete(ec);
      }
    }

    // The codes asio::ssl::stream reports, so callers classify failures the same way.
    static error_code failure(int err, int saved_errno) {
      if (err == SSL_ERROR_ZERO_RETURN) return boost::asio::error::eof;
      const unsigned long queued = ERR_get_error();
      if (queued != 0) return {static_cast<int>(queued), boost::asio::error::get_ssl_category()};
      if (err == SSL_ERROR_SYSCALL && saved_errno != 0) return {saved_errno, boost::system::system_category()};
      return boost::asio::ssl::error::stream_truncated;
    }
  };

  template <bool Sized, class Attempt, class Token>
  auto start(Attempt attempt, Token&& token, bool empty = false) {
    using Signature = std::conditional_t<Sized, void(error_code, std::size_t), void(error_code)>;
    return boost::asio::async_compose<Token, Signature>(Op<Sized, Attempt>{*this, std::move(attempt), empty, false},
                                                        token, socket_);
  }

  void arm(Clock::time_point at) {
    armed_ = true;
    armed_for_ = at;
    timer_.expires_at(at);  // cancels an earlier wait; its handler sees operation_aborted
    timer_.async_wait([this, owner = owner_](error_code ec) {
      if (ec) return;  // re-armed, closed or destroyed: touch nothing
      const auto alive = owner.lock();
      if (!alive) return;
      armed_ = false;
      if (Clock::now() < deadline_) return arm(deadline_);
      timed_out_ = true;
      error_code ignored;
      socket_.close(ignored);  // pending waits end with operation_aborted, reported as timeout
    });
  }

  tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<SSL, decltype(&free_ssl)> ssl_;
  std::weak_ptr<void> owner_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_for_{};
  bool armed_ = false;
  bool timed_out_ = false;
  std::string write_scratch_;
};

}  // namespace onshi::mocks::ons::detail
