#pragma once
// Runs HdrHistogram's Java HistogramLogReader over an interval log (HlogSummary.java) and
// parses what it prints: per tag the total count, min, max and percentiles.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "onshi/testing/process.hpp"

namespace onshi::load::e2e {

struct JavaFigures {
  std::int64_t count = 0, min = 0, max = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0;
};

struct JavaSummary {
  int intervals = 0;
  std::map<std::string, JavaFigures> tags;
};

inline ::testing::AssertionResult read_with_java(const std::filesystem::path& hlog, JavaSummary& summary) {
  const auto r = onshi::testing::run_process(
      {"java", "-cp", ONSHI_HDRHISTOGRAM_JAR, ONSHI_HLOG_SUMMARY_JAVA, hlog.string()}, {.timeout = std::chrono::seconds(120)});
  if (!r.succeeded()) return ::testing::AssertionFailure() << r.describe();
  std::istringstream lines(r.out);
  std::string line;
  const std::regex interval_line("intervals=([0-9]+)");
  const std::regex tag_line("(\\S+) count=(-?[0-9]+) min=(-?[0-9]+) max=(-?[0-9]+) p50=(-?[0-9]+) p90=(-?[0-9]+) "
                            "p99=(-?[0-9]+) p999=(-?[0-9]+)");
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, m, interval_line)) {
      summary.intervals = std::stoi(m[1]);
    } else if (std::regex_match(line, m, tag_line)) {
      summary.tags[m[1]] = JavaFigures{std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4]), std::stoll(m[5]),
                                       std::stoll(m[6]), std::stoll(m[7]), std::stoll(m[8])};
    } else {
      return ::testing::AssertionFailure() << "unexpected line from HlogSummary.java: " << line << "\n" << r.out;
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace onshi::load::e2e
