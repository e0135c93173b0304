#pragma once
// Faults the mock ONS injects on demand, as data: from a JSON file named by the rig or the
// CLI, and at run time through the admin API (same JSON). Every random choice draws from one
// generator seeded by `seed`, so a plan replays the same way for the same request order.
//
// {"seed": 42, "rules": [
//   {"kind": "latency", "probability": 0.5, "latency": {"shape": "log_normal", "median_ms": 40, "sigma": 0.6}},
//   {"kind": "latency", "latency": {"shape": "ipsec"}},          // line profiles: "ip_vpn", "ipsec"
//   {"kind": "http_error", "status": 502, "first_n": 3},
//   {"kind": "ons_error", "status": 200, "error_code": "EQ0001", "error_message": "..."},
//   {"kind": "reset"}, {"kind": "stall", "stall_ms": 5000}, {"kind": "tls_alert", "alert": "internal_error"},
//   {"kind": "slow_drip", "chunk_bytes": 16, "interval_ms": 50},
//   {"kind": "maintenance", "after_ms": 0, "for_ms": 60000, "retry_after_s": 3600},
//   {"kind": "throttle", "retry_after_s": 30, "probability": 0.2},
//   {"kind": "processing", "path": "/onshi/v1/qualification/search"}
// ]}
// Common keys: probability (0..1, default 1), first_n (only the first N requests the rule
// sees), after_ms/for_ms (a window measured from when the plan was installed), path (prefix).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::mocks::ons {

enum class FaultKind { latency, http_error, ons_error, reset, stall, slow_drip, tls_alert, maintenance, throttle, processing };
std::string_view to_string(FaultKind kind);

enum class LatencyShape { fixed, uniform, log_normal, ip_vpn, ipsec };
std::string_view to_string(LatencyShape shape);

struct LatencySpec {
  LatencyShape shape = LatencyShape::fixed;
  double fixed_ms = 0;
  double min_ms = 0;       // uniform
  double max_ms = 0;       // uniform
  double median_ms = 0;    // log_normal
  double sigma = 0.5;      // log_normal: sigma of ln(delay)
};

struct FaultRule {
  FaultKind kind = FaultKind::latency;
  double probability = 1.0;
  std::optional<std::uint64_t> first_n;
  std::optional<std::chrono::milliseconds> after;   // window start, from plan installation
  std::optional<std::chrono::milliseconds> lasting; // window length
  std::string path;                                 // request-target prefix; "" = all
  LatencySpec latency;
  unsigned status = 0;               // http_error (default 503), ons_error (default 200)
  std::string error_code;            // ons_error
  std::string error_message;         // ons_error
  std::chrono::milliseconds stall{10'000};
  std::size_t chunk_bytes = 16;      // slow_drip
  std::chrono::milliseconds interval{100};
  std::string alert = "internal_error";  // tls_alert: internal_error | handshake_failure | access_denied
  unsigned retry_after_s = 60;       // throttle, maintenance
};

struct FaultPlan {
  std::uint64_t seed = 1;
  std::vector<FaultRule> rules;
};

// Throws Error(config, message, "<source>: rules[i].key") for unknown kinds/keys and bad values.
FaultPlan parse_fault_plan(std::string_view json, const std::string& source);
FaultPlan load_fault_plan(const std::string& file);
std::string to_json(const FaultPlan& plan);

// The TLS alert number for FaultRule::alert; throws Error(config) for an unknown name.
int tls_alert_code(const std::string& name);

}  // namespace onshi::mocks::ons
