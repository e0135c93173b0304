// The summary's achieved rate. A run that stopped early (the generator fell behind, or an
// abort) is judged over the time it really ran, not the planned duration: otherwise 3
// receptions in 0.3 s of a planned 1 s read as 3/s instead of 10/s. The run itself is the
// generator on the test clock, so every figure is exact.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "onshi/load/load_summary.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::load {
namespace {

using namespace std::chrono_literals;

struct StoppedRun {
  GeneratorReport report;
  LoadRecorder recorder;
  LoadRunInfo info;
};

// 100 arrivals 10 ms apart (1 s planned) on one reader that takes 100 ms each: arrival i
// would start 90 i ms late, so with a 250 ms bound three run (ending at 300 ms) and the
// fourth stops the run.
void run_until_behind(testing::TestClock& clock, StoppedRun& run, MonotonicTime start) {
  GeneratorOptions options;
  for (std::int64_t i = 0; i < 100; ++i) options.arrivals.push_back(10ms * i);
  options.planned = 1s;
  options.readers = 1;
  options.max_lag = 250ms;
  const ReceptionRunner slow = [&](std::size_t, std::size_t) {
    clock.advance(100ms);
    ReceptionOutcome o;
    o.steps = {{"qualification_lookup", 100ms, true}};
    return o;
  };
  const SleepUntil fake_sleep = [&](MonotonicTime t) {
    if (t > clock.monotonic_now()) clock.advance(t - clock.monotonic_now());
  };
  run.report = run_open_loop(clock, options, slow, run.recorder, start, {}, fake_sleep);
  run.recorder.finish(clock.monotonic_now());
  run.info.schedule.rate_per_s = 100.0;
  run.info.schedule.duration = 1s;
}

TEST(LoadSummary, ARunThatFellBehindIsRatedOverTheTimeItRan) {
  testing::TestClock clock;
  const MonotonicTime start = clock.monotonic_now();
  StoppedRun run{{}, LoadRecorder(start, 10s, nullptr), {}};
  run_until_behind(clock, run, start);
  ASSERT_TRUE(run.report.fell_behind);
  ASSERT_EQ(run.report.started, 3u);
  ASSERT_EQ(run.report.elapsed, 300ms);

  EXPECT_DOUBLE_EQ(achieved_rate_per_s(run.info, run.report, run.recorder), 10.0);
  const nlohmann::json summary = nlohmann::json::parse(load_summary_json(run.info, run.report, run.recorder));
  EXPECT_DOUBLE_EQ(summary.at("rate_achieved_per_s").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(summary.at("receptions").at("achieved_rate_per_s").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(summary.at("steps").at("qualification_lookup").at("achieved_rate_per_s").get<double>(), 10.0);
}

TEST(LoadSummary, AnAbortedRunIsRatedOverTheTimeItRan) {
  testing::TestClock clock;
  const MonotonicTime start = clock.monotonic_now();
  StoppedRun run{{}, LoadRecorder(start, 10s, nullptr), {}};
  run_until_behind(clock, run, start);
  run.report.fell_behind = false;  // the same run, as if --abort-on-fail had stopped it
  run.report.aborted = "threshold failed: errors.rate < 0.1%";
  EXPECT_DOUBLE_EQ(achieved_rate_per_s(run.info, run.report, run.recorder), 10.0);
}

TEST(LoadSummary, AWholeRunIsRatedOverThePlannedDurationOrLongerWhenItOverran) {
  testing::TestClock clock;
  const MonotonicTime start = clock.monotonic_now();
  StoppedRun run{{}, LoadRecorder(start, 10s, nullptr), {}};
  run_until_behind(clock, run, start);
  run.report.fell_behind = false;  // as if the three were the whole schedule
  EXPECT_DOUBLE_EQ(achieved_rate_per_s(run.info, run.report, run.recorder), 3.0);  // 3 over the planned 1 s
  run.report.elapsed = 1500ms;                                                       // it ran past its plan
  EXPECT_DOUBLE_EQ(achieved_rate_per_s(run.info, run.report, run.recorder), 2.0);
}

}  // namespace
}  // namespace onshi::load
