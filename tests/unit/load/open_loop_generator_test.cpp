// The open-loop generator. With a fake clock and one deliberately slow reader the schedule
// does not wait for the system: each arrival keeps its scheduled time, the corrected latency
// grows by the backlog while the uncorrected one stays the service time (wrk2's point). With
// real threads: every arrival runs once, on a reader nobody else is using; a generator that
// falls behind by more than its bound stops and says so. No wall-clock figure is asserted.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <map>
#include <stdexcept>
#include <thread>

#include "onshi/core/error.hpp"
#include "onshi/load/open_loop_generator.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::load {
namespace {

using namespace std::chrono_literals;

std::vector<Duration> every(Duration gap, std::size_t n) {
  std::vector<Duration> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(gap * static_cast<std::int64_t>(i));
  return out;
}

ReceptionOutcome one_step(Duration d) {
  ReceptionOutcome o;
  o.steps = {{"qualification_lookup", d, true}};
  return o;
}

TEST(OpenLoopGenerator, SlowReceptionOnAFakeClockIsCorrectedFromTheSchedule) {
  testing::TestClock clock;
  const MonotonicTime start = clock.monotonic_now();
  LoadRecorder recorder(start, 10s, nullptr);
  GeneratorOptions options;
  options.arrivals = every(10ms, 5);  // 0, 10, 20, 30, 40 ms
  options.planned = 50ms;
  options.readers = 1;
  options.max_lag = 1h;
  // The one reader takes 100 ms per reception: ten times slower than the arrivals.
  const ReceptionRunner slow = [&](std::size_t, std::size_t) {
    clock.advance(100ms);
    return one_step(100ms);
  };
  const SleepUntil fake_sleep = [&](MonotonicTime t) {
    const MonotonicTime now = clock.monotonic_now();
    if (t > now) clock.advance(t - now);
  };
  const GeneratorReport report = run_open_loop(clock, options, slow, recorder, start, {}, fake_sleep);
  recorder.finish(clock.monotonic_now());

  EXPECT_EQ(report.started, 5u);
  EXPECT_FALSE(report.fell_behind);
  // Arrival i starts at 100 i ms, ends at 100 (i + 1) ms: corrected 100 + 90 i ms.
  EXPECT_EQ(report.max_lag, 360ms);
  EXPECT_EQ(report.elapsed, 500ms);
  const LatencyTally& r = recorder.reception();
  EXPECT_EQ(r.count, 5);
  const HdrLayout& layout = r.corrected.layout();
  EXPECT_EQ(r.uncorrected.min(), layout.lowest_equivalent(100'000));
  EXPECT_EQ(r.uncorrected.max(), layout.highest_equivalent(100'000));
  EXPECT_EQ(r.corrected.min(), layout.lowest_equivalent(100'000));
  EXPECT_EQ(r.corrected.value_at_percentile(50.0), layout.highest_equivalent(280'000));
  EXPECT_EQ(r.corrected.max(), layout.highest_equivalent(460'000));
}

TEST(OpenLoopGenerator, FellBehindBeyondTheBoundStopsAndSaysSo) {
  testing::TestClock clock;
  const MonotonicTime start = clock.monotonic_now();
  LoadRecorder recorder(start, 10s, nullptr);
  GeneratorOptions options;
  options.arrivals = every(10ms, 20);
  options.planned = 200ms;
  options.readers = 1;
  options.max_lag = 250ms;
  const ReceptionRunner slow = [&](std::size_t, std::size_t) {
    clock.advance(100ms);
    return one_step(100ms);
  };
  const SleepUntil fake_sleep = [&](MonotonicTime t) {
    if (t > clock.monotonic_now()) clock.advance(t - clock.monotonic_now());
  };
  const GeneratorReport report = run_open_loop(clock, options, slow, recorder, start, {}, fake_sleep);
  // Arrival i would start 90 i ms late: 0, 90, 180 run; the fourth (270 ms late) stops the run.
  EXPECT_TRUE(report.fell_behind);
  EXPECT_EQ(report.started, 3u);
  EXPECT_EQ(report.scheduled, 20u);
  EXPECT_EQ(report.max_lag, 270ms);
}

TEST(OpenLoopGenerator, EveryArrivalRunsOnceOnAReaderNoOneElseHolds) {
  const Clock& clock = SystemClock::instance();
  const MonotonicTime start = clock.monotonic_now();
  LoadRecorder recorder(start, 1s, nullptr);
  GeneratorOptions options;
  options.arrivals = every(1ms, 40);
  options.planned = 40ms;
  options.readers = 3;
  options.max_lag = 1h;
  std::array<std::atomic<int>, 3> busy{};
  std::atomic<int> overlaps{0};
  std::atomic<int> calls{0};
  const ReceptionRunner reception = [&](std::size_t reader, std::size_t) {
    if (busy.at(reader).fetch_add(1) != 0) overlaps.fetch_add(1);
    std::this_thread::sleep_for(2ms);
    busy.at(reader).fetch_sub(1);
    if (calls.fetch_add(1) % 5 == 4) throw std::runtime_error("every fifth reception breaks");
    return one_step(2ms);
  };
  std::atomic<int> progress_calls{0};
  const GeneratorReport report =
      run_open_loop(clock, options, reception, recorder, start, [&](const GeneratorProgress&) { ++progress_calls; });
  recorder.finish(clock.monotonic_now());
  EXPECT_EQ(report.started, 40u);
  EXPECT_EQ(recorder.reception().count, 40);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_GE(progress_calls.load(), 1);  // at least the final one
  // The receptions that threw are counted as the error "exception", and the run went on.
  EXPECT_EQ(recorder.errors_by_reason(), (std::map<std::string, std::int64_t>{{"exception", 8}}));
  EXPECT_EQ(recorder.step("qualification_lookup").count, 32);
}

// --abort-on-fail's hook: the first reception holds its reader until the generator has asked
// whether to abort, been told "stop", and reported progress once more (so the answer has
// taken effect); the run then ends with at most that one arrival started.
TEST(OpenLoopGenerator, AnAbortReasonStopsTakingArrivals) {
  const MonotonicTime start = SystemClock::instance().monotonic_now();
  LoadRecorder recorder(start, 1s, nullptr);
  GeneratorOptions options;
  options.arrivals.assign(1000, Duration::zero());
  options.readers = 1;
  options.progress_every = 1ms;
  std::mutex mutex;
  std::condition_variable changed;
  int progress_calls = 0;
  int answered_at = -1;
  options.abort_reason = [&] {
    const std::lock_guard lock(mutex);
    answered_at = progress_calls;
    changed.notify_all();
    return std::string("stop");
  };
  const ProgressSink progress = [&](const GeneratorProgress&) {
    const std::lock_guard lock(mutex);
    ++progress_calls;
    changed.notify_all();
  };
  const ReceptionRunner held = [&](std::size_t, std::size_t) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return answered_at >= 0 && progress_calls > answered_at; });
    return ReceptionOutcome{};
  };
  const GeneratorReport report = run_open_loop(SystemClock::instance(), options, held, recorder, start, progress);
  EXPECT_EQ(report.aborted, "stop");
  EXPECT_LE(report.started, 1u);  // 0 when the answer came before the reader took its first arrival
  EXPECT_EQ(report.scheduled, 1000u);
  EXPECT_FALSE(report.fell_behind);
}

TEST(OpenLoopGenerator, RefusesZeroReaders) {
  LoadRecorder recorder(MonotonicTime{}, 1s, nullptr);
  GeneratorOptions options;
  options.readers = 0;
  EXPECT_THROW(run_open_loop(SystemClock::instance(), options, [](std::size_t, std::size_t) { return ReceptionOutcome{}; },
                             recorder, MonotonicTime{}),
               Error);
}

}  // namespace
}  // namespace onshi::load
