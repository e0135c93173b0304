#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <unistd.h>

#include "golden.hpp"
#include "onshi/report/junit_reporter.hpp"
#include "onshi/testing/process.hpp"
#include "sample_runs.hpp"

namespace onshi::report {
namespace {

class JUnitReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("onshi-junit-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".xml");
  }
  void TearDown() override { std::filesystem::remove(file_); }

  std::string write(const std::vector<run::RunResult>& runs) {
    JUnitReporter junit(file_);
    for (const auto& r : runs) sample::replay(r, junit);
    junit.finish();
    std::ifstream in(file_, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path file_;
};

TEST_F(JUnitReporterTest, OneTestsuitePerRunOneTestcasePerPhaseAsGolden) {
  EXPECT_TRUE(golden::matches("junit.golden.xml", write({sample::pin_locked(), sample::visual_error()})));
}

// A real third-party consumer: libxml2's schema validator against the Ant/Jenkins junit shape.
TEST_F(JUnitReporterTest, ValidatesAgainstTheJUnitSchemaWithXmllint) {
  write({sample::pin_locked(), sample::visual_error()});
  const auto r = testing::run_process({"xmllint", "--noout", "--schema", golden::path("junit.xsd").string(), file_.string()},
                                      {.timeout = std::chrono::seconds(30), .merge_stderr = true});
  EXPECT_TRUE(r.succeeded()) << r.describe() << "\n" << r.out;
  EXPECT_NE(r.out.find("validates"), std::string::npos) << r.out;
}

TEST_F(JUnitReporterTest, TheSchemaRejectsWhatAConsumerWouldNot) {
  // The validator itself is checked: a suite without its counts does not validate.
  std::ofstream(file_) << "<testsuites><testsuite name=\"x\"><testcase name=\"a\" classname=\"x\" time=\"0\"/>"
                          "</testsuite></testsuites>\n";
  const auto r = testing::run_process({"xmllint", "--noout", "--schema", golden::path("junit.xsd").string(), file_.string()},
                                      {.timeout = std::chrono::seconds(30), .merge_stderr = true});
  EXPECT_FALSE(r.succeeded()) << r.out;
  EXPECT_NE(r.out.find("tests"), std::string::npos) << r.out;
}

TEST_F(JUnitReporterTest, CountsAttributesAddUp) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(write({sample::pin_locked(), sample::visual_error()}).c_str()));
  const pugi::xml_node suites = doc.child("testsuites");
  // Each run adds its "expectation" testcase; pin-locked's expected failure counts as skipped,
  // visual-ok's unexpected error fails its expectation.
  EXPECT_EQ(suites.attribute("tests").as_int(), 11);
  EXPECT_EQ(suites.attribute("failures").as_int(), 1);
  EXPECT_EQ(suites.attribute("errors").as_int(), 1);
  EXPECT_EQ(suites.attribute("skipped").as_int(), 5);
  EXPECT_STREQ(suites.attribute("time").value(), "0.053");  // 44 ms + 9 ms

  const pugi::xml_node locked = suites.find_child_by_attribute("testsuite", "name", "pin-locked");
  EXPECT_EQ(locked.attribute("tests").as_int(), 7);
  EXPECT_EQ(locked.attribute("failures").as_int(), 0);
  EXPECT_EQ(locked.attribute("errors").as_int(), 0);
  EXPECT_EQ(locked.attribute("skipped").as_int(), 4);
  EXPECT_STREQ(locked.attribute("time").value(), "0.044");
  EXPECT_STREQ(locked.attribute("timestamp").value(), "2026-12-01T10:00:00");

  const pugi::xml_node identity = locked.find_child_by_attribute("testcase", "name", "identity_check");
  EXPECT_STREQ(identity.attribute("time").value(), "0.030");
  EXPECT_STREQ(identity.attribute("classname").value(), "pin-locked");
  // The failure the scenario expects, as pytest reports an xfail.
  EXPECT_FALSE(identity.child("failure"));
  EXPECT_STREQ(identity.child("skipped").attribute("type").value(), "expected-failure");
  EXPECT_NE(std::string(identity.child("skipped").attribute("message").value()).find("expected failure: "),
            std::string::npos);
  EXPECT_NE(std::string(identity.child("skipped").attribute("message").value()).find("now blocked"), std::string::npos);
  const pugi::xml_node locked_expectation = locked.find_child_by_attribute("testcase", "name", "expectation");
  EXPECT_FALSE(locked_expectation.child("failure"));
  EXPECT_NE(std::string(locked_expectation.child_value("system-out")).find("phase identity_check fails with 'blocked'"),
            std::string::npos);
  EXPECT_STREQ(identity.child("properties").find_child_by_attribute("property", "name", "pin_attempts")
                   .attribute("value").value(),
               "3");
  EXPECT_NE(std::string(identity.child_value("system-out")).find("method: pin\n"), std::string::npos);
  const pugi::xml_node consent = locked.find_child_by_attribute("testcase", "name", "consent");
  EXPECT_STREQ(consent.child("skipped").attribute("message").value(), "an earlier step failed");

  const pugi::xml_node visual = suites.find_child_by_attribute("testsuite", "name", "visual-ok");
  const pugi::xml_node visual_expectation = visual.find_child_by_attribute("testcase", "name", "expectation");
  EXPECT_NE(std::string(visual_expectation.child("failure").attribute("message").value())
                .find("the run did not end as expected: every phase passes"),
            std::string::npos);
  const pugi::xml_node lookup = visual.find_child_by_attribute("testcase", "name", "qualification_lookup");
  EXPECT_STREQ(lookup.child("error").attribute("message").value(), "unexpected error: bad_alloc");
  EXPECT_STREQ(lookup.child("properties").find_child_by_attribute("property", "name", "results").attribute("value").value(),
               "1 (pass; limits 1..4)");
  EXPECT_STREQ(visual.child("properties").find_child_by_attribute("property", "name", "met_expectation")
                   .attribute("value").value(),
               "false");
}

TEST_F(JUnitReporterTest, NoRunsIsAnEmptyValidDocument) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(write({}).c_str()));
  EXPECT_EQ(doc.child("testsuites").attribute("tests").as_int(), 0);
  EXPECT_FALSE(doc.child("testsuites").child("testsuite"));
}

}  // namespace
}  // namespace onshi::report
