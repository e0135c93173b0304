#include "worker_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace onshi::mocks::ons::detail {

namespace {

void lower_this_threads_priority(int nice_wanted) {
  const auto tid = static_cast<id_t>(::gettid());
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, tid);  // -1 is a valid nice value: errno tells
  if (errno != 0) return;
  if (nice < nice_wanted) (void)::setpriority(PRIO_PROCESS, tid, nice_wanted);
}

}  // namespace

WorkerPool::WorkerPool(unsigned workers, int handshake_nice) : handshake_nice_(std::clamp(handshake_nice, 0, 19)) {
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
    threads_.emplace_back([&io = *context, nice = handshake_nice_] {
      // Linux nice is per thread. Raising it needs no privilege; if it fails, the worker
      // still works, only without the priority.
      lower_this_threads_priority(nice);
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
