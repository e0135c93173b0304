#pragma once
// The mock ONS's workers: one io_context per thread, like nginx's worker processes, in two
// kinds (docs/hardening.md "Handshake floods"). A connection is accepted onto a handshake
// worker, whose thread runs at a lower CPU priority (nice 10 by default), and moves to the request
// worker with the fewest connections once its TLS handshake is done. A handshake costs an RSA
// signature (~0.3 ms) that a worker cannot interrupt; on the same thread, a flood of them
// queued ahead of a kept-alive terminal's inquiry (its p99 went 80x under abuse). Apart, the
// kernel preempts a handshake for an inquiry. On either kind a connection's handlers run on
// one thread, so they need no strand. Private to mocks/ons/src.
#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#pragma GCC diagnostic pop

namespace onshi::mocks::ons::detail {

class WorkerPool {
 public:
  // `workers` request workers and as many handshake workers, whose threads run at nice
  // `handshake_nice` (0..19; not below the process's own).
  WorkerPool(unsigned workers, int handshake_nice);
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t worker) { return *contexts_.at(worker); }
  boost::asio::io_context& handshake_context(std::size_t worker) { return *handshake_contexts_.at(worker); }
  // The next handshake worker, round robin. Any thread.
  std::size_t next_handshake_worker() { return next_handshake_++ % handshake_contexts_.size(); }
  // Live sessions on `worker`: a session counts itself in and out.
  std::atomic<int>& load(std::size_t worker) { return *loads_.at(worker); }

  // The request worker with the fewest live sessions (round robin on a tie), so long
  // keep-alive connections spread evenly. Any thread (the handshake workers call it).
  std::size_t least_loaded();

  // Runs every io_context on its own thread until stop(); the handshake workers' threads
  // lower their own priority first.
  void run();
  void stop();

 private:
  // Loads first: destroyed after the io_contexts, whose queued handlers hold sessions that
  // count themselves out of them.
  std::vector<std::unique_ptr<std::atomic<int>>> loads_;
  // Handshake contexts before the request contexts, so destroyed after them: the accept in
  // flight (queued on request worker 0, where the listener lives) holds a socket of a
  // handshake context (ASan found the use after free).
  std::vector<std::unique_ptr<boost::asio::io_context>> handshake_contexts_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_guards_;
  std::vector<std::thread> threads_;
  int handshake_nice_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> next_handshake_{0};
};

}  // namespace onshi::mocks::ons::detail
