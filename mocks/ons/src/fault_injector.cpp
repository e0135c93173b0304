#include "onshi/mocks/ons/fault_injector.hpp"

#include <algorithm>
#include <cmath>

#include "portable_draws.hpp"

namespace onshi::mocks::ons {
namespace {

using std::chrono::microseconds;

microseconds from_ms(double ms) { return microseconds(static_cast<std::int64_t>(std::llround(ms * 1000.0))); }

// Capped at the plan's 10-minute latency bound, whatever the tail draws.
double log_normal_ms(double median_ms, double sigma, std::mt19937_64& rng) {
  return std::min(detail::log_normal(median_ms, sigma, rng), 600'000.0);
}

}  // namespace

microseconds draw_latency(const LatencySpec& spec, std::mt19937_64& rng) {
  switch (spec.shape) {
    case LatencyShape::fixed: return from_ms(spec.fixed_ms);
    case LatencyShape::uniform: return from_ms(detail::uniform_between(spec.min_ms, spec.max_ms, rng));
    case LatencyShape::log_normal: return from_ms(log_normal_ms(spec.median_ms, spec.sigma, rng));
    case LatencyShape::ip_vpn: {
      double ms = log_normal_ms(6.0, 0.25, rng);
      if (detail::chance(0.001, rng)) ms += 200.0;
      return from_ms(ms);
    }
    case LatencyShape::ipsec: {
      double ms = log_normal_ms(18.0, 0.45, rng);
      if (detail::chance(0.002, rng)) ms += detail::uniform_between(500.0, 1500.0, rng);
      return from_ms(ms);
    }
  }
  return microseconds(0);
}

FaultInjector::FaultInjector(FaultPlan plan) { install(std::move(plan)); }

void FaultInjector::install(FaultPlan plan) {
  const std::lock_guard lock(mutex_);
  plan_ = std::move(plan);
  seen_.assign(plan_.rules.size(), 0);
  installed_ = std::chrono::steady_clock::now();
  rng_.seed(plan_.seed);
  active_ = !plan_.rules.empty();
}

FaultPlan FaultInjector::plan() const {
  const std::lock_guard lock(mutex_);
  return plan_;
}

bool FaultInjector::fires(std::size_t index, std::string_view target, std::chrono::steady_clock::time_point now) {
  const FaultRule& rule = plan_.rules[index];
  if (!rule.path.empty() && target.substr(0, rule.path.size()) != rule.path) return false;
  const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(now - installed_);
  if (rule.after && since < *rule.after) return false;
  if (rule.lasting && since >= rule.after.value_or(std::chrono::milliseconds(0)) + *rule.lasting) return false;
  const std::uint64_t nth = ++seen_[index];
  if (rule.first_n && nth > *rule.first_n) return false;
  return detail::chance(rule.probability, rng_);
}

FaultDecision FaultInjector::on_request(std::string_view target) {
  FaultDecision decision;
  if (!active_.load(std::memory_order_relaxed)) return decision;
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (rule.kind == FaultKind::tls_alert) continue;
    if (rule.kind != FaultKind::latency && decision.action) continue;  // one action per request
    if (!fires(i, target, now)) continue;
    if (!decision.applied.empty()) decision.applied += ',';
    decision.applied += to_string(rule.kind);
    if (rule.kind == FaultKind::latency) {
      decision.delay += draw_latency(rule.latency, rng_);
      decision.applied += ':';
      decision.applied += to_string(rule.latency.shape);
    } else {
      decision.action = rule;
    }
  }
  return decision;
}

std::optional<int> FaultInjector::on_connection() {
  if (!active_.load(std::memory_order_relaxed)) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < plan_.rules.size(); ++i) {
    if (plan_.rules[i].kind != FaultKind::tls_alert) continue;
    if (fires(i, "", now)) return tls_alert_code(plan_.rules[i].alert);
  }
  return std::nullopt;
}

}  // namespace onshi::mocks::ons
