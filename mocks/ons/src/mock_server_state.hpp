#pragma once
// What every connection of the mock ONS shares: the options, the service that answers, the
// TLS contexts, the journal, the fault injector, the counters behind OnsMockStats, and the
// registry of live TLS sessions that stop() closes. Outlives the workers' io_contexts
// (ons_mock_server.cpp's member order), since queued handlers hold sessions that refer to it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "tls_context_pool.hpp"

namespace onshi::mocks::ons::detail {

class ConnectionSession;  // connection_session.hpp

struct MockServerState {
  explicit MockServerState(OnsMockOptions o);

  void log(MockLogEntry& entry) { journal.record(entry); }

  // The session registry: enlisted at start, forgotten in the session's destructor.
  void enlist(const std::shared_ptr<ConnectionSession>& session);
  void forget(const ConnectionSession* session);
  std::vector<std::shared_ptr<ConnectionSession>> live_sessions();
  // Waits up to `limit` for every session to end; false if some are still open.
  bool wait_for_no_sessions(std::chrono::milliseconds limit);

  OnsMockStats stats();

  OnsMockOptions options;
  OnsMockService service;
  TlsContextPool tls_contexts;
  Journal journal;
  FaultInjector faults;
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> handshakes{0};
  std::atomic<std::uint64_t> handshake_failures{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> refused{0};
  std::atomic<bool> stopping{false};

 private:
  std::mutex sessions_mutex_;
  std::condition_variable sessions_cv_;
  std::unordered_map<const ConnectionSession*, std::weak_ptr<ConnectionSession>> sessions_;
};

}  // namespace onshi::mocks::ons::detail
