#pragma once
// A listening socket of the mock ONS (the ONS port, the admin port), opened one way for
// both: SO_REUSEADDR, bind, listen, each failure an Error(io) naming the address. Accepts
// until closed, each connection on the worker `choose_worker` picks; after an accept error
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
  using ChooseWorker = std::function<std::size_t()>;
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket, std::size_t worker)>;

  // Lives on `workers`' first io_context.
  explicit Listener(WorkerPool& workers);

  // Throws Error(io) naming `where` (e.g. "127.0.0.1:8443"). Returns the bound port.
  std::uint16_t open(const boost::asio::ip::tcp::endpoint& endpoint, int backlog, const std::string& where);
  bool is_open() const { return acceptor_.is_open(); }

  // Accepts until close(); `stopping` is read before each new connection is handed over.
  void start(ChooseWorker choose_worker, OnAccept on_accept, const std::atomic<bool>& stopping);
  // Closes the socket on its own executor (safe from any thread).
  void close();

 private:
  void accept();

  WorkerPool& workers_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ChooseWorker choose_worker_;
  OnAccept on_accept_;
  const std::atomic<bool>* stopping_ = nullptr;
};

}  // namespace onshi::mocks::ons::detail
