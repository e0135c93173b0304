#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/report/run_record_json.hpp"

namespace onshi::report {
namespace {

flow::RunRecord sample() {
  flow::RunRecord r;
  r.rig = "emulated";
  r.scenario = "pin-locked";
  r.patient = "P001";
  r.facility = "1312345678";
  r.expected_failed_step = "identity_check";
  r.total = std::chrono::microseconds(1500);
  r.steps.push_back({"card_detect", flow::StepStatus::passed, std::chrono::microseconds(250), "", {{"atr", "3B E0"}}});
  r.steps.push_back({"identity_check", flow::StepStatus::failed, std::chrono::microseconds(1000), "PIN blocked", {}});
  r.steps.push_back({"consent", flow::StepStatus::skipped, {}, "an earlier step failed", {}});
  return r;
}

TEST(RunRecordJson, CarriesSchemaStepsAndExpectation) {
  const auto j = nlohmann::json::parse(to_json(sample()));
  EXPECT_EQ(j["schema"], "onshi-hil/run-record/1");
  EXPECT_EQ(j["rig"], "emulated");
  ASSERT_EQ(j["steps"].size(), 3u);
  EXPECT_EQ(j["steps"][0]["name"], "card_detect");
  EXPECT_EQ(j["steps"][0]["duration_us"], 250);
  EXPECT_EQ(j["steps"][0]["details"]["atr"], "3B E0");
  EXPECT_EQ(j["steps"][1]["status"], "failed");
  EXPECT_EQ(j["steps"][1]["reason"], "PIN blocked");
  EXPECT_EQ(j["steps"][2]["status"], "skipped");
  EXPECT_EQ(j["all_steps_passed"], false);
  EXPECT_EQ(j["met_expectation"], true);
}

TEST(RunRecordJson, ExpectationNotMetWhenAnotherStepFails) {
  flow::RunRecord r = sample();
  r.steps[1].name = "qualification_lookup";
  EXPECT_FALSE(r.met_expectation());
  r.expected_failed_step.clear();
  EXPECT_FALSE(r.met_expectation());
}

TEST(RunRecordJson, EmptyRunNeverPasses) { EXPECT_FALSE(flow::RunRecord{}.all_steps_passed()); }

TEST(RunRecordJson, WritesAtomicallyAndReportsBadPaths) {
  const auto file = std::filesystem::temp_directory_path() / ("onshi-record-" + std::to_string(::getpid()) + ".json");
  write_json(sample(), file);
  std::ifstream in(file);
  EXPECT_EQ(nlohmann::json::parse(in)["scenario"], "pin-locked");
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  std::filesystem::remove(file);
  EXPECT_THROW(write_json(sample(), "/proc/onshi-cannot-write/record.json"), std::exception);
}

}  // namespace
}  // namespace onshi::report
