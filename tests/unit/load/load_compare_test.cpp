// The significance test behind report compare, and reading an interval log back: Mann-Whitney
// U on samples and on histograms gives the same answer, separates shifted samples, says
// nothing about identical ones; an interval log we write reads back into the same histograms,
// and a damaged line is named by file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/load/hlog_reader.hpp"
#include "onshi/load/hlog_writer.hpp"
#include "onshi/load/load_compare.hpp"
#include "onshi/load/load_summary.hpp"
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

// A load run folder as `onshi-hil load --out` leaves it, with one "reception" interval per
// entry of `interval_ms`: 20 receptions each, spread over +-1 ms around that interval's centre.
std::filesystem::path write_run(const std::string& name, const std::vector<std::int64_t>& interval_ms) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("onshi-compare-" + name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "summary.json") << nlohmann::json{{"schema", load_summary_schema},
                                                        {"rig", nlohmann::json::object()},
                                                        {"receptions", {{"errors", 0}}}}.dump();
  std::ofstream out(dir / "histograms.hlog");
  HlogWriter writer(out);
  writer.write_header(WallTime(std::chrono::milliseconds(1'764'621'111'000)));
  for (std::size_t i = 0; i < interval_ms.size(); ++i) {
    HdrHistogram h;
    for (std::int64_t k = 0; k < 20; ++k) h.record(interval_ms[i] * 1000 - 1000 + k * 100);  // µs
    writer.write_interval("reception", static_cast<double>(i), 1.0, h);
  }
  return dir;
}

// The receptions of one run are not independent: a burst of machine load slows a stretch of
// them together. Four slow seconds of seven move the median 1.8x and give the receptions' test
// p < 1e-10, yet the intervals say the slowdown is not the run's; a slowdown in every interval
// is a regression.
TEST(LoadCompare, ABurstInSomeIntervalsIsNoRegressionASlowdownInEveryOneIs) {
  const auto base = write_run("base", {10, 10, 10, 10, 10, 10, 10});
  const auto burst = write_run("burst", {20, 10, 20, 10, 20, 10, 20});
  const auto slow = write_run("slow", {20, 20, 20, 20, 20, 20, 20});
  const Comparison noisy = compare_runs(base, burst);
  ASSERT_EQ(noisy.metrics.size(), 1u);
  EXPECT_GT(noisy.metrics[0].ratio(), 1.25);
  EXPECT_LT(noisy.metrics[0].p_receptions, 1e-10);
  EXPECT_GT(noisy.metrics[0].p_intervals, 0.01);
  EXPECT_EQ(noisy.metrics[0].base_intervals, 7);
  EXPECT_FALSE(noisy.regressed()) << format_comparison(noisy);

  const Comparison regressed = compare_runs(base, slow);
  EXPECT_LT(regressed.metrics[0].p_intervals, 0.01);
  EXPECT_TRUE(regressed.regressed()) << format_comparison(regressed);
  EXPECT_TRUE(regressed.warnings.empty()) << format_comparison(regressed);

  // Too few intervals to judge them: the receptions alone decide, and compare says so.
  const Comparison short_runs = compare_runs(write_run("base-short", {10, 10, 10}), write_run("slow-short", {20, 20, 20}));
  EXPECT_TRUE(short_runs.regressed());
  ASSERT_EQ(short_runs.warnings.size(), 1u);
  EXPECT_NE(short_runs.warnings[0].find("fewer than 5"), std::string::npos) << short_runs.warnings[0];
  for (const char* name : {"base", "burst", "slow", "base-short", "slow-short"}) {
    std::filesystem::remove_all(std::filesystem::temp_directory_path() / (std::string("onshi-compare-") + name));
  }
}

}  // namespace
}  // namespace onshi::load
