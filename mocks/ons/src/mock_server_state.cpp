#include "mock_server_state.hpp"

namespace onshi::mocks::ons::detail {

MockServerState::MockServerState(OnsMockOptions o)
    : options(std::move(o)),
      service(options.service),
      tls_contexts(options.tls, options.threads),
      journal(options.journal_capacity, options.log),
      faults(options.faults) {}

void MockServerState::enlist(const std::shared_ptr<ConnectionSession>& session) {
  const std::lock_guard lock(sessions_mutex_);
  sessions_.emplace(session.get(), session);
}

void MockServerState::forget(const ConnectionSession* session) {
  const std::lock_guard lock(sessions_mutex_);
  sessions_.erase(session);
  if (sessions_.empty()) sessions_cv_.notify_all();
}

std::vector<std::shared_ptr<ConnectionSession>> MockServerState::live_sessions() {
  std::vector<std::shared_ptr<ConnectionSession>> live;
  const std::lock_guard lock(sessions_mutex_);
  for (auto& [key, weak] : sessions_) {
    if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  return live;  // released by the caller outside the lock: ~ConnectionSession takes it
}

bool MockServerState::wait_for_no_sessions(std::chrono::milliseconds limit) {
  std::unique_lock lock(sessions_mutex_);
  return sessions_cv_.wait_for(lock, limit, [this] { return sessions_.empty(); });
}

OnsMockStats MockServerState::stats() {
  std::uint64_t open = 0;
  {
    const std::lock_guard lock(sessions_mutex_);
    open = sessions_.size();
  }
  return {connections.load(), handshakes.load(), handshake_failures.load(), requests.load(), refused.load(), open};
}

}  // namespace onshi::mocks::ons::detail
