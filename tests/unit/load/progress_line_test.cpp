// The load run's progress text: the totals line, the per-step p99 columns of the live line
// (whole columns cut to the terminal's width), and the two-line redraw in place.
#include "onshi/load/progress_line.hpp"

#include <gtest/gtest.h>

#include "onshi/load/load_recorder.hpp"

namespace onshi::load {
namespace {

GeneratorProgress two_steps() {
  GeneratorProgress p;
  p.elapsed = std::chrono::milliseconds(1500);
  p.planned = std::chrono::seconds(2);
  p.started = 31;
  p.in_flight = 1;
  p.recorded.completed = 30;
  p.recorded.errors = 2;
  p.recorded.p99_us = 4211;
  p.recorded.steps = {{"card_detect", 412}, {"qualification_lookup", 2100}};
  return p;
}

TEST(ProgressLine, TotalsSayElapsedCountsRateP99AndErrors) {
  EXPECT_EQ(progress_totals(two_steps()),
            "   1.5/2.0 s  started 31  done 30  in flight 1  rate 20.0/s  p99 4.211 ms  errors 2");
}

TEST(ProgressLine, StepColumnsHoldEachStepsP99InMilliseconds) {
  EXPECT_EQ(progress_step_columns(two_steps(), 200), "p99 ms  card_detect 0.412  qualification_lookup 2.100");
  GeneratorProgress none;
  EXPECT_EQ(progress_step_columns(none, 200), "");  // nothing recorded yet: no columns
}

TEST(ProgressLine, ANarrowTerminalGetsWholeColumnsOnly) {
  const std::string line = progress_step_columns(two_steps(), 40);
  EXPECT_EQ(line, "p99 ms  card_detect 0.412");
  EXPECT_LE(line.size(), 40u);
}

TEST(ProgressLine, TheLiveBlockRedrawsBothLinesInPlace) {
  const std::string block = live_progress(two_steps(), 200);
  EXPECT_EQ(block, "\r" + progress_totals(two_steps()) + "\x1b[K\n\r" + progress_step_columns(two_steps(), 200) +
                       "\x1b[K\x1b[1A\r");
  // Cut to the width too, so neither line wraps.
  EXPECT_EQ(live_progress(two_steps(), 20).find("started"), std::string::npos);
  EXPECT_EQ(live_end(), "\n\n");
}

TEST(ProgressLine, TheRecordersSnapshotCarriesEachStepsP99InFirstSeenOrder) {
  const MonotonicTime start{};
  LoadRecorder recorder(start, std::chrono::seconds(1), nullptr);
  ReceptionOutcome outcome;
  outcome.steps = {{"card_detect", std::chrono::microseconds(300), true},
                   {"qualification_lookup", std::chrono::microseconds(2000), true}};
  ReceptionTiming timing;
  timing.scheduled = start;
  timing.started = start + std::chrono::microseconds(100);  // waited for a reader: counts in card_detect
  timing.ended = start + std::chrono::microseconds(2400);
  recorder.record(timing, outcome);
  const LoadRecorder::Snapshot s = recorder.snapshot();
  ASSERT_EQ(s.steps.size(), 2u);
  EXPECT_EQ(s.steps[0].name, "card_detect");
  EXPECT_EQ(s.steps[0].p99_us, 400);
  EXPECT_EQ(s.steps[1].name, "qualification_lookup");
  EXPECT_EQ(s.steps[1].p99_us, 2000);
}

}  // namespace
}  // namespace onshi::load
