#pragma once
// A load run's summary (docs/load.md, "Outputs"): summary.json with the versioned schema
// "onshi-hil/load-summary/1", and the console table. Both read the recorder's whole-run
// figures, so they agree with each other and with the interval log.
#include <map>
#include <ostream>
#include <string>

#include "onshi/load/arrival_schedule.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/open_loop_generator.hpp"

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
};

// The summary as JSON text (pretty-printed, ending in a newline).
std::string load_summary_json(const LoadRunInfo& info, const GeneratorReport& generator, const LoadRecorder& recorder);
void write_console_summary(std::ostream& out, const LoadRunInfo& info, const GeneratorReport& generator,
                           const LoadRecorder& recorder);

}  // namespace onshi::load
