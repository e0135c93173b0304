// HdrHistogram's Java library reads an interval log we write, with values across the whole
// range (the first, unit-wide bucket; bucket edges; seconds; the top): the same counts, min,
// max and percentiles as ours, so our bucket layout and V2 encoding are HdrHistogram's.
#include <gtest/gtest.h>

#include <fstream>

#include "java_hlog_summary.hpp"
#include "onshi/load/hdr_histogram.hpp"
#include "onshi/load/hlog_writer.hpp"

namespace onshi::load {
namespace {

TEST(HlogJavaReader, DecodesOurLogWithOurFigures) {
  const std::filesystem::path dir = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "java-reader";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "known.hlog";

  HdrHistogram first;
  for (std::int64_t v : {std::int64_t{1}, std::int64_t{2}, std::int64_t{1000}, std::int64_t{2047}, std::int64_t{2048},
                         std::int64_t{2049}, std::int64_t{4096}, std::int64_t{999'999}, std::int64_t{1'000'000}}) {
    first.record(v, v % 7 + 1);
  }
  HdrHistogram second;
  for (std::int64_t v = 3; v < latency_highest_us; v = v * 2 + 1) second.record(v);
  second.record(latency_highest_us);
  HdrHistogram empty_interval;
  {
    std::ofstream out(file, std::ios::trunc);
    HlogWriter writer(out);
    writer.write_header(std::chrono::system_clock::now());
    writer.write_interval("spread", 0.0, 1.0, first);
    writer.write_interval("spread", 1.0, 1.0, second);
    writer.write_interval("quiet", 2.0, 1.0, empty_interval);
  }
  HdrHistogram all = first;
  all.add(second);

  e2e::JavaSummary java;
  ASSERT_TRUE(e2e::read_with_java(file, java));
  EXPECT_EQ(java.intervals, 3);
  ASSERT_EQ(java.tags.count("spread"), 1u);
  const e2e::JavaFigures& j = java.tags["spread"];
  EXPECT_EQ(j.count, all.total_count());
  EXPECT_EQ(j.min, all.min());
  EXPECT_EQ(j.max, all.max());
  EXPECT_EQ(j.p50, all.value_at_percentile(50.0));
  EXPECT_EQ(j.p90, all.value_at_percentile(90.0));
  EXPECT_EQ(j.p99, all.value_at_percentile(99.0));
  EXPECT_EQ(j.p999, all.value_at_percentile(99.9));
  ASSERT_EQ(java.tags.count("quiet"), 1u);
  EXPECT_EQ(java.tags["quiet"].count, 0);
}

}  // namespace
}  // namespace onshi::load
