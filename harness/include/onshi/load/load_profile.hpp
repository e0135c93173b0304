#pragma once
// A load profile as data (fixtures/load/*.toml; docs/load.md, "Profiles"): a clinic's hour
// as segments of constant, Poisson or ramping arrivals, with the scenario and the readers.
//
//   name = "morning-rush"
//   scenario = "pin-ok"
//   readers = 2
//   seed = 7
//   [[segment]]
//   kind = "ramp"              # rate rises linearly from from_rate_per_s to to_rate_per_s
//   from_rate_per_s = 0.5
//   to_rate_per_s = 4
//   duration_s = 20
//   [[segment]]
//   kind = "poisson"           # or "constant"
//   rate_per_s = 4
//   duration_s = 30
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/core/clock.hpp"

namespace onshi::load {

struct ScheduleSegment {
  std::string kind;  // constant | poisson | ramp
  double rate_per_s = 0.0;       // constant, poisson; a ramp's starting rate
  double to_rate_per_s = 0.0;    // ramp only
  Duration duration{};
};

struct LoadProfile {
  std::string name;
  std::string description;
  std::string scenario;     // empty: the rig's
  std::size_t readers = 0;  // 0: not set
  std::uint64_t seed = 1;
  std::vector<ScheduleSegment> segments;

  Duration duration() const;
};

// Throws Error(config) naming FILE:LINE and the key for a bad value, an unknown key or kind,
// a rate above max_rate_per_s or a total above max_duration (onshi/load/arrival_schedule.hpp).
LoadProfile load_profile(const std::filesystem::path& file);
LoadProfile parse_load_profile(std::string_view text, const std::string& name);

// The profile's arrivals, segment after segment; a Poisson segment i draws from seed + i.
std::vector<Duration> profile_arrivals(const LoadProfile& profile);
// Arrivals of one linear ramp from `from` to `to` per second over `duration`: arrival k where
// the expected count reaches k.
std::vector<Duration> ramp_arrivals(double from_rate_per_s, double to_rate_per_s, Duration duration);

}  // namespace onshi::load
