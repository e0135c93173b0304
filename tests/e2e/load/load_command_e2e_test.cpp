// `onshi-hil load` as a user runs it: a real child process on the emulated rig (in-process
// readers, embedded mock ONS over mTLS), 20 arrivals/s for 3 s through 2 readers. The summary
// has the counts the schedule implies and no errors; HdrHistogram's Java reader decodes the
// interval log into the same counts and percentiles as summary.json. Counts and shapes only:
// no wall-clock figure is asserted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "java_hlog_summary.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/json_lines.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::load {
namespace {

const std::vector<std::string> steps{"card_detect", "read_certificate", "identity_check",
                                     "consent",     "qualification_lookup", "deliver_result"};

void expect_same_figures(const e2e::JavaFigures& java, const nlohmann::json& ours, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(java.p50, ours.at("p50").get<std::int64_t>());
  EXPECT_EQ(java.p90, ours.at("p90").get<std::int64_t>());
  EXPECT_EQ(java.p99, ours.at("p99").get<std::int64_t>());
  EXPECT_EQ(java.p999, ours.at("p999").get<std::int64_t>());
  EXPECT_EQ(java.max, ours.at("max").get<std::int64_t>());
  EXPECT_EQ(java.min, ours.at("min").get<std::int64_t>());
}

TEST(LoadCommand, TwentyPerSecondThroughTwoReadersDecodesWithHdrHistogram) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "rate20";
  std::filesystem::remove_all(out);
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr) << "the test_pki fixture sets ONSHI_TEST_PKI";
  const auto r = testing::run_process({ONSHI_CLI, "load", "--rate", "20", "--duration", "3", "--readers", "2", "--out",
                                       out.string(), "--pki", pki},
                                      {.timeout = std::chrono::seconds(180)});
  ASSERT_TRUE(r.succeeded()) << r.describe() << "\n" << r.out;
  // Not a TTY: plain progress lines, then the summary.
  EXPECT_NE(r.out.find("progress: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  EXPECT_NE(r.out.find("on schedule"), std::string::npos) << r.out;

  std::ifstream summary_file(out / "summary.json");
  ASSERT_TRUE(summary_file) << "no summary.json in " << out;
  const nlohmann::json summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(summary.at("schema"), "onshi-hil/load-summary/1");
  EXPECT_EQ(summary.at("rig").at("name"), "emulated");
  EXPECT_EQ(summary.at("arrivals").at("scheduled"), 60);
  EXPECT_EQ(summary.at("arrivals").at("started"), 60);
  EXPECT_EQ(summary.at("receptions").at("count"), 60);
  EXPECT_EQ(summary.at("receptions").at("errors"), 0);
  EXPECT_TRUE(summary.at("errors_by_reason").empty());
  EXPECT_EQ(summary.at("generator").at("fell_behind"), false);
  std::int64_t completions = 0;
  for (const auto& per_second : summary.at("throughput_per_s")) completions += std::llround(per_second.get<double>());
  EXPECT_EQ(completions, 60);
  for (const std::string& step : steps) {
    ASSERT_TRUE(summary.at("steps").contains(step)) << step;
    EXPECT_EQ(summary.at("steps").at(step).at("count"), 60) << step;
    EXPECT_EQ(summary.at("steps").at(step).at("errors"), 0) << step;
  }
  // Corrected latency is never below the uncorrected one.
  EXPECT_GE(summary.at("receptions").at("latency_us").at("p50").get<std::int64_t>(),
            summary.at("receptions").at("latency_uncorrected_us").at("p50").get<std::int64_t>());
  // Each reader delivered into its own result folder.
  EXPECT_TRUE(std::filesystem::is_directory(out / "readers" / "0" / "face"));
  EXPECT_TRUE(std::filesystem::is_directory(out / "readers" / "1" / "face"));

  e2e::JavaSummary java;
  ASSERT_TRUE(e2e::read_with_java(out / "histograms.hlog", java));
  ASSERT_EQ(java.tags.count("reception"), 1u);
  EXPECT_EQ(java.tags["reception"].count, 60);
  EXPECT_EQ(java.tags["reception.uncorrected"].count, 60);
  expect_same_figures(java.tags["reception"], summary.at("receptions").at("latency_us"), "reception");
  expect_same_figures(java.tags["reception.uncorrected"], summary.at("receptions").at("latency_uncorrected_us"),
                      "reception.uncorrected");
  for (const std::string& step : steps) {
    ASSERT_EQ(java.tags.count(step), 1u) << step;
    EXPECT_EQ(java.tags[step].count, 60) << step;
    expect_same_figures(java.tags[step], summary.at("steps").at(step).at("latency_us"), step);
  }
}

// 2000 arrivals/s on one reader: arrivals 0.5 ms apart, while one reception costs at least an
// RSA-2048 card signature, its check and an mTLS exchange; the second arrival already starts
// more than 1 ms late, so the run stops, says so and exits 1.
TEST(LoadCommand, AGeneratorThatFallsBehindSaysSoAndFails) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "behind";
  std::filesystem::remove_all(out);
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const auto r = testing::run_process({ONSHI_CLI, "load", "--rate", "2000", "--duration", "1", "--readers", "1",
                                       "--max-lag-ms", "1", "--out", out.string(), "--pki", pki},
                                      {.timeout = std::chrono::seconds(120)});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << "\n" << r.out;
  EXPECT_NE(r.out.find("FELL BEHIND"), std::string::npos) << r.out;
  std::ifstream summary_file(out / "summary.json");
  ASSERT_TRUE(summary_file);
  const nlohmann::json summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(summary.at("generator").at("fell_behind"), true);
  EXPECT_EQ(summary.at("arrivals").at("scheduled"), 2000);
  EXPECT_LT(summary.at("arrivals").at("started").get<int>(), 2000);
  EXPECT_EQ(summary.at("receptions").at("count"), summary.at("arrivals").at("started"));
  EXPECT_GT(summary.at("generator").at("max_lag_us").get<std::int64_t>(), 1000);
}

// A profile as data: a 4-second ramp from 2 to 5.25 per second on two readers expects
// (2 + 5.25) / 2 × 4 = 14.5 arrivals, so 15 (arrivals 0..14), all run; the summary names the profile.
TEST(LoadCommand, ProfileDrivesTheSchedule) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "profile";
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  const std::filesystem::path profile = out / "ramp.toml";
  {
    std::ofstream file(profile);
    file << "name = \"short-ramp\"\nreaders = 2\n[[segment]]\nkind = \"ramp\"\nfrom_rate_per_s = 2\n"
            "to_rate_per_s = 5.25\nduration_s = 4\n";
  }
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const auto r = testing::run_process({ONSHI_CLI, "load", "--profile", profile.string(), "--out", out.string(), "--pki", pki},
                                      {.timeout = std::chrono::seconds(120)});
  ASSERT_TRUE(r.succeeded()) << r.describe() << "\n" << r.out;
  std::ifstream summary_file(out / "summary.json");
  ASSERT_TRUE(summary_file);
  const nlohmann::json summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(summary.at("schedule").at("kind"), "profile short-ramp");
  EXPECT_EQ(summary.at("schedule").at("readers"), 2);
  EXPECT_EQ(summary.at("profile"), profile.string());
  EXPECT_EQ(summary.at("arrivals").at("scheduled"), 15);
  EXPECT_EQ(summary.at("receptions").at("count"), 15);
  const auto both = testing::run_process({ONSHI_CLI, "load", "--profile", profile.string(), "--rate", "3"});
  EXPECT_EQ(both.exit_code, 2) << both.describe();
}

nlohmann::json read_summary(const std::filesystem::path& out) { return testing::json_file(out / "summary.json"); }

// A threshold that cannot hold (no reception takes under a microsecond) fails the run, exit 1
// naming it with its measured value; the one that holds is reported passed beside it.
TEST(LoadCommand, AThresholdThatCannotHoldFailsTheRunNamingIt) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "threshold";
  std::filesystem::remove_all(out);
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const auto r = testing::run_process({ONSHI_CLI, "load", "--rate", "10", "--duration", "2", "--readers", "2", "--threshold",
                                       "reception.p99 < 1us", "--threshold", "errors.rate < 0.1%", "--out", out.string(),
                                       "--pki", pki},
                                      {.timeout = std::chrono::seconds(180)});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << "\n" << r.out;
  EXPECT_NE(r.out.find("threshold FAILED: reception.p99 < 1us (measured "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("threshold passed: errors.rate < 0.1%: 0%"), std::string::npos) << r.out;
  const nlohmann::json summary = read_summary(out);
  EXPECT_EQ(summary.at("receptions").at("count"), 20);
  EXPECT_EQ(summary.at("receptions").at("errors"), 0);
  ASSERT_EQ(summary.at("thresholds").size(), 2u);
  const nlohmann::json& p99 = summary.at("thresholds").at(0);
  EXPECT_EQ(p99.at("expr"), "reception.p99 < 1us");
  EXPECT_EQ(p99.at("pass"), false);
  EXPECT_EQ(p99.at("unit"), "us");
  // The measured value is the summary's own p99, in the threshold's unit.
  EXPECT_EQ(p99.at("value").get<double>(), summary.at("receptions").at("latency_us").at("p99").get<double>());
  EXPECT_EQ(summary.at("thresholds").at(1).at("pass"), true);
  EXPECT_EQ(summary.at("thresholds").at(1).at("value"), 0.0);
  EXPECT_EQ(summary.at("verdict"), "failed");
  const std::string md = onshi::testing::read_file(out / "summary.md");
  EXPECT_NE(md.find("FAILED"), std::string::npos) << md;
  EXPECT_NE(md.find("| `reception.p99 < 1us` |"), std::string::npos) << md;
}

// --abort-on-fail stops taking arrivals once a threshold fails on the figures so far: far
// fewer than the 200 scheduled arrivals start, and the summary says why.
TEST(LoadCommand, AbortOnFailStopsEarly) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "abort";
  std::filesystem::remove_all(out);
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const auto r = testing::run_process({ONSHI_CLI, "load", "--rate", "10", "--duration", "20", "--threshold",
                                       "reception.max < 1us", "--abort-on-fail", "--out", out.string(), "--pki", pki},
                                      {.timeout = std::chrono::seconds(180)});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << "\n" << r.out;
  EXPECT_NE(r.out.find("aborted: threshold reception.max < 1us failed"), std::string::npos) << r.out;
  const nlohmann::json summary = read_summary(out);
  EXPECT_EQ(summary.at("arrivals").at("scheduled"), 200);
  EXPECT_LT(summary.at("arrivals").at("started").get<int>(), 200);
  EXPECT_TRUE(summary.at("generator").at("aborted").is_string());
}

TEST(LoadCommand, AMalformedThresholdIsAUsageErrorNamingThePosition) {
  const auto r = testing::run_process({ONSHI_CLI, "load", "--rate", "1", "--duration", "1", "--threshold", "reception.p99 < 3x"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("threshold 'reception.p99 < 3x' at position 18: unknown unit 'x'"), std::string::npos) << r.err;
}

TEST(LoadCommand, BadOptionsAreRefusedWithExitTwo) {
  const auto rate = testing::run_process({ONSHI_CLI, "load", "--rate", "5000", "--duration", "1"});
  EXPECT_EQ(rate.exit_code, 2) << rate.describe();
  EXPECT_NE(rate.err.find("at most 2000"), std::string::npos) << rate.err;
  const auto schedule = testing::run_process({ONSHI_CLI, "load", "--schedule", "bursty"});
  EXPECT_EQ(schedule.exit_code, 2) << schedule.describe();
  EXPECT_NE(schedule.err.find("bursty"), std::string::npos) << schedule.err;
  const auto readers = testing::run_process({ONSHI_CLI, "load", "--readers", "0"});
  EXPECT_EQ(readers.exit_code, 2) << readers.describe();
}

}  // namespace
}  // namespace onshi::load
