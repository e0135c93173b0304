#pragma once
// The mock ONS's workers: one io_context per thread, like nginx's worker processes. A
// connection lives on one worker from accept to close, so its handlers need no strand and no
// thread hands work to another (with a shared io_context every completion could wake the
// other thread). Private to mocks/ons/src.
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
  explicit WorkerPool(unsigned workers);
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t worker) { return *contexts_.at(worker); }
  // Live sessions on `worker`: a session counts itself in and out.
  std::atomic<int>& load(std::size_t worker) { return *loads_.at(worker); }

  // The worker with the fewest live sessions (round robin on a tie): long keep-alive
  // connections spread evenly, and a burst of handshakes does not queue behind one worker's
  // RSA signatures while the other waits. One caller at a time (the acceptor's handler).
  std::size_t least_loaded();

  // Runs every io_context on its own thread until stop().
  void run();
  void stop();

 private:
  // Loads first: destroyed after the io_contexts, whose queued handlers hold sessions that
  // count themselves out of them.
  std::vector<std::unique_ptr<std::atomic<int>>> loads_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_guards_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0;
};

}  // namespace onshi::mocks::ons::detail
