#include <gtest/gtest.h>

#include "onshi/run/measurement.hpp"

namespace onshi::run {
namespace {

TEST(MeasurementVerdict, UnsetWithoutLimits) {
  EXPECT_EQ(Measurement::of("pin_attempts", 3.0).verdict, MeasurementVerdict::unset);
  EXPECT_EQ(Measurement::of("atr", std::string("3B")).verdict, MeasurementVerdict::unset);
}

TEST(MeasurementVerdict, InsideTheLimitsPassesOutsideFails) {
  const Limits limits{1.0, 10.0, std::nullopt, std::nullopt};
  EXPECT_EQ(judge(1.0, limits), MeasurementVerdict::pass);
  EXPECT_EQ(judge(10.0, limits), MeasurementVerdict::pass);
  EXPECT_EQ(judge(0.5, limits), MeasurementVerdict::fail);
  EXPECT_EQ(judge(10.5, limits), MeasurementVerdict::fail);
}

TEST(MeasurementVerdict, OneSidedLimits) {
  EXPECT_EQ(judge(5000.0, Limits::at_most(5000)), MeasurementVerdict::pass);
  EXPECT_EQ(judge(5000.1, Limits::at_most(5000)), MeasurementVerdict::fail);
  EXPECT_EQ(judge(-1.0, Limits::at_least(0)), MeasurementVerdict::fail);
  EXPECT_EQ(judge(1e9, Limits::at_least(0)), MeasurementVerdict::pass);
}

TEST(MeasurementVerdict, TheMarginalBandLiesInsideTheLimits) {
  // Pass in [20, 80], marginal in [0, 20) and (80, 100], fail outside [0, 100].
  const Limits limits{0.0, 100.0, 20.0, 80.0};
  EXPECT_EQ(judge(50.0, limits), MeasurementVerdict::pass);
  EXPECT_EQ(judge(20.0, limits), MeasurementVerdict::pass);
  EXPECT_EQ(judge(10.0, limits), MeasurementVerdict::marginal);
  EXPECT_EQ(judge(90.0, limits), MeasurementVerdict::marginal);
  EXPECT_EQ(judge(-0.1, limits), MeasurementVerdict::fail);
  EXPECT_EQ(judge(100.1, limits), MeasurementVerdict::fail);
}

TEST(MeasurementVerdict, TextOrNanAgainstLimitsFails) {
  EXPECT_EQ(judge(std::string("12"), Limits::at_most(100)), MeasurementVerdict::fail);
  EXPECT_EQ(judge(std::numeric_limits<double>::quiet_NaN(), Limits::at_most(100)), MeasurementVerdict::fail);
}

TEST(MeasurementValue, FormatsNumbersShortAndTextAsIs) {
  EXPECT_EQ(format_value(3.0), "3");
  EXPECT_EQ(format_value(12.5), "12.5");
  EXPECT_EQ(format_value(-2.0), "-2");
  EXPECT_EQ(format_value(std::string("3B E0")), "3B E0");
}

TEST(MeasurementVerdict, Names) {
  EXPECT_EQ(to_string(MeasurementVerdict::unset), "unset");
  EXPECT_EQ(to_string(MeasurementVerdict::pass), "pass");
  EXPECT_EQ(to_string(MeasurementVerdict::marginal), "marginal");
  EXPECT_EQ(to_string(MeasurementVerdict::fail), "fail");
}

}  // namespace
}  // namespace onshi::run
