#include <gtest/gtest.h>

#include "onshi/flow/run_record.hpp"

namespace onshi::flow {
namespace {

RunRecord record_failing_at(const std::string& step, const std::string& reason) {
  RunRecord r;
  StepResult passed;
  passed.name = "card_detect";
  passed.status = StepStatus::passed;
  StepResult failed;
  failed.name = step;
  failed.status = StepStatus::failed;
  failed.reason = reason;
  r.steps = {passed, failed};
  return r;
}

TEST(RunRecordExpectation, ReasonMustContainTheExpectedText) {
  RunRecord r = record_failing_at("identity_check", "wrong PIN on attempt 3, no tries left: the PIN is now blocked");
  r.expected_failed_step = "identity_check";
  r.expected_reason_contains = "blocked";
  EXPECT_TRUE(r.met_expectation());
  r.expected_reason_contains = "expired";
  EXPECT_FALSE(r.met_expectation());
}

TEST(RunRecordExpectation, AnErrorInTheExpectedStepIsNotTheExpectedFailure) {
  RunRecord r = record_failing_at("identity_check", "the rig is broken: reader timed out, PIN blocked?");
  r.steps[1].status = StepStatus::error;
  r.expected_failed_step = "identity_check";
  EXPECT_FALSE(r.met_expectation());
}

TEST(RunRecordExpectation, IdentityMethodMustMatchWhenExpected) {
  RunRecord r;
  StepResult passed;
  passed.name = "identity_check";
  passed.status = StepStatus::passed;
  r.steps = {passed};
  r.identity_method = "pin-after-face-miss";
  EXPECT_TRUE(r.met_expectation());
  r.expected_identity_method = "face";
  EXPECT_FALSE(r.met_expectation());
  r.expected_identity_method = "pin-after-face-miss";
  EXPECT_TRUE(r.met_expectation());
}

}  // namespace
}  // namespace onshi::flow
