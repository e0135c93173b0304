// kill -9 of a load run (issue 14, item 7): `onshi-hil load` SIGKILLed mid-run leaves an
// interval log whose every line is whole, which HdrHistogram's own Java HistogramLogReader
// reads, with the intervals that had closed; no half-written summary; and the next run into
// the same folder starts cleanly and ends with its summary.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "java_hlog_summary.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::testing::read_file;

std::size_t reception_lines(const std::string& hlog) {
  std::size_t n = 0;
  for (std::size_t at = hlog.find("\nTag=reception,"); at != std::string::npos; at = hlog.find("\nTag=reception,", at + 1)) {
    ++n;
  }
  return n;
}

// Each line a header line or a whole interval line; the file ends with a newline.
::testing::AssertionResult whole_lines(const std::string& hlog) {
  if (hlog.empty() || hlog.back() != '\n') return ::testing::AssertionFailure() << "does not end with a newline";
  const std::regex interval(R"(Tag=[A-Za-z0-9_.-]+,\d+\.\d{3},\d+\.\d{3},\d+\.\d{3},HISTF[A-Za-z0-9+/=]+)");
  std::istringstream in(hlog);
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.rfind("#[", 0) == 0 || line.rfind("\"StartTimestamp\"", 0) == 0) continue;
    if (!std::regex_match(line, interval)) return ::testing::AssertionFailure() << "line " << number << ": " << line;
  }
  return ::testing::AssertionSuccess();
}

TEST(KilledLoad, IntervalsWrittenSoFarAreReadableAndTheNextRunStartsCleanly) {
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr) << "the test_pki fixture sets ONSHI_TEST_PKI";
  const fs::path dir = fs::temp_directory_path() / ("onshi-killed-load-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path out = dir / "out";
  const fs::path hlog = out / "histograms.hlog";
  {
    onshi::testing::ChildProcess load({ONSHI_CLI, "load", "--rate", "10", "--duration", "120", "--readers", "1",
                                       "--interval", "1", "--out", out.string(), "--pki", pki},
                                      dir / "killed.log", {}, dir / "killed.err");
    // Killed once two intervals of receptions are in the log: mid-run, far from its end.
    const auto deadline = std::chrono::steady_clock::now() + 180s;
    while (std::chrono::steady_clock::now() < deadline && load.running() &&
           (!fs::exists(hlog) || reception_lines(read_file(hlog)) < 2)) {
      std::this_thread::sleep_for(50ms);
    }
    ASSERT_TRUE(fs::exists(hlog) && reception_lines(read_file(hlog)) >= 2)
        << "no two intervals within 180 s; output:\n" << load.output() << load.errors();
    load.send_signal(SIGKILL);
    EXPECT_EQ(load.stop(), 128 + SIGKILL) << load.output();
  }
  const std::string killed = read_file(hlog);
  EXPECT_TRUE(whole_lines(killed));
  load::e2e::JavaSummary java;
  ASSERT_TRUE(load::e2e::read_with_java(hlog, java));
  EXPECT_GE(java.tags["reception"].count, 2) << killed;
  EXPECT_FALSE(fs::exists(out / "summary.json")) << "a killed run cannot have a summary";
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << "left behind: " << entry.path();
  }

  const auto next = onshi::testing::run_process({ONSHI_CLI, "load", "--rate", "5", "--duration", "2", "--readers", "1",
                                                 "--out", out.string(), "--pki", pki},
                                                {.timeout = 180s, .merge_stderr = true});
  ASSERT_TRUE(next.succeeded()) << next.describe() << "\n" << next.out;
  const nlohmann::json summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary.value("schema", ""), "onshi-hil/load-summary/1");
  const std::string fresh = read_file(hlog);
  EXPECT_EQ(fresh.rfind("#[Histogram log format version 1.3]", 0), 0u) << "the next run appended to the killed log";
  EXPECT_TRUE(whole_lines(fresh));
  load::e2e::JavaSummary again;
  ASSERT_TRUE(load::e2e::read_with_java(hlog, again));
  EXPECT_GE(again.tags["reception"].count, 1);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace onshi
