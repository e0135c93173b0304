#include "worker_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace onshi::mocks::ons::detail {

namespace {
// A handshake worker runs at the lowest nice value, 19. CFS preempts a running thread for a
// waking one once the runner's virtual time is ahead by the wakeup granularity (2 ms on 2
// cores); at nice 19 virtual time runs 68x faster (weight 15 against 1024), so a request worker
// or terminal waking preempts a handshake within ~30 us of CPU, where at nice 10 it took
// ~200 us, most of an RSA signature (measured: the valid clients' p99 under a flood 1.5 ms at
// nice 10). Under contention the handshakes still get about 1.5 % of a core each, unlike
// SCHED_IDLE's 0.3 %, so a new terminal is not starved by busy ones.
constexpr int kHandshakeNice = 19;

void lower_this_threads_priority() {
  const auto tid = static_cast<id_t>(::gettid());
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, tid);  // -1 is a valid nice value: errno tells
  if (errno != 0) return;
  if (nice < kHandshakeNice) (void)::setpriority(PRIO_PROCESS, tid, kHandshakeNice);
}
}  // namespace

WorkerPool::WorkerPool(unsigned workers) {
  for (unsigned i = 0; i < std::max(1u, workers); ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    loads_.push_back(std::make_unique<std::atomic<int>>(0));
    handshake_contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
  }
}

std::size_t WorkerPool::least_loaded() {
  std::size_t best = next_.fetch_add(1) % contexts_.size();
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    if (loads_[i]->load() < loads_[best]->load()) best = i;
  }
  return best;
}

void WorkerPool::run() {
  for (auto& context : contexts_) {
    work_guards_.push_back(boost::asio::make_work_guard(*context));
    threads_.emplace_back([&io = *context] { io.run(); });
  }
  for (auto& context : handshake_contexts_) {
    work_guards_.push_back(boost::asio::make_work_guard(*context));
    threads_.emplace_back([&io = *context] {
      // Linux nice is per thread. Raising it needs no privilege; if it fails, the worker
      // still works, only without the priority.
      lower_this_threads_priority();
      io.run();
    });
  }
}

void WorkerPool::stop() {
  work_guards_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& context : handshake_contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

}  // namespace onshi::mocks::ons::detail
