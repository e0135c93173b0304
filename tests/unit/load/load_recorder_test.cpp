// The recorder with a fake clock: corrected latency counts from the scheduled start, the
// uncorrected from the real start; the first step carries the wait for a reader; errors are
// counted by reason; each interval becomes one interval-log line per tag.
#include <gtest/gtest.h>

#include <sstream>

#include "onshi/core/error.hpp"
#include "onshi/load/hdr_encoding.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::load {
namespace {

using namespace std::chrono_literals;

ReceptionOutcome two_steps(Duration first, Duration second, bool second_passed = true) {
  ReceptionOutcome o;
  o.steps = {{"card_detect", first, true}, {"qualification_lookup", second, second_passed}};
  if (!second_passed) o.error = "qualification_lookup";
  return o;
}

TEST(LoadRecorder, CorrectedCountsFromTheScheduleUncorrectedFromTheStart) {
  testing::TestClock clock;
  const MonotonicTime t0 = clock.monotonic_now();
  LoadRecorder recorder(t0, 1s, nullptr);
  // Scheduled at 0 and 10 ms; the first reception takes 100 ms, so the second starts 90 ms late.
  recorder.record({t0, t0, t0 + 100ms}, two_steps(40ms, 60ms));
  recorder.record({t0 + 10ms, t0 + 100ms, t0 + 200ms}, two_steps(40ms, 60ms));
  recorder.finish(t0 + 200ms);

  const LatencyTally& r = recorder.reception();
  EXPECT_EQ(r.count, 2);
  EXPECT_EQ(r.uncorrected.min(), r.uncorrected.layout().lowest_equivalent(100'000));
  EXPECT_EQ(r.uncorrected.max(), r.uncorrected.layout().highest_equivalent(100'000));
  EXPECT_EQ(r.corrected.max(), r.corrected.layout().highest_equivalent(190'000));
  EXPECT_EQ(recorder.max_start_lag(), 90ms);
  // The wait lands on the first step only.
  const LatencyTally& first = recorder.step("card_detect");
  EXPECT_EQ(first.corrected.max(), first.corrected.layout().highest_equivalent(130'000));
  EXPECT_EQ(first.uncorrected.max(), first.uncorrected.layout().highest_equivalent(40'000));
  const LatencyTally& lookup = recorder.step("qualification_lookup");
  EXPECT_EQ(lookup.corrected.max(), lookup.uncorrected.max());
  EXPECT_EQ(recorder.step_names(), (std::vector<std::string>{"card_detect", "qualification_lookup"}));
}

TEST(LoadRecorder, ErrorsAreCountedByReason) {
  const MonotonicTime t0{};
  LoadRecorder recorder(t0, 1s, nullptr);
  recorder.record({t0, t0, t0 + 5ms}, two_steps(1ms, 4ms, false));
  recorder.record({t0, t0, t0 + 5ms}, ReceptionOutcome::failed("exception"));
  recorder.record({t0, t0, t0 + 5ms}, two_steps(1ms, 4ms, false));
  recorder.record({t0, t0, t0 + 5ms}, two_steps(1ms, 4ms));
  recorder.finish(t0 + 5ms);
  EXPECT_EQ(recorder.reception().count, 4);
  EXPECT_EQ(recorder.reception().errors, 3);
  EXPECT_EQ(recorder.errors_by_reason(), (std::map<std::string, std::int64_t>{{"exception", 1}, {"qualification_lookup", 2}}));
  EXPECT_EQ(recorder.step("qualification_lookup").errors, 2);
  EXPECT_EQ(recorder.step("card_detect").errors, 0);
}

TEST(LoadRecorder, EachIntervalIsOneLinePerTagAndTheLinesAddUpToTheRun) {
  const MonotonicTime t0{};
  std::ostringstream log;
  HlogWriter writer(log);
  LoadRecorder recorder(t0, 1s, &writer);
  recorder.record({t0, t0, t0 + 100ms}, two_steps(50ms, 50ms));
  recorder.record({t0 + 500ms, t0 + 500ms, t0 + 600ms}, two_steps(50ms, 50ms));
  recorder.record({t0 + 2s, t0 + 2s, t0 + 2100ms}, two_steps(50ms, 50ms));  // interval 1 stays empty
  recorder.finish(t0 + 2100ms);

  std::istringstream lines(log.str());
  std::string line;
  std::map<std::string, std::int64_t> counts;
  std::vector<std::string> starts;
  while (std::getline(lines, line)) {
    const auto comma = line.find(',');
    const std::string tag = line.substr(4, comma - 4);
    const auto last = line.rfind(',');
    counts[tag] += decode_compressed_base64(line.substr(last + 1)).total_count();
    if (tag == "reception") starts.push_back(line.substr(comma + 1, line.find(',', comma + 1) - comma - 1));
  }
  EXPECT_EQ(starts, (std::vector<std::string>{"0.000", "2.000"}));
  EXPECT_EQ(counts["reception"], 3);
  EXPECT_EQ(counts["reception.uncorrected"], 3);
  EXPECT_EQ(counts["card_detect"], 3);
  EXPECT_EQ(counts["qualification_lookup.uncorrected"], 3);
  ASSERT_EQ(recorder.intervals().size(), 3u);
  EXPECT_EQ(recorder.intervals()[0].completed, 2);
  EXPECT_EQ(recorder.intervals()[1].completed, 0);
  EXPECT_EQ(recorder.intervals()[2].completed, 1);
}

// A receipt computer's taking up a face file, after the reception's reader was free again.
TEST(LoadRecorder, AFollowUpStepIsItsOwnTallyAndLoggedEvenInAnIntervalWithoutReceptions) {
  const MonotonicTime t0{};
  std::ostringstream log;
  HlogWriter writer(log);
  LoadRecorder recorder(t0, 1s, &writer);
  recorder.record({t0, t0, t0 + 100ms}, two_steps(50ms, 50ms));
  recorder.record_follow_up(face_taken_up_step, t0 + 130ms, 30ms, true);
  recorder.record_follow_up(face_taken_up_step, t0 + 1500ms, 1400ms, false);  // interval 1: no reception ended
  recorder.finish(t0 + 1500ms);

  const LatencyTally& taken = recorder.step(face_taken_up_step);
  EXPECT_EQ(taken.count, 2);
  EXPECT_EQ(taken.errors, 1);
  EXPECT_EQ(taken.corrected.max(), taken.corrected.layout().highest_equivalent(1'400'000));
  EXPECT_EQ(taken.uncorrected.min(), taken.uncorrected.layout().lowest_equivalent(30'000));
  EXPECT_EQ(recorder.reception().count, 1);
  EXPECT_EQ(recorder.reception().errors, 0);  // the reception itself met its expectation
  EXPECT_EQ(recorder.errors_by_reason().at(face_taken_up_step), 1);
  ASSERT_EQ(recorder.intervals().size(), 2u);
  EXPECT_EQ(recorder.intervals()[1].completed, 0);
  EXPECT_EQ(recorder.intervals()[1].errors, 1);

  std::istringstream lines(log.str());
  std::vector<std::string> tags;
  for (std::string line; std::getline(lines, line);) tags.push_back(line.substr(0, line.find(',', line.find(',') + 1)));
  EXPECT_EQ(tags, (std::vector<std::string>{"Tag=reception,0.000", "Tag=reception.uncorrected,0.000",
                                            "Tag=card_detect,0.000", "Tag=card_detect.uncorrected,0.000",
                                            "Tag=qualification_lookup,0.000", "Tag=qualification_lookup.uncorrected,0.000",
                                            "Tag=face_taken_up,0.000", "Tag=face_taken_up.uncorrected,0.000",
                                            "Tag=face_taken_up,1.000", "Tag=face_taken_up.uncorrected,1.000"}));
}

TEST(HlogWriter, HeaderAndLineShape) {
  std::ostringstream log;
  HlogWriter writer(log);
  writer.write_header(WallTime(std::chrono::milliseconds(1'764'621'111'250)));
  HdrHistogram h;
  h.record(4'000'000);
  writer.write_interval("reception", 1.0, 1.0, h);
  const std::string text = log.str();
  EXPECT_EQ(text.substr(0, text.find("HISTF")),
            "#[Histogram log format version 1.3]\n"
            "#[StartTime: 1764621111.250 (seconds since epoch), 2025-12-01T20:31:51.250Z]\n"
            "#[BaseTime: 1764621111.250 (seconds since epoch)]\n"
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
            "Tag=reception,1.000,1.000,4.002,");
  EXPECT_THROW(writer.write_interval("bad tag", 0, 1, h), Error);
  EXPECT_THROW(writer.write_interval("a,b", 0, 1, h), Error);
}

}  // namespace
}  // namespace onshi::load
