#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "golden.hpp"
#include "onshi/core/error.hpp"
#include "onshi/report/json_reporter.hpp"
#include "onshi/report/run_record_json.hpp"
#include "sample_runs.hpp"

namespace onshi::report {
namespace {

flow::OnsJournalEntry journal_entry() {
  flow::OnsJournalEntry e;
  e.sequence = 7;
  e.kind = "request";
  e.received_at = sample::fixed_start() + std::chrono::milliseconds(20);
  e.target = "/card";
  e.status = 200;
  e.facility_code = "1312345678";
  e.patient_id = "P003";
  e.consents = {"medication"};
  e.duration = std::chrono::microseconds(900);
  return e;
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("onshi-json-" + std::to_string(::getpid()) + "-" + name);
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(JsonReporter, WritesTheRecordOfSchema2AsGolden) {
  const auto file = temp_file("record.json");
  JsonReporter json(file);
  sample::replay(sample::pin_locked(), json);
  json.add_ons_journal("pin-locked", {journal_entry()});
  json.finish();
  EXPECT_TRUE(golden::matches("record.golden.json", read(file)));
  std::filesystem::remove(file);
}

TEST(JsonReporter, KeepsEverySchema1FieldAndAddsMeasurements) {
  JsonReporter json("/nonexistent/unused.json");
  sample::replay(sample::pin_locked(), json);
  ASSERT_EQ(json.records().size(), 1u);
  const auto j = nlohmann::json::parse(to_json(json.records().front()));
  EXPECT_EQ(j["schema"], "onshi-hil/run-record/2");
  for (const char* field : {"rig", "scenario", "patient", "facility", "started", "total_ms", "all_steps_passed",
                            "expected_failed_step", "met_expectation", "result_file", "steps", "ons_journal"}) {
    EXPECT_TRUE(j.contains(field)) << field;
  }
  EXPECT_EQ(j["started"], "2026-12-01T10:00:00Z");
  EXPECT_EQ(j["met_expectation"], true);
  EXPECT_EQ(j["identity_method"], "pin");
  const auto& identity = j["steps"][2];
  for (const char* field : {"name", "status", "duration_us", "duration_ms", "reason", "details"}) {
    EXPECT_TRUE(identity.contains(field)) << field;
  }
  EXPECT_EQ(identity["status"], "failed");
  EXPECT_EQ(identity["details"]["pin_attempts"], "3");
  ASSERT_EQ(identity["measurements"].size(), 3u);
  EXPECT_EQ(identity["measurements"][2]["name"], "pin_attempts");
  EXPECT_EQ(identity["measurements"][2]["value"], 3.0);
  EXPECT_EQ(identity["measurements"][2]["verdict"], "unset");
  EXPECT_TRUE(identity["measurements"][2]["limits"].is_null());
}

TEST(JsonReporter, SeveralRunsMakeAnArrayOfRecords) {
  const auto file = temp_file("records.json");
  JsonReporter json(file);
  sample::replay(sample::pin_locked(), json);
  sample::replay(sample::visual_error(), json);
  json.finish();
  const auto j = nlohmann::json::parse(read(file));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["scenario"], "visual-ok");
  EXPECT_EQ(j[1]["steps"][1]["status"], "error");
  EXPECT_EQ(j[1]["steps"][1]["measurements"][1]["limits"]["high"], 4.0);
  EXPECT_EQ(j[1]["steps"][1]["measurements"][1]["verdict"], "pass");
  std::filesystem::remove(file);
}

TEST(JsonReporter, AJournalForAnUnknownRunIsAnErrorNamingIt) {
  JsonReporter json("/nonexistent/unused.json");
  sample::replay(sample::pin_locked(), json);
  try {
    json.add_ons_journal("no-such-run", {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_EQ(e.context(), "no-such-run");
  }
}

TEST(JsonReporter, AnUnwritablePathIsAnIoErrorNamingIt) {
  JsonReporter json("/proc/onshi-cannot-write/record.json");
  sample::replay(sample::pin_locked(), json);
  try {
    json.finish();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("/proc/onshi-cannot-write"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace onshi::report
