#include "onshi/load/arrival_schedule.hpp"

#include <cmath>
#include <cstdio>
#include <random>

#include "onshi/core/error.hpp"

namespace onshi::load {
namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

void check(const ScheduleSpec& spec) {
  if (!(spec.rate_per_s > 0.0) || spec.rate_per_s > max_rate_per_s) {
    throw Error(ErrorCode::invalid_argument, "load rate " + number(spec.rate_per_s) +
                                                 "/s: must be > 0 and at most " + number(max_rate_per_s) + "/s");
  }
  if (spec.duration <= Duration::zero() || spec.duration > max_duration) {
    throw Error(ErrorCode::invalid_argument, "load duration must be > 0 and at most " +
                                                 std::to_string(max_duration.count()) + " s");
  }
}

}  // namespace

std::string to_string(ScheduleKind kind) { return kind == ScheduleKind::constant ? "constant" : "poisson"; }

ScheduleKind schedule_kind_named(const std::string& name) {
  if (name == "constant") return ScheduleKind::constant;
  if (name == "poisson") return ScheduleKind::poisson;
  throw Error(ErrorCode::invalid_argument, "unknown schedule '" + name + "' (known: constant, poisson)");
}

std::vector<Duration> arrivals(const ScheduleSpec& spec) {
  check(spec);
  std::vector<Duration> out;
  const double total_s = std::chrono::duration<double>(spec.duration).count();
  out.reserve(static_cast<std::size_t>(spec.rate_per_s * total_s) + 1);
  if (spec.kind == ScheduleKind::constant) {
    // i / rate computed from i (not summed), rounded to the nanosecond: no drift over a long run.
    for (std::uint64_t i = 0;; ++i) {
      const Duration at(static_cast<Duration::rep>(std::llround(static_cast<double>(i) * 1e9 / spec.rate_per_s)));
      if (at >= spec.duration) break;
      out.push_back(at);
    }
    return out;
  }
  std::mt19937_64 random(spec.seed);
  double at = 0.0;
  for (;;) {
    // u in [0, 1) from the top 53 bits; the gap is -ln(1 - u) / rate.
    const double u = static_cast<double>(random() >> 11) * 0x1.0p-53;
    at += -std::log1p(-u) / spec.rate_per_s;
    if (at >= total_s) break;
    out.push_back(from_seconds(at));
  }
  return out;
}

}  // namespace onshi::load
