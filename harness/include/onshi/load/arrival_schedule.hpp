#pragma once
// When receptions arrive, decided before the run and independent of how fast the system
// answers (an open model; docs/load.md, "Schedules"). An arrival is an offset from the run's
// start. Constant: arrival i at i / rate. Poisson: exponential gaps of mean 1 / rate drawn
// from a seeded std::mt19937_64 by the inverse CDF, so one seed gives the same arrivals on
// every run and every standard library.
#include <cstdint>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"

namespace onshi::load {

enum class ScheduleKind { constant, poisson };
std::string to_string(ScheduleKind kind);
// "constant" | "poisson"; throws Error(invalid_argument) naming the known kinds.
ScheduleKind schedule_kind_named(const std::string& name);

struct ScheduleSpec {
  ScheduleKind kind = ScheduleKind::constant;
  double rate_per_s = 1.0;
  Duration duration = std::chrono::seconds(1);
  std::uint64_t seed = 1;
};

// Limits that keep a run bounded (docs/load.md, "Bounds").
inline constexpr double max_rate_per_s = 2000.0;
inline constexpr std::chrono::seconds max_duration{3600};

// Offsets from the start, ascending, every one < spec.duration. Throws Error(invalid_argument)
// for a rate <= 0 or above max_rate_per_s, or a duration <= 0 or above max_duration.
std::vector<Duration> arrivals(const ScheduleSpec& spec);

}  // namespace onshi::load
