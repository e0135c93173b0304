// The JSON Lines reporter (docs/records.md): one whole line per event, written when its phase
// ends, appended to what the file already holds; a run cut short keeps its finished phases.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "golden.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/core/error.hpp"
#include "onshi/report/jsonl_reporter.hpp"
#include "onshi/testing/test_clock.hpp"
#include "sample_runs.hpp"

namespace onshi::report {
namespace {

namespace fs = std::filesystem;

fs::path jsonl_temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("onshi-jsonl-" + std::to_string(::getpid()) + "-" + name);
}

using onshi::testing::read_file;

std::vector<nlohmann::json> parse_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

class JsonLines : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove(file_); }
  fs::path file_ = jsonl_temp_file("events.jsonl");
  onshi::testing::TestClock clock_{sample::fixed_start()};
};

TEST_F(JsonLines, WritesOneLinePerEventAsGolden) {
  {
    JsonLinesReporter jsonl(file_, clock_);
    sample::replay(sample::pin_locked(), jsonl);
    sample::replay(sample::visual_error(), jsonl);
    jsonl.finish();
  }
  const std::string text = read_file(file_);
  EXPECT_TRUE(golden::matches("events.golden.jsonl", text));
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto lines = parse_lines(text);
  // Per run: run_started, per phase phase_started + its measurements + phase_ended, run_ended.
  std::size_t expected = 0;
  for (const auto& r : {sample::pin_locked(), sample::visual_error()}) {
    expected += 2;
    for (const auto& p : r.phases) expected += 2 + p.measurements.size();
  }
  ASSERT_EQ(lines.size(), expected);
  EXPECT_EQ(lines.front()["event"], "run_started");
  EXPECT_EQ(lines.front()["schema"], kRunEventsSchema);
  EXPECT_EQ(lines.back()["event"], "run_ended");
  EXPECT_EQ(lines.back()["run"], "visual-ok");
}

TEST_F(JsonLines, AppendsToWhatTheFileHolds) {
  std::ofstream(file_) << "{\"event\":\"from an earlier run\"}\n";
  {
    JsonLinesReporter jsonl(file_, clock_);
    sample::replay(sample::pin_locked(), jsonl);
    jsonl.finish();
  }
  const auto lines = parse_lines(read_file(file_));
  ASSERT_GT(lines.size(), 2u);
  EXPECT_EQ(lines[0]["event"], "from an earlier run");
  EXPECT_EQ(lines[1]["event"], "run_started");
}

TEST_F(JsonLines, AFinishedPhaseIsInTheFileBeforeTheNextOneEnds) {
  JsonLinesReporter jsonl(file_, clock_);
  const run::RunResult r = sample::pin_locked();
  jsonl.run_started({r.name, {"card_detect", "read_certificate"}, r.started, {}});
  jsonl.phase_started({r.name, "card_detect", 0});
  for (const auto& m : r.phases[0].measurements) jsonl.measurement_recorded({r.name, "card_detect", m});
  jsonl.phase_ended({r.name, 0, r.phases[0]});
  jsonl.phase_started({r.name, "read_certificate", 1});
  // Read while the reporter is alive, as after a SIGKILL here: the run's start and the whole
  // first phase, nothing of the second (its lines are written when it ends).
  const auto lines = parse_lines(read_file(file_));
  ASSERT_EQ(lines.size(), 3u + r.phases[0].measurements.size());
  EXPECT_EQ(lines.back()["event"], "phase_ended");
  EXPECT_EQ(lines.back()["phase"], "card_detect");
  EXPECT_EQ(lines.back()["status"], "passed");
  EXPECT_EQ(lines.back()["details"]["atr"], "3B E0 00 FF 81 31 FE 45");
}

TEST_F(JsonLines, TextThatIsNotUtf8IsReplacedNotThrown) {
  run::RunResult r = sample::pin_locked();
  r.phases[2].reason = "the ONS answered \xff\xfe";
  {
    JsonLinesReporter jsonl(file_, clock_);
    EXPECT_NO_THROW(sample::replay(r, jsonl));
    jsonl.finish();
  }
  bool found = false;
  for (const auto& line : parse_lines(read_file(file_))) {
    if (line["event"] == "phase_ended" && line["phase"] == "identity_check") {
      EXPECT_EQ(line["reason"], "the ONS answered \xEF\xBF\xBD\xEF\xBF\xBD");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(JsonLines, AFileThatCannotBeOpenedIsNamed) {
  try {
    JsonLinesReporter jsonl("/nonexistent/dir/events.jsonl", clock_);
    ADD_FAILURE() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(e.context(), "/nonexistent/dir/events.jsonl");
  }
}

TEST_F(JsonLines, AWriteErrorIsThrownByFinishNotByTheSink) {
  // /dev/full takes the open and refuses every write with ENOSPC.
  JsonLinesReporter jsonl("/dev/full", clock_);
  EXPECT_NO_THROW(sample::replay(sample::pin_locked(), jsonl));
  try {
    jsonl.finish();
    ADD_FAILURE() << "finish() did not report the failed writes";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(e.context(), "/dev/full");
    EXPECT_NE(e.message().find("No space left"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace onshi::report
