#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "onshi/testing/files.hpp"
#include "onshi/flow/reception_flow.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/report/run_record_json.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi {
namespace {

using onshi::testing::read_file;

class EmulatedRigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto pki_dir = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(pki_dir) << "ONSHI_TEST_PKI is not set: run through ctest (fixture test_pki)";
    output_ = std::filesystem::temp_directory_path() /
              ("onshi-e2e-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
               std::to_string(::getpid()));
    std::filesystem::remove_all(output_);
    rig::WireOverrides overrides;
    overrides.pki_dir = *pki_dir;
    overrides.output_dir = output_;
    rig_ = rig::WiredRig::wire(rig::load_rig(rig::default_rig_file()), overrides);
  }
  void TearDown() override { std::filesystem::remove_all(output_); }

  std::vector<std::filesystem::path> face_files() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(output_ / "face")) files.push_back(entry.path());
    return files;
  }

  std::filesystem::path output_;
  std::unique_ptr<rig::WiredRig> rig_;
};

TEST_F(EmulatedRigTest, PinOkRunsSixPassedStepsAndDeliversAFaceFile) {
  const flow::RunRecord record = rig_->run(rig_->scenario("pin-ok"));
  ASSERT_EQ(record.steps.size(), 6u);
  for (std::size_t i = 0; i < record.steps.size(); ++i) {
    EXPECT_EQ(record.steps[i].name, flow::step_names[i]);
    EXPECT_TRUE(record.steps[i].passed()) << record.steps[i].name << ": " << record.steps[i].reason;
  }
  EXPECT_TRUE(record.met_expectation());

  // The face file: named as the terminal names card receptions, and readable by the codec.
  const auto files = face_files();
  ASSERT_EQ(files.size(), 1u);
  const std::string name = files[0].filename().string();
  EXPECT_EQ(name.rfind("OQSsiquc01res_face_1312345678", 0), 0u) << name;
  EXPECT_EQ(files[0].extension(), ".xml");
  const ons::QualificationResult result = ons::decode_result(read_file(files[0]));
  EXPECT_EQ(result.header.medical_institution_code, "1312345678");
  EXPECT_EQ(result.header.reference_classification, ons::ReferenceClassification::my_number_card);
  ASSERT_TRUE(result.body.qualification_validity);
  EXPECT_EQ(*result.body.qualification_validity, ons::QualificationValidity::valid);
  ASSERT_EQ(result.body.results.size(), 1u);
  EXPECT_EQ(result.body.results[0].insurer_number, "06132013");
  ASSERT_TRUE(result.body.results[0].pharmacists_info_consent);
  EXPECT_EQ(result.body.results[0].pharmacists_info_consent->flag, ons::ConsentFlag::consented);
  EXPECT_TRUE(result.body.results[0].pharmacists_info_consent->available_time);
}

TEST_F(EmulatedRigTest, RecordIsVersionedJsonWithEveryStep) {
  const flow::RunRecord record = rig_->run(rig_->scenario("pin-ok"));
  const auto j = nlohmann::json::parse(report::to_json(record));
  EXPECT_EQ(j["schema"], "onshi-hil/run-record/2");
  EXPECT_EQ(j["rig"], "emulated");
  ASSERT_EQ(j["steps"].size(), 6u);
  for (const auto& step : j["steps"]) {
    EXPECT_EQ(step["status"], "passed");
    EXPECT_GE(step["duration_us"].get<std::int64_t>(), 0);
    EXPECT_TRUE(step.contains("reason"));
  }
  // Nothing secret in the record: the patient's PIN never appears.
  EXPECT_EQ(report::to_json(record).find("\"1234\""), std::string::npos);
}

TEST_F(EmulatedRigTest, ThreeWrongPinsLockTheCardAndTheRunStopsAtIdentityCheck) {
  const flow::RunRecord record = rig_->run(rig_->scenario("pin-locked"));
  ASSERT_EQ(record.steps.size(), 6u);
  EXPECT_TRUE(record.steps[0].passed());
  EXPECT_TRUE(record.steps[1].passed());
  const flow::StepResult& identity = record.steps[2];
  EXPECT_EQ(identity.name, "identity_check");
  EXPECT_EQ(identity.status, flow::StepStatus::failed);
  EXPECT_NE(identity.reason.find("blocked"), std::string::npos) << identity.reason;
  for (std::size_t i = 3; i < 6; ++i) EXPECT_EQ(record.steps[i].status, flow::StepStatus::skipped);
  EXPECT_FALSE(record.all_steps_passed());
  EXPECT_TRUE(record.met_expectation());  // the scenario expects exactly this failure
  EXPECT_TRUE(face_files().empty());
}

TEST_F(EmulatedRigTest, AScenarioThatExpectsSuccessFailsWhenThePinIsWrong) {
  flow::Scenario scenario = rig_->scenario("pin-ok");
  scenario.pin_entries = {"9999", "9999", "9999"};
  const flow::RunRecord record = rig_->run(scenario);
  EXPECT_FALSE(record.met_expectation());
  EXPECT_EQ(record.step("identity_check")->status, flow::StepStatus::failed);
}

TEST_F(EmulatedRigTest, UnexpectedValidityFailsTheLookupWithTheCodes) {
  flow::Scenario scenario = rig_->scenario("new-qualification-exists");
  scenario.expect_validity = "1";
  const flow::RunRecord record = rig_->run(scenario);
  const flow::StepResult* lookup = record.step("qualification_lookup");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->status, flow::StepStatus::failed);
  EXPECT_NE(lookup->reason.find("QualificationValidity 3"), std::string::npos) << lookup->reason;
}

TEST_F(EmulatedRigTest, ManyReceptionsInARowAllPass) {
  for (int i = 0; i < 5; ++i) {
    const flow::RunRecord record = rig_->run(rig_->scenario("pin-ok"));
    EXPECT_TRUE(record.all_steps_passed()) << "run " << i;
  }
  EXPECT_EQ(face_files().size(), 5u);
}

TEST(RemoteOnsTest, UnreachableOnsEndsTheLookupInErrorWithAClearReason) {
  const auto pki_dir = pki::test_pki_dir_from_environment();
  ASSERT_TRUE(pki_dir);
  const pki::PkiPaths paths(*pki_dir);
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const std::string text = "name = \"remote-down\"\n[facility]\ncode = \"1312345678\"\n[ons]\nkind = \"remote\"\n"
                           "url = \"https://127.0.0.1:1\"\nserver_ca = \"" + paths.ons_ca_cert().string() +
                           "\"\nclient_cert = \"" + paths.terminal_cert("1312345678").string() +
                           "\"\nclient_key = \"" + paths.terminal_key("1312345678").string() + "\"\n";
  rig::WireOverrides overrides;
  overrides.pki_dir = *pki_dir;
  overrides.output_dir = std::filesystem::temp_directory_path() / ("onshi-e2e-remote-" + std::to_string(::getpid()));
  const auto wired = rig::WiredRig::wire(rig::parse_rig(text, "remote-down.toml"), overrides);
  const flow::RunRecord record = wired->run(wired->scenario("pin-ok"));
  const flow::StepResult* lookup = record.step("qualification_lookup");
  ASSERT_NE(lookup, nullptr);
  // A refused connection is a broken rig, not a failed expectation (onshi/run/phase_error.hpp).
  EXPECT_EQ(lookup->status, flow::StepStatus::error);
  EXPECT_NE(lookup->reason.find("the rig is broken"), std::string::npos) << lookup->reason;
  EXPECT_NE(lookup->reason.find("127.0.0.1:1"), std::string::npos) << lookup->reason;
  EXPECT_EQ(record.step("deliver_result")->status, flow::StepStatus::skipped);
  std::filesystem::remove_all(*overrides.output_dir);
}

}  // namespace
}  // namespace onshi
