#pragma once
// A listening socket of the mock ONS (the ONS port, the admin port), opened one way for
// both: SO_REUSEADDR, bind, listen, each failure an Error(io) naming the address. Accepts
// until closed, each connection on the io_context `choose_context` picks; after an accept error
// (EMFILE and friends) it backs off briefly instead of spinning. Private to mocks/ons/src.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/ip/tcp.hpp>
#pragma GCC diagnostic pop

#include "worker_pool.hpp"

namespace onshi::mocks::ons::detail {

class Listener {
 public:
  using ChooseContext = std::function<boost::asio::io_context&()>;
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket)>;

  // Lives on `workers`' first io_context.
  explicit Listener(WorkerPool& workers);

  // Throws Error(io) naming `where` (e.g. "127.0.0.1:8443"). Returns the bound port.
  std::uint16_t open(const boost::asio::ip::tcp::endpoint& endpoint, int backlog, const std::string& where);
  bool is_open() const { return acceptor_.is_open(); }

  // Accepts until close(); `stopping` is read before each new connection is handed over.
  void start(ChooseContext choose_context, OnAccept on_accept, const std::atomic<bool>& stopping);
  // Closes the socket on its own executor (safe from any thread).
  void close();

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  ChooseContext choose_context_;
  OnAccept on_accept_;
  const std::atomic<bool>* stopping_ = nullptr;
};

}  // namespace onshi::mocks::ons::detail
