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
//   thresholds = ["reception.p99 < 3s", "errors.rate < 0.1%"]   # before the first table
//   [[mix]]                    # instead of `scenario`: each arrival draws a scenario by weight
//   scenario = "pin-ok"
//   weight = 7
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

// One scenario of a profile's mix and its share of the arrivals (weights need not sum to 1).
struct MixEntry {
  std::string scenario;
  double weight = 1.0;
};

struct LoadProfile {
  std::string name;
  std::string description;
  std::string scenario;     // empty: the rig's
  std::size_t readers = 0;  // 0: not set
  std::uint64_t seed = 1;
  std::vector<ScheduleSegment> segments;
  // The identity paths, consent choices and card states of the hour, as scenarios with weights
  // ([[mix]]); empty: every arrival runs `scenario`. Excludes `scenario`.
  std::vector<MixEntry> mix;
  // Threshold expressions (onshi/load/threshold.hpp), checked when the profile is read.
  std::vector<std::string> thresholds;

  Duration duration() const;
};

// Throws Error(config) naming FILE:LINE and the key for a bad value, an unknown key or kind,
// a rate above max_rate_per_s or a total above max_duration (onshi/load/arrival_schedule.hpp).
LoadProfile load_profile(const std::filesystem::path& file);
LoadProfile parse_load_profile(std::string_view text, const std::string& name);

// Which mix entry each of `arrivals` arrivals runs: a weighted draw per arrival from a
// std::mt19937_64 seeded with `seed`, so one seed gives the same mix on every run. Throws
// Error(invalid_argument) for an empty mix or a weight that is not > 0.
std::vector<std::size_t> mix_per_arrival(const std::vector<MixEntry>& mix, std::size_t arrivals, std::uint64_t seed);

// The profile's arrivals, segment after segment; a Poisson segment i draws from seed + i.
std::vector<Duration> profile_arrivals(const LoadProfile& profile);
// Arrivals of one linear ramp from `from` to `to` per second over `duration`: arrival k where
// the expected count reaches k.
std::vector<Duration> ramp_arrivals(double from_rate_per_s, double to_rate_per_s, Duration duration);

}  // namespace onshi::load
