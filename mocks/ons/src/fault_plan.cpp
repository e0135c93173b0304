#include "onshi/mocks/ons/fault_plan.hpp"

#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "peer_text.hpp"

namespace onshi::mocks::ons {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<FaultKind, std::string_view>, 10> kKinds{{
    {FaultKind::latency, "latency"},
    {FaultKind::http_error, "http_error"},
    {FaultKind::ons_error, "ons_error"},
    {FaultKind::reset, "reset"},
    {FaultKind::stall, "stall"},
    {FaultKind::slow_drip, "slow_drip"},
    {FaultKind::tls_alert, "tls_alert"},
    {FaultKind::maintenance, "maintenance"},
    {FaultKind::throttle, "throttle"},
    {FaultKind::processing, "processing"},
}};
constexpr std::array<std::pair<LatencyShape, std::string_view>, 5> kShapes{{
    {LatencyShape::fixed, "fixed"},
    {LatencyShape::uniform, "uniform"},
    {LatencyShape::log_normal, "log_normal"},
    {LatencyShape::ip_vpn, "ip_vpn"},
    {LatencyShape::ipsec, "ipsec"},
}};

[[noreturn]] void bad(const std::string& where, const std::string& message) {
  throw Error(ErrorCode::config, message, where);
}

void only_keys(const json& object, const std::set<std::string>& allowed, const std::string& where) {
  if (!object.is_object()) bad(where, "must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) bad(where + "." + key, "unknown key");
  }
}

double number(const json& object, const char* key, double fallback, double min, double max, const std::string& where) {
  if (!object.contains(key)) return fallback;
  const json& v = object.at(key);
  if (!v.is_number()) bad(where + "." + key, "must be a number");
  const double d = v.get<double>();
  if (d < min || d > max) bad(where + "." + key, "must be in " + std::to_string(min) + ".." + std::to_string(max));
  return d;
}

std::uint64_t count(const json& object, const char* key, std::uint64_t fallback, std::uint64_t max, const std::string& where) {
  if (!object.contains(key)) return fallback;
  const json& v = object.at(key);
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max) {
    bad(where + "." + key, "must be an integer 0.." + std::to_string(max));
  }
  return v.get<std::uint64_t>();
}

std::string text(const json& object, const char* key, std::string fallback, const std::string& where) {
  if (!object.contains(key)) return fallback;
  if (!object.at(key).is_string()) bad(where + "." + key, "must be a string");
  return object.at(key).get<std::string>();
}

LatencySpec parse_latency(const json& j, const std::string& where) {
  only_keys(j, {"shape", "fixed_ms", "min_ms", "max_ms", "median_ms", "sigma"}, where);
  LatencySpec l;
  const std::string shape = text(j, "shape", "fixed", where);
  bool found = false;
  for (const auto& [s, name] : kShapes) {
    if (name == shape) {
      l.shape = s;
      found = true;
    }
  }
  if (!found) bad(where + ".shape", "unknown shape '" + shape + "' (fixed, uniform, log_normal, ip_vpn, ipsec)");
  constexpr double kMaxMs = 600'000;
  l.fixed_ms = number(j, "fixed_ms", 0, 0, kMaxMs, where);
  l.min_ms = number(j, "min_ms", 0, 0, kMaxMs, where);
  l.max_ms = number(j, "max_ms", l.min_ms, 0, kMaxMs, where);
  if (l.max_ms < l.min_ms) bad(where + ".max_ms", "must be >= min_ms");
  l.median_ms = number(j, "median_ms", 0, 0, kMaxMs, where);
  l.sigma = number(j, "sigma", 0.5, 0, 5, where);
  if (l.shape == LatencyShape::log_normal && l.median_ms <= 0) bad(where + ".median_ms", "log_normal needs median_ms > 0");
  return l;
}

FaultRule parse_rule(const json& j, const std::string& where) {
  only_keys(j, {"kind", "probability", "first_n", "after_ms", "for_ms", "path", "latency", "status", "error_code",
                "error_message", "stall_ms", "chunk_bytes", "interval_ms", "alert", "retry_after_s"},
            where);
  FaultRule r;
  const std::string kind = text(j, "kind", "", where);
  bool found = false;
  for (const auto& [k, name] : kKinds) {
    if (name == kind) {
      r.kind = k;
      found = true;
    }
  }
  if (!found) bad(where + ".kind", "unknown fault kind '" + kind + "'");
  r.probability = number(j, "probability", 1.0, 0, 1, where);
  if (j.contains("first_n")) r.first_n = count(j, "first_n", 0, UINT32_MAX, where);
  if (j.contains("after_ms")) r.after = std::chrono::milliseconds(count(j, "after_ms", 0, 86'400'000ULL * 30, where));
  if (j.contains("for_ms")) r.lasting = std::chrono::milliseconds(count(j, "for_ms", 0, 86'400'000ULL * 30, where));
  r.path = text(j, "path", "", where);
  if (j.contains("latency")) r.latency = parse_latency(j.at("latency"), where + ".latency");
  else if (r.kind == FaultKind::latency) bad(where + ".latency", "a latency rule needs a latency object");
  const unsigned default_status = r.kind == FaultKind::ons_error ? 200u : 503u;
  r.status = static_cast<unsigned>(count(j, "status", default_status, 599, where));
  if (r.status < 100) bad(where + ".status", "must be an HTTP status 100..599");
  r.error_code = text(j, "error_code", "HIL0999", where);
  r.error_message = text(j, "error_message", "障害注入によるエラー", where);
  r.stall = std::chrono::milliseconds(count(j, "stall_ms", 10'000, 600'000, where));
  r.chunk_bytes = static_cast<std::size_t>(count(j, "chunk_bytes", 16, 1 << 20, where));
  if (r.chunk_bytes == 0) bad(where + ".chunk_bytes", "must be > 0");
  r.interval = std::chrono::milliseconds(count(j, "interval_ms", 100, 60'000, where));
  r.alert = text(j, "alert", "internal_error", where);
  try {
    tls_alert_code(r.alert);
  } catch (const Error& e) {
    bad(where + ".alert", e.message());
  }
  r.retry_after_s = static_cast<unsigned>(count(j, "retry_after_s", 60, 86'400, where));
  return r;
}

}  // namespace

std::string_view to_string(FaultKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

std::string_view to_string(LatencyShape shape) {
  for (const auto& [s, name] : kShapes) {
    if (s == shape) return name;
  }
  return "?";
}

int tls_alert_code(const std::string& name) {
  // RFC 8446 §6 AlertDescription values.
  if (name == "internal_error") return 80;
  if (name == "handshake_failure") return 40;
  if (name == "access_denied") return 49;
  if (name == "insufficient_security") return 71;
  throw Error(ErrorCode::config, "unknown TLS alert '" + name +
                                     "' (internal_error, handshake_failure, access_denied, insufficient_security)",
              "fault plan");
}

FaultPlan parse_fault_plan(std::string_view text_in, const std::string& source) {
  json j;
  try {
    j = json::parse(text_in);
  } catch (const json::exception& e) {
    // Not only parse_error: a number too big for a double ({"seed":1e999}) is out_of_range.
    // The message quotes the bytes it choked on, which need not be UTF-8 (peer_text.hpp).
    throw Error(ErrorCode::config, "not valid JSON: " + detail::valid_utf8(e.what()), source);
  }
  only_keys(j, {"seed", "rules"}, source);
  FaultPlan plan;
  plan.seed = count(j, "seed", 1, UINT64_MAX, source);
  if (j.contains("rules")) {
    if (!j.at("rules").is_array()) bad(source + ".rules", "must be an array");
    std::size_t i = 0;
    for (const json& rule : j.at("rules")) {
      plan.rules.push_back(parse_rule(rule, source + ": rules[" + std::to_string(i++) + "]"));
    }
  }
  return plan;
}

FaultPlan load_fault_plan(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "cannot read fault plan", file);
  std::ostringstream content;
  content << in.rdbuf();
  return parse_fault_plan(content.str(), file);
}

std::string to_json(const FaultPlan& plan) {
  json out;
  out["seed"] = plan.seed;
  out["rules"] = json::array();
  for (const FaultRule& r : plan.rules) {
    json j;
    j["kind"] = to_string(r.kind);
    j["probability"] = r.probability;
    if (r.first_n) j["first_n"] = *r.first_n;
    if (r.after) j["after_ms"] = r.after->count();
    if (r.lasting) j["for_ms"] = r.lasting->count();
    if (!r.path.empty()) j["path"] = r.path;
    switch (r.kind) {
      case FaultKind::latency:
        j["latency"] = {{"shape", to_string(r.latency.shape)}, {"fixed_ms", r.latency.fixed_ms},
                        {"min_ms", r.latency.min_ms},          {"max_ms", r.latency.max_ms},
                        {"median_ms", r.latency.median_ms},    {"sigma", r.latency.sigma}};
        break;
      case FaultKind::http_error: j["status"] = r.status; break;
      case FaultKind::ons_error:
        j["status"] = r.status;
        j["error_code"] = r.error_code;
        j["error_message"] = r.error_message;
        break;
      case FaultKind::stall: j["stall_ms"] = r.stall.count(); break;
      case FaultKind::slow_drip:
        j["chunk_bytes"] = r.chunk_bytes;
        j["interval_ms"] = r.interval.count();
        break;
      case FaultKind::tls_alert: j["alert"] = r.alert; break;
      case FaultKind::maintenance:
      case FaultKind::throttle: j["retry_after_s"] = r.retry_after_s; break;
      case FaultKind::reset:
      case FaultKind::processing: break;
    }
    out["rules"].push_back(std::move(j));
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace onshi::mocks::ons
