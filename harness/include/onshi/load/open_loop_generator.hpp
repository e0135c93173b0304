#pragma once
// The open-loop generator (docs/load.md, "The generator"): arrivals come from a schedule fixed
// before the run; N reader threads each take the next arrival, wait until its scheduled time
// if it is still ahead, and run one reception on their reader. A reception never waits for
// the one before it on another reader; when every reader is busy, the arrival waits for one,
// and that wait counts in its corrected latency. How far behind schedule a reception started
// is the generator's lag; once it exceeds the bound the run stops taking arrivals and says so.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/reception_outcome.hpp"

namespace onshi::load {

// Runs arrival `arrival` (its index in the schedule, which picks its scenario in a mix) on
// reader `reader` (0 .. readers-1); a reader is never used by two receptions at once. An
// exception thrown counts as the error "exception".
using ReceptionRunner = std::function<ReceptionOutcome(std::size_t reader, std::size_t arrival)>;
// Waits until the monotonic instant (the real one sleeps; a test's moves its TestClock).
using SleepUntil = std::function<void(MonotonicTime)>;

struct GeneratorProgress {
  Duration elapsed{};
  Duration planned{};  // the schedule's length
  std::size_t started = 0;
  std::size_t in_flight = 0;
  LoadRecorder::Snapshot recorded;
};
using ProgressSink = std::function<void(const GeneratorProgress&)>;

struct GeneratorOptions {
  std::vector<Duration> arrivals;  // offsets from the start, ascending
  Duration planned{};              // the schedule's length (for progress and the achieved rate)
  std::size_t readers = 1;
  Duration max_lag = std::chrono::seconds(1);
  Duration progress_every = std::chrono::seconds(1);
  // Asked from the calling thread every progress_every (may be empty): a non-empty answer
  // stops the run taking arrivals, as --abort-on-fail does when a threshold fails.
  std::function<std::string()> abort_reason;
};

struct GeneratorReport {
  std::size_t scheduled = 0;
  std::size_t started = 0;  // < scheduled only when the run stopped for falling behind
  Duration max_lag{};
  Duration elapsed{};       // first scheduled arrival to the last reception's end
  bool fell_behind = false;
  std::string aborted;      // why abort_reason stopped the run; empty when it did not
};

// Throws Error(invalid_argument) for 0 readers. `progress` (may be empty) is called from the
// calling thread every progress_every while the run lasts, and once at the end.
GeneratorReport run_open_loop(const Clock& clock, const GeneratorOptions& options, const ReceptionRunner& reception,
                              LoadRecorder& recorder, MonotonicTime start, const ProgressSink& progress = {},
                              const SleepUntil& sleep_until = {});

}  // namespace onshi::load
