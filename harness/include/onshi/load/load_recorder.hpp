#pragma once
// Collects a load run's latencies: per reception and per step, corrected and uncorrected
// (onshi/load/reception_timing.hpp), for the whole run and per interval. When an interval
// ends its histograms go to the interval log, one line per tag: "reception",
// "reception.uncorrected", and "<step>" / "<step>.uncorrected" for each step. A step's
// corrected latency is its duration, plus for the first step the time the reception waited
// for a free reader (the patient stood at the counter that long before the card was read).
// record() may be called from many reader threads.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/load/hdr_histogram.hpp"
#include "onshi/load/hlog_writer.hpp"
#include "onshi/load/reception_outcome.hpp"
#include "onshi/load/reception_timing.hpp"

namespace onshi::load {

struct LatencyTally {
  HdrHistogram corrected;
  HdrHistogram uncorrected;
  std::int64_t count = 0;   // completed (a step: ran)
  std::int64_t errors = 0;  // a reception that missed its expectation; a step that failed
};

// Completions and errors in one interval of the run.
struct IntervalCount {
  std::int64_t completed = 0;
  std::int64_t errors = 0;
  // The corrected reception latency of the receptions that ended in the interval (0 when none),
  // for the report's latency-over-time chart.
  std::int64_t p50_us = 0;
  std::int64_t p99_us = 0;
  std::int64_t max_us = 0;
};

class LoadRecorder {
 public:
  // `log` (may be null) receives each interval as it closes; its header must be written.
  LoadRecorder(MonotonicTime run_start, Duration interval, HlogWriter* log);

  void record(const ReceptionTiming& timing, const ReceptionOutcome& outcome);
  // A step that follows a reception without holding its reader, ended at `ended`: a receipt
  // computer taking up the face file (face_taken_up_step). Its latency, corrected and
  // uncorrected alike, is `took`; a failed one counts in that step's errors and in errors by
  // reason under the step's name, not in the receptions'.
  void record_follow_up(const std::string& step, MonotonicTime ended, Duration took, bool passed);
  // Writes the last, partial interval. Call once, after the last record().
  void finish(MonotonicTime run_end);

  // Whole-run figures; read them after finish() (or under no concurrent record()).
  const LatencyTally& reception() const { return reception_; }
  const std::vector<std::string>& step_names() const { return step_order_; }  // first-seen order
  const LatencyTally& step(const std::string& name) const;
  const std::map<std::string, std::int64_t>& errors_by_reason() const { return errors_by_reason_; }
  const std::vector<IntervalCount>& intervals() const { return intervals_; }
  Duration interval() const { return interval_; }
  Duration max_start_lag() const { return max_start_lag_; }

  // A consistent snapshot for a progress line, safe while readers record.
  struct StepP99 {
    std::string name;
    std::int64_t p99_us = 0;  // the step's corrected latency
  };
  struct Snapshot {
    std::int64_t completed = 0;
    std::int64_t errors = 0;
    std::int64_t p99_us = 0;  // corrected reception latency
    Duration max_start_lag{};
    std::vector<StepP99> steps;  // in first-seen order, for the live line's columns
  };
  Snapshot snapshot() const;
  // Calls `look` with the recorder held still (no record() runs meanwhile), so the whole-run
  // accessors above can be read while readers record (thresholds judged mid-run).
  void inspect(const std::function<void(const LoadRecorder&)>& look) const;

  // For `report merge`: whole-run figures put together from several runs' logs and summaries
  // instead of recorded receptions. `name` is "reception" or a step's name.
  void absorb_tally(const std::string& name, const LatencyTally& tally);
  void absorb_errors(const std::string& reason, std::int64_t count);
  void absorb_interval(std::size_t index, const IntervalCount& interval);
  void absorb_start_lag(Duration lag);

 private:
  struct Current {
    LatencyTally reception;
    std::map<std::string, LatencyTally> steps;
  };
  LatencyTally& step_tally(std::map<std::string, LatencyTally>& steps, const std::string& name);
  void close_interval_locked();
  std::size_t interval_index(MonotonicTime t) const;

  mutable std::mutex mutex_;
  MonotonicTime run_start_;
  Duration interval_;
  HlogWriter* log_;
  LatencyTally reception_;
  std::map<std::string, LatencyTally> steps_;
  std::vector<std::string> step_order_;
  std::map<std::string, std::int64_t> errors_by_reason_;
  std::vector<IntervalCount> intervals_;
  Current current_;
  std::size_t current_index_ = 0;
  Duration max_start_lag_{};
  bool finished_ = false;
};

// Microseconds, rounded down, never negative: what the histograms record.
std::int64_t to_micros(Duration d);

}  // namespace onshi::load
