#include "worker_pool.hpp"

#include <algorithm>

namespace onshi::mocks::ons::detail {

WorkerPool::WorkerPool(unsigned workers) {
  for (unsigned i = 0; i < std::max(1u, workers); ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    loads_.push_back(std::make_unique<std::atomic<int>>(0));
  }
}

std::size_t WorkerPool::least_loaded() {
  std::size_t best = next_++ % contexts_.size();
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
}

void WorkerPool::stop() {
  work_guards_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

}  // namespace onshi::mocks::ons::detail
