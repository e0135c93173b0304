// HdrHistogram's bucket layout for 1 µs .. 1 h at 3 digits, checked against the figures
// HdrHistogram gives for the same parameters (23552 counts, 2048 unit-wide slots, then
// buckets doubling in width), and the percentile and min/max rules it reports by.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/load/hdr_histogram.hpp"
#include "onshi/load/hdr_layout.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::load {
namespace {

const HdrLayout latency(latency_lowest_us, latency_highest_us, latency_significant_digits);

TEST(HdrLayout, LatencyLayoutHasHdrHistogramsCountsLength) {
  EXPECT_EQ(latency.counts_length(), 23552u);
  // 1..3600000000 at 2 digits: 256 sub-buckets, 25 buckets -> 26 * 128.
  EXPECT_EQ(HdrLayout(1, 3'600'000'000, 2).counts_length(), 3328u);
}

TEST(HdrLayout, FirstBucketIsOneUnitWide) {
  for (std::int64_t v : std::initializer_list<std::int64_t>{0, 1, 2, 1000, 2047}) {
    EXPECT_EQ(latency.index_of(v), static_cast<std::size_t>(v)) << v;
    EXPECT_EQ(latency.value_at(static_cast<std::size_t>(v)), v);
    EXPECT_EQ(latency.equivalent_range(v), 1);
  }
}

TEST(HdrLayout, LaterBucketsDoubleInWidth) {
  EXPECT_EQ(latency.index_of(2048), 2048u);
  EXPECT_EQ(latency.index_of(2049), 2048u);
  EXPECT_EQ(latency.index_of(2050), 2049u);
  EXPECT_EQ(latency.index_of(4095), 3071u);
  EXPECT_EQ(latency.index_of(4096), 3072u);
  EXPECT_EQ(latency.value_at(3072), 4096);
  EXPECT_EQ(latency.equivalent_range(4096), 4);
  EXPECT_EQ(latency.lowest_equivalent(4099), 4096);
  EXPECT_EQ(latency.highest_equivalent(4096), 4099);
  EXPECT_EQ(latency.highest_equivalent(2048), 2049);
  // The largest trackable value has a slot inside the array.
  EXPECT_LT(latency.index_of(latency_highest_us), latency.counts_length());
}

TEST(HdrLayout, EveryIndexRoundTripsThroughItsValue) {
  for (std::size_t i = 0; i < latency.counts_length(); ++i) {
    const std::int64_t v = latency.value_at(i);
    if (v > latency_highest_us) break;
    ASSERT_EQ(latency.index_of(v), i) << "value " << v;
    ASSERT_EQ(latency.index_of(latency.highest_equivalent(v)), i) << "value " << v;
  }
}

TEST(HdrLayout, PrecisionIsThreeSignificantDigits) {
  for (std::int64_t v : std::initializer_list<std::int64_t>{12'345, 999'999, 3'599'999'999}) {
    const double relative = static_cast<double>(latency.equivalent_range(v)) / static_cast<double>(v);
    EXPECT_LE(relative, 0.001) << v;
  }
}

TEST(HdrLayout, RefusesParametersOutsideHdrHistogramsLimits) {
  EXPECT_EQ(testing::error_of([] { HdrLayout(0, 100, 3); }).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(testing::error_of([] { HdrLayout(10, 15, 3); }).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(testing::error_of([] { HdrLayout(1, 100, 6); }).code(), ErrorCode::invalid_argument);
}

TEST(HdrHistogram, PercentilesMinMaxAsHdrHistogramReportsThem) {
  HdrHistogram h;
  for (std::int64_t v = 1; v <= 10'000; ++v) h.record(v);
  EXPECT_EQ(h.total_count(), 10'000);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 10'007);  // highest value equivalent to 10000's slot (width 8)
  EXPECT_EQ(h.value_at_percentile(50.0), 5'003);
  EXPECT_EQ(h.value_at_percentile(99.0), 9'903);
  EXPECT_EQ(h.value_at_percentile(0.0), 1);
  EXPECT_EQ(h.value_at_percentile(100.0), 10'007);
}

TEST(HdrHistogram, EmptyReportsZeros) {
  const HdrHistogram h;
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.value_at_percentile(99.0), 0);
}

TEST(HdrHistogram, ValueAboveTheRangeCountsAtTheTop) {
  HdrHistogram h;
  h.record(latency_highest_us * 10);
  EXPECT_EQ(h.total_count(), 1);
  EXPECT_EQ(h.max(), latency.highest_equivalent(latency_highest_us));
}

TEST(HdrHistogram, AddSumsCountsAndRefusesAnotherLayout) {
  HdrHistogram a;
  HdrHistogram b;
  a.record(10, 3);
  b.record(5'000'000);
  a.add(b);
  EXPECT_EQ(a.total_count(), 4);
  EXPECT_EQ(a.min(), 10);
  EXPECT_EQ(a.max(), latency.highest_equivalent(5'000'000));
  const HdrHistogram other{HdrLayout(1, 1000, 2)};
  EXPECT_EQ(testing::error_of([&] { a.add(other); }).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace onshi::load
