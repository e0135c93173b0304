#include "onshi/load/load_profile.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/load/arrival_schedule.hpp"
#include "onshi/load/threshold.hpp"

namespace onshi::load {
namespace {

LoadProfile parse(const config::TomlReader& reader) {
  const toml::table& root = reader.root();
  reader.only_keys(root, {"name", "description", "scenario", "readers", "seed", "segment", "mix", "thresholds"});
  LoadProfile profile;
  profile.name = reader.required_string(root, "name");
  profile.description = reader.optional_string(root, "description");
  profile.scenario = reader.optional_string(root, "scenario");
  const std::int64_t readers = reader.optional_int(root, "readers", 0);
  if (readers < 0 || readers > 64) reader.fail(*root.get("readers"), "readers", "must be 1..64");
  profile.readers = static_cast<std::size_t>(readers);
  const std::int64_t seed = reader.optional_int(root, "seed", 1);
  if (seed < 0) reader.fail(*root.get("seed"), "seed", "must be >= 0");
  profile.seed = static_cast<std::uint64_t>(seed);
  for (const std::string& expression : reader.optional_string_array(root, "thresholds")) {
    try {
      parse_threshold(expression);
    } catch (const Error& e) {
      reader.fail(*root.get("thresholds"), "thresholds", e.message());
    }
    profile.thresholds.push_back(expression);
  }
  for (const toml::table& t : reader.array_of_tables(root, "mix")) {
    reader.only_keys(t, {"scenario", "weight"});
    MixEntry entry;
    entry.scenario = reader.required_string(t, "scenario");
    entry.weight = reader.optional_double(t, "weight", 1.0);
    if (!(entry.weight > 0.0)) reader.fail(t, "weight", "must be > 0");
    profile.mix.push_back(entry);
  }
  if (!profile.mix.empty() && !profile.scenario.empty()) {
    reader.fail(*root.get("scenario"), "scenario", "a profile names either one scenario or a [[mix]], not both");
  }
  const auto segments = reader.array_of_tables(root, "segment");
  if (segments.empty()) throw Error(ErrorCode::config, reader.name() + ": a profile needs at least one [[segment]]");
  Duration total{};
  for (const toml::table& t : segments) {
    ScheduleSegment segment;
    segment.kind = reader.required_string(t, "kind");
    const double seconds = reader.optional_double(t, "duration_s", 0.0);
    if (!(seconds > 0.0)) reader.fail(t, "duration_s", "must be > 0");
    segment.duration = from_seconds(seconds);
    auto rate = [&](std::string_view key, bool may_be_zero) {
      const double r = reader.optional_double(t, key, -1.0);
      if (r < 0.0 || (!may_be_zero && r == 0.0) || r > max_rate_per_s) {
        reader.fail(t, key, std::string("must be ") + (may_be_zero ? ">= 0" : "> 0") + " and at most 2000 per second");
      }
      return r;
    };
    if (segment.kind == "constant" || segment.kind == "poisson") {
      reader.only_keys(t, {"kind", "rate_per_s", "duration_s"});
      segment.rate_per_s = rate("rate_per_s", false);
    } else if (segment.kind == "ramp") {
      reader.only_keys(t, {"kind", "from_rate_per_s", "to_rate_per_s", "duration_s"});
      segment.rate_per_s = rate("from_rate_per_s", true);
      segment.to_rate_per_s = rate("to_rate_per_s", true);
      if (segment.rate_per_s == 0.0 && segment.to_rate_per_s == 0.0) reader.fail(t, "to_rate_per_s", "a ramp from 0 to 0 has no arrivals");
    } else {
      reader.fail(t, "kind", "unknown segment kind '" + segment.kind + "' (known: constant, poisson, ramp)");
    }
    total += segment.duration;
    profile.segments.push_back(segment);
  }
  if (total > max_duration) {
    throw Error(ErrorCode::config, reader.name() + ": the segments last longer than " +
                                       std::to_string(max_duration.count()) + " s");
  }
  return profile;
}

}  // namespace

Duration LoadProfile::duration() const {
  Duration total{};
  for (const ScheduleSegment& s : segments) total += s.duration;
  return total;
}

LoadProfile load_profile(const std::filesystem::path& file) { return parse(config::TomlReader(file)); }
LoadProfile parse_load_profile(std::string_view text, const std::string& name) {
  return parse(config::TomlReader(text, name));
}

std::vector<Duration> ramp_arrivals(double from, double to, Duration duration) {
  const double total_s = std::chrono::duration<double>(duration).count();
  std::vector<Duration> out;
  // Expected arrivals by time t: from t + (to - from) t^2 / (2 T); arrival k where that is k.
  const double a = (to - from) / (2.0 * total_s);
  for (std::uint64_t k = 0;; ++k) {
    const double n = static_cast<double>(k);
    const double t = std::abs(a) < 1e-12 ? n / from : (-from + std::sqrt(from * from + 4.0 * a * n)) / (2.0 * a);
    if (!(t < total_s)) break;  // also stops on NaN: a falling ramp that never reaches k
    out.push_back(from_seconds(t));
  }
  return out;
}

std::vector<std::size_t> mix_per_arrival(const std::vector<MixEntry>& mix, std::size_t arrivals, std::uint64_t seed) {
  if (mix.empty()) throw Error(ErrorCode::invalid_argument, "load mix: no scenarios");
  std::vector<double> cumulative;
  double total = 0.0;
  for (const MixEntry& entry : mix) {
    if (!(entry.weight > 0.0)) {
      throw Error(ErrorCode::invalid_argument, "load mix: scenario '" + entry.scenario + "' needs a weight > 0");
    }
    total += entry.weight;
    cumulative.push_back(total);
  }
  std::mt19937_64 random(seed);
  std::vector<std::size_t> out;
  out.reserve(arrivals);
  for (std::size_t i = 0; i < arrivals; ++i) {
    // u in [0, total) from the top 53 bits (the standard fixes mt19937_64's sequence, not
    // uniform_real_distribution's), then the first entry whose cumulative weight exceeds it.
    const double u = static_cast<double>(random() >> 11) * 0x1.0p-53 * total;
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    out.push_back(std::min(static_cast<std::size_t>(it - cumulative.begin()), mix.size() - 1));
  }
  return out;
}

std::vector<Duration> profile_arrivals(const LoadProfile& profile) {
  std::vector<Duration> out;
  Duration offset{};
  for (std::size_t i = 0; i < profile.segments.size(); ++i) {
    const ScheduleSegment& s = profile.segments[i];
    std::vector<Duration> part;
    if (s.kind == "ramp") {
      part = ramp_arrivals(s.rate_per_s, s.to_rate_per_s, s.duration);
    } else {
      part = arrivals({schedule_kind_named(s.kind), s.rate_per_s, s.duration, profile.seed + i});
    }
    for (const Duration d : part) out.push_back(offset + d);
    offset += s.duration;
  }
  return out;
}

}  // namespace onshi::load
