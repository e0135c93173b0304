// Thresholds as verdicts: the expressions of docs/load.md parse into what they say, are judged
// on a recorder's figures in the expression's unit, and a malformed one is refused naming the
// expression and the position of what is wrong.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/threshold.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::load {
namespace {

using namespace std::chrono_literals;

ReceptionOutcome lookup_of(Duration d, bool ok = true) {
  ReceptionOutcome o;
  o.steps = {{"qualification_lookup", d, ok}};
  if (!ok) o.error = "qualification_lookup";
  return o;
}

// 100 receptions: 99 of 10 ms and one of 900 ms, which failed; each started 2 ms late.
void record_hundred_receptions(LoadRecorder& recorder) {
  const MonotonicTime t0{};
  for (int i = 0; i < 99; ++i) recorder.record({t0, t0 + 2ms, t0 + 12ms}, lookup_of(10ms));
  recorder.record({t0, t0 + 2ms, t0 + 902ms}, lookup_of(900ms, false));
  recorder.finish(t0 + 1s);
}

ThresholdVerdict judge(const std::string& expression, const LoadRecorder& recorder, double throughput = 2.0) {
  return evaluate(parse_threshold(expression), ThresholdInputs{recorder, throughput, 2ms});
}

std::string message_of(const std::string& expression) {
  return testing::error_of([&] { parse_threshold(expression); }).message();
}

TEST(Threshold, ParsesTheDocumentedExpressions) {
  const Threshold step = parse_threshold("qualification_lookup.p99 < 800ms");
  EXPECT_EQ(step.metric, ThresholdMetric::latency);
  EXPECT_EQ(step.tally, "qualification_lookup");
  EXPECT_DOUBLE_EQ(step.percentile, 99.0);
  EXPECT_EQ(step.op, ThresholdOp::less);
  EXPECT_DOUBLE_EQ(step.limit, 800.0);
  EXPECT_EQ(step.unit, "ms");
  EXPECT_DOUBLE_EQ(parse_threshold("reception.p99.9 < 3s").percentile, 99.9);
  EXPECT_DOUBLE_EQ(parse_threshold("reception.p999 < 3s").percentile, 99.9);  // summary.json's name
  EXPECT_TRUE(parse_threshold("reception.uncorrected.max <= 2s").uncorrected);
  EXPECT_EQ(parse_threshold("  errors.rate < 0.1%  ").expression, "errors.rate < 0.1%");
  EXPECT_EQ(parse_threshold("throughput >= 1.5/s").op, ThresholdOp::greater_equal);
  EXPECT_EQ(parse_threshold("errors.count==0").metric, ThresholdMetric::error_count);
  EXPECT_EQ(parse_threshold("generator.max_lag < 50 ms").metric, ThresholdMetric::max_lag);
}

TEST(Threshold, JudgesInTheExpressionsUnit) {
  LoadRecorder r(MonotonicTime{}, 1s, nullptr);
  record_hundred_receptions(r);
  // p99 is the 99th of 100 values: 12 ms corrected (10 ms + 2 ms late), within 0.1 %.
  const ThresholdVerdict p99 = judge("reception.p99 < 800ms", r);
  EXPECT_TRUE(p99.pass);
  ASSERT_TRUE(p99.value);
  EXPECT_NEAR(*p99.value, 12.0, 0.02);
  EXPECT_EQ(p99.unit, "ms");
  EXPECT_NEAR(*judge("reception.uncorrected.p99 < 1s", r).value, 0.010, 0.00002);
  // The maximum holds the slow one: 902 ms corrected is 0.902 s.
  const ThresholdVerdict max = judge("reception.max < 0.9s", r);
  EXPECT_FALSE(max.pass);
  EXPECT_NEAR(*max.value, 0.902, 0.001);
  EXPECT_TRUE(judge("qualification_lookup.p50 < 12.1ms", r).pass);  // the first step carries the 2 ms wait
  // One failed reception in 100 is 1 %.
  const ThresholdVerdict rate = judge("errors.rate < 0.1%", r);
  EXPECT_FALSE(rate.pass);
  EXPECT_DOUBLE_EQ(*rate.value, 1.0);
  EXPECT_TRUE(judge("errors.rate <= 0.01", r).pass);
  EXPECT_TRUE(judge("errors.count == 1", r).pass);
  EXPECT_FALSE(judge("errors.count == 0", r).pass);
  EXPECT_TRUE(judge("throughput >= 1.5/s", r, 2.0).pass);
  EXPECT_FALSE(judge("throughput >= 1.5/s", r, 1.4).pass);
  EXPECT_DOUBLE_EQ(*judge("throughput > 60/min", r, 2.0).value, 120.0);
  EXPECT_DOUBLE_EQ(*judge("generator.max_lag < 1ms", r).value, 2.0);
  EXPECT_EQ(describe_value(judge("generator.max_lag < 1ms", r)), "2 ms");
}

TEST(Threshold, AStepThatNeverRanIsNotMeasuredAndFails) {
  LoadRecorder r(MonotonicTime{}, 1s, nullptr);
  record_hundred_receptions(r);
  const ThresholdVerdict v = judge("card_detect.p99 < 1s", r);
  EXPECT_FALSE(v.value);
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(describe_value(v), "not measured (no samples)");
  EXPECT_FALSE(judged_while_running(parse_threshold("throughput >= 1/s")));
  EXPECT_TRUE(judged_while_running(parse_threshold("errors.rate < 1%")));
}

TEST(Threshold, MalformedExpressionsNameTheExpressionAndThePosition) {
  EXPECT_EQ(testing::error_of([] { parse_threshold("reception.p99 < 3x"); }).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(message_of("reception.p99 < 3x"),
            "threshold 'reception.p99 < 3x' at position 18: unknown unit 'x' for a latency (known: us, ms, s, min)");
  EXPECT_EQ(message_of("reception.p99 < 3"), "threshold 'reception.p99 < 3' at position 18: a latency limit needs a unit: us, ms, s or min");
  EXPECT_NE(message_of("qualification_lokup.p99 < 1s").find("at position 1: unknown metric 'qualification_lokup.p99'"),
            std::string::npos);
  EXPECT_NE(message_of("reception.q99 < 1s").find("at position 11: unknown statistic 'q99'"), std::string::npos);
  EXPECT_NE(message_of("reception.p101 < 1s").find("at position 12: percentile 101 must be > 0"), std::string::npos);
  EXPECT_NE(message_of("reception.p99 1s").find("at position 15: expected an operator"), std::string::npos);
  EXPECT_NE(message_of("reception.p99 < fast").find("at position 17: expected a number"), std::string::npos);
  EXPECT_NE(message_of("errors.rate < 5").find("at position 15: a rate without '%' is a fraction"), std::string::npos);
  EXPECT_NE(message_of("errors.count < 1ms").find("at position 17: errors.count is a count"), std::string::npos);
  EXPECT_NE(message_of("reception < 1s").find("needs a statistic"), std::string::npos);
  EXPECT_NE(message_of("throughput >= 2 per second").find("unexpected text"), std::string::npos);
  EXPECT_EQ(message_of("   "), "threshold '': empty expression");
}

}  // namespace
}  // namespace onshi::load
