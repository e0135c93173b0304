#include <sstream>

#include <gtest/gtest.h>

#include "onshi/report/step_table.hpp"

namespace onshi::report {
namespace {

TEST(StepTable, OneRowPerStepWithStatusDurationAndReason) {
  flow::RunRecord r;
  r.rig = "emulated";
  r.scenario = "pin-ok";
  r.steps.push_back({"card_detect", flow::StepStatus::passed, std::chrono::microseconds(1250), "", {}});
  r.steps.push_back({"identity_check", flow::StepStatus::failed, std::chrono::microseconds(500), "wrong PIN", {}});
  std::ostringstream out;
  print_step_table(out, r);
  const std::string text = out.str();
  EXPECT_NE(text.find("card_detect            passed          1.250"), std::string::npos) << text;
  EXPECT_NE(text.find("identity_check         failed          0.500  wrong PIN"), std::string::npos) << text;
  EXPECT_NE(text.find("total                  failed"), std::string::npos) << text;
}

}  // namespace
}  // namespace onshi::report
