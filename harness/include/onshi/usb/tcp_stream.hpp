#pragma once
// A blocking TCP connection and listener over POSIX sockets with every wait bounded, for
// the byte-stream protocols of the reader exports (USB/IP, vpcd). TCP_NODELAY is set on
// every connection: these protocols send small request/answer frames, where Nagle plus
// delayed ACK would add ~40 ms per exchange (docs/domain/vpcd.md); reads also ask for a quick
// ACK, for peers that do not set TCP_NODELAY themselves (ifd-vpcd). Reads are buffered: one
// recv() takes whatever has arrived, so a frame and its payload cost one system call.
#include <cstdint>
#include <string>

#include "onshi/core/bytes.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/core/host_port.hpp"

namespace onshi::usb {

class TcpStream {
 public:
  TcpStream() = default;
  explicit TcpStream(int fd);
  ~TcpStream();
  TcpStream(TcpStream&& other) noexcept;
  TcpStream& operator=(TcpStream&& other) noexcept;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  // Error(io) when refused or unreachable, Error(timeout) when `timeout` passes.
  static TcpStream connect(const HostPort& peer, Duration timeout);

  bool is_open() const { return fd_ >= 0; }
  // Waits up to `timeout` for readable data (or EOF); false on timeout.
  bool wait_readable(Duration timeout);
  // Reads exactly n bytes. Error(io, "connection closed") on EOF, Error(timeout) when no byte
  // of the message arrives in time (a message once started must complete within `timeout`).
  Bytes read_exact(std::size_t n, Duration timeout);
  void write_all(ByteView data);
  // Wakes a reader blocked in another thread (shutdown of both directions).
  void shutdown();
  void close();
  std::string peer() const;

 private:
  enum class Received { data, nothing, end_of_stream, failed };
  static constexpr std::size_t receive_chunk = 16 * 1024;

  std::size_t buffered() const { return filled_ - read_from_; }
  // One non-blocking recv() into the buffer; `failed` leaves errno set.
  Received receive_some();

  int fd_ = -1;
  Bytes buffer_;               // bytes [read_from_, filled_) are received and not yet read
  std::size_t read_from_ = 0;
  std::size_t filled_ = 0;
};

class TcpListener {
 public:
  // Binds HOST:PORT (port 0 = ephemeral) and listens. Error(io) naming the address.
  explicit TcpListener(const HostPort& address);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  std::uint16_t port() const { return port_; }
  // A connection, or a closed stream when `timeout` passes or the listener was shut down.
  TcpStream accept(Duration timeout);
  void shutdown();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace onshi::usb
