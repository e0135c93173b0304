#include <sstream>

#include <gtest/gtest.h>

#include "golden.hpp"
#include "onshi/report/console_reporter.hpp"
#include "sample_runs.hpp"

namespace onshi::report {
namespace {

TEST(ConsoleReporter, PrintsTheStepTableOfEachRunAsGolden) {
  std::ostringstream out;
  ConsoleReporter console(out);
  sample::replay(sample::pin_locked(), console);
  sample::replay(sample::visual_error(), console);
  console.finish();
  EXPECT_TRUE(golden::matches("console.golden.txt", out.str()));
}

TEST(ConsoleReporter, RowsKeepTheirColumns) {
  std::ostringstream out;
  ConsoleReporter console(out);
  sample::replay(sample::pin_locked(), console);
  const std::string text = out.str();
  EXPECT_NE(text.find("rig emulated, scenario pin-locked, patient P003, facility 1312345678\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  card_detect            passed          1.250  \n"), std::string::npos) << text;
  EXPECT_NE(text.find("  identity_check         failed         30.000  wrong PIN"), std::string::npos) << text;
  EXPECT_NE(text.find("  total                  failed         44.000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("expected: step identity_check fails -> as expected\n"), std::string::npos) << text;
}

TEST(ConsoleReporter, ARunWithoutAttributesIsNamed) {
  std::ostringstream out;
  ConsoleReporter console(out);
  run::RunResult r = sample::visual_error();
  r.attributes.clear();
  sample::replay(r, console);
  EXPECT_EQ(out.str().rfind("run visual-ok\n", 0), 0u) << out.str();
}

}  // namespace
}  // namespace onshi::report
