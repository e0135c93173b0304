// Schedules: a constant rate is exact (arrival i at i / rate, none at or after the end); a
// seeded Poisson schedule is the same on every run, differs with the seed, and its gaps have
// the mean the rate asks for. Bounds are refused with a message naming them.
#include <gtest/gtest.h>

#include <numeric>

#include "onshi/core/error.hpp"
#include "onshi/load/arrival_schedule.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::load {
namespace {

using namespace std::chrono_literals;

TEST(ArrivalSchedule, ConstantRateIsExact) {
  const auto a = arrivals({ScheduleKind::constant, 20.0, 3s, 1});
  ASSERT_EQ(a.size(), 60u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], std::chrono::milliseconds(50 * i)) << i;
}

TEST(ArrivalSchedule, ConstantRateNotDividingTheDurationStopsBeforeTheEnd) {
  const auto a = arrivals({ScheduleKind::constant, 3.0, 1500ms, 1});
  ASSERT_EQ(a.size(), 5u);  // 0, 1/3, 2/3, 1, 4/3 s
  EXPECT_LT(a.back(), 1500ms);
}

TEST(ArrivalSchedule, SeededPoissonIsTheSameEveryRun) {
  const ScheduleSpec spec{ScheduleKind::poisson, 50.0, 10s, 42};
  const auto first = arrivals(spec);
  EXPECT_EQ(arrivals(spec), first);
  ScheduleSpec other = spec;
  other.seed = 43;
  EXPECT_NE(arrivals(other), first);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
  EXPECT_LT(first.back(), 10s);
}

TEST(ArrivalSchedule, PoissonGapsHaveTheAskedMean) {
  const auto a = arrivals({ScheduleKind::poisson, 100.0, 600s, 7});
  // 60000 expected; the count of a Poisson process has standard deviation sqrt(60000) ~ 245.
  EXPECT_GT(a.size(), 58'500u);
  EXPECT_LT(a.size(), 61'500u);
}

TEST(ArrivalSchedule, BoundsAreRefused) {
  EXPECT_NE(testing::error_of([] { arrivals({ScheduleKind::constant, 0.0, 1s, 1}); }).message().find("must be > 0"),
            std::string::npos);
  EXPECT_EQ(testing::error_of([] { arrivals({ScheduleKind::constant, 2001.0, 1s, 1}); }).code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(testing::error_of([] { arrivals({ScheduleKind::constant, 1.0, 3601s, 1}); }).code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(testing::error_of([] { schedule_kind_named("ramp-ish"); }).message(),
            "unknown schedule 'ramp-ish' (known: constant, poisson)");
}

}  // namespace
}  // namespace onshi::load
