#pragma once
// Decides, per connection and per request, which faults of the installed FaultPlan fire.
// Thread-safe; one seeded generator for the whole plan (draws happen in arrival order, so a
// single-connection test replays exactly). Installing a plan resets counters and the window
// origin. With no rules the per-request cost is one atomic load.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/mocks/ons/fault_plan.hpp"

namespace onshi::mocks::ons {

struct FaultDecision {
  std::chrono::microseconds delay{0};  // sum of the latency rules that fired
  std::optional<FaultRule> action;     // the first other (non-latency) rule that fired
  std::string applied;                 // for the journal: "latency:ipsec,throttle"

  bool any() const { return delay.count() > 0 || action.has_value(); }
};

// One draw of a latency distribution, in microseconds. ip_vpn and ipsec are synthetic line
// profiles (no published figures exist): ip_vpn ≈ log-normal median 6 ms σ 0.25 with 0.1 %
// 200 ms spikes; ipsec ≈ log-normal median 18 ms σ 0.45 with 0.2 % IKE-rekey pauses of 0.5–1.5 s.
std::chrono::microseconds draw_latency(const LatencySpec& spec, std::mt19937_64& rng);

class FaultInjector {
 public:
  explicit FaultInjector(FaultPlan plan = {});

  void install(FaultPlan plan);
  void clear() { install({}); }
  FaultPlan plan() const;

  // Request-level faults (every kind except tls_alert) for a request to `target`.
  FaultDecision on_request(std::string_view target);
  // Connection-level: the TLS alert to fail the handshake with, if a tls_alert rule fires.
  std::optional<int> on_connection();

 private:
  bool fires(std::size_t index, std::string_view target, std::chrono::steady_clock::time_point now);

  mutable std::mutex mutex_;
  FaultPlan plan_;
  std::vector<std::uint64_t> seen_;  // requests each rule has seen
  std::chrono::steady_clock::time_point installed_;
  std::mt19937_64 rng_;
  std::atomic<bool> active_{false};
};

}  // namespace onshi::mocks::ons
