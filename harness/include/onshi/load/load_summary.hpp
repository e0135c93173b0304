#pragma once
// A load run's summary (docs/load.md, "Outputs"): summary.json with the versioned schema
// "onshi-hil/load-summary/1", and the console table. Both read the recorder's whole-run
// figures, so they agree with each other and with the interval log.
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "onshi/load/arrival_schedule.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/open_loop_generator.hpp"
#include "onshi/load/sut_outcome.hpp"
#include "onshi/load/threshold.hpp"

namespace onshi::load {

inline constexpr const char* load_summary_schema = "onshi-hil/load-summary/1";

struct LoadRunInfo {
  std::string rig;       // the rig's name
  std::string rig_file;
  std::string scenario;
  ScheduleSpec schedule;
  std::string profile;  // the profile file, when one was used
  std::string schedule_label;  // set for a profile ("profile morning-rush"): the schedule's kind
  std::size_t readers = 1;
  Duration max_lag_bound{};
  // The scenario mix: arrivals planned per scenario (empty: every arrival ran `scenario`).
  std::map<std::string, std::size_t> mix;
  // Receptions the ONS answered per patient, as its journal says (the embedded mock's; empty
  // when the ONS keeps none): with --population, one distinct generated patient per reader.
  std::map<std::string, std::int64_t> patients;
  std::vector<ThresholdVerdict> thresholds;  // judged at the end of the run
  std::string shard;                          // "I/N" when the run was one shard of a schedule
  // What the figures depend on (CPU, cores, OS, link kinds): `report compare` warns when two
  // runs differ here, because different hardware is not a regression.
  std::map<std::string, std::string> fingerprint;
  // The receipt computer under test, when the rig names one ([sut]).
  std::optional<SutOutcome> sut;
};

// Percentiles of the report's latency distribution chart.
inline constexpr double distribution_percentiles[] = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

// Receptions per second over the planned duration, or the real one when the run took longer
// or stopped early (fell behind, or aborted).
double achieved_rate_per_s(const LoadRunInfo& info, const GeneratorReport& generator, const LoadRecorder& recorder);

// The summary as JSON text (pretty-printed, ending in a newline).
std::string load_summary_json(const LoadRunInfo& info, const GeneratorReport& generator, const LoadRecorder& recorder);
void write_console_summary(std::ostream& out, const LoadRunInfo& info, const GeneratorReport& generator,
                           const LoadRecorder& recorder);

}  // namespace onshi::load
