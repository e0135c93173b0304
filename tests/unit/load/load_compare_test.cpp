// The significance test behind report compare, and reading an interval log back: Mann-Whitney
// U on samples and on histograms gives the same answer, separates shifted samples, says
// nothing about identical ones; an interval log we write reads back into the same histograms,
// and a damaged line is named by file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "onshi/core/error.hpp"
#include "onshi/load/hlog_reader.hpp"
#include "onshi/load/hlog_writer.hpp"
#include "onshi/load/load_compare.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::load {
namespace {

TEST(MannWhitney, SeparatedSamplesAreSignificantIdenticalOnesAreNot) {
  const std::vector<double> low{1, 2, 3, 4, 5};
  const std::vector<double> high{6, 7, 8, 9, 10};
  // U = 25 of 25; normal approximation with continuity correction: z = 12 / sqrt(22.92) = 2.51.
  EXPECT_NEAR(mann_whitney_greater_p(low, high), 0.0061, 0.0005);
  EXPECT_GT(mann_whitney_greater_p(high, low), 0.99);
  EXPECT_GT(mann_whitney_greater_p(low, low), 0.5);
  EXPECT_EQ(mann_whitney_greater_p({}, high), 1.0);
  EXPECT_EQ(mann_whitney_greater_p({3, 3, 3}, {3, 3, 3}), 1.0);  // all tied: no evidence
}

TEST(MannWhitney, HistogramsGiveTheSameAnswerAsTheirSamples) {
  HdrHistogram base;
  HdrHistogram current;
  std::vector<double> base_values;
  std::vector<double> current_values;
  for (int i = 0; i < 200; ++i) {
    // Distinct slots (below 2048 µs every µs has its own), overlapping ranges.
    const auto b = static_cast<std::int64_t>(100 + (i * 7) % 900);
    const auto c = static_cast<std::int64_t>(150 + (i * 11) % 900);
    base.record(b);
    current.record(c);
    base_values.push_back(static_cast<double>(b));
    current_values.push_back(static_cast<double>(c));
  }
  EXPECT_NEAR(mann_whitney_greater_p(base, current), mann_whitney_greater_p(base_values, current_values), 1e-12);
  EXPECT_THROW(mann_whitney_greater_p(base, HdrHistogram(HdrLayout(1, 1000, 2))), Error);
}

TEST(HlogReader, ReadsBackWhatTheWriterWrote) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "onshi-hlog-reader-test.hlog";
  HdrHistogram a;
  HdrHistogram b;
  for (std::int64_t v = 1; v < 5000; v += 37) a.record(v);
  b.record(3'000'000);
  {
    std::ofstream out(file);
    HlogWriter writer(out);
    writer.write_header(WallTime(std::chrono::milliseconds(1'764'621'111'250)));
    writer.write_interval("reception", 0.0, 1.0, a);
    writer.write_interval("reception", 1.0, 1.0, b);
    writer.write_interval("card_detect", 1.0, 1.0, b);
  }
  const HlogContents log = read_hlog(file);
  EXPECT_DOUBLE_EQ(log.start_time_s, 1764621111.25);
  EXPECT_DOUBLE_EQ(log.base_time_s, 1764621111.25);
  ASSERT_EQ(log.intervals.size(), 3u);
  EXPECT_EQ(log.intervals[1].start_s, 1.0);
  EXPECT_EQ(log.tags(), (std::vector<std::string>{"reception", "card_detect"}));
  const HdrHistogram whole = log.whole("reception");
  EXPECT_EQ(whole.total_count(), a.total_count() + 1);
  EXPECT_EQ(whole.max(), b.max());
  EXPECT_EQ(whole.value_at_percentile(50.0), [&] { HdrHistogram s = a; s.add(b); return s.value_at_percentile(50.0); }());

  {
    std::ofstream out(file, std::ios::app);
    out << "Tag=reception,2.000,1.000,0.001,HISTFnotbase64!\n";
  }
  const Error e = testing::error_of([&] { read_hlog(file); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.context(), file.string() + ":8");
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace onshi::load
