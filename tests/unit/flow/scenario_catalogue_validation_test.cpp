// A scenario catalogue is checked when it is loaded: a value the flow would never produce (a
// QualificationValidity that is no code, a step that does not exist, a patient the population
// does not hold) is an error naming the file, the line and the key, never a scenario that
// silently expects the impossible.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/population/population.hpp"

namespace onshi::flow {
namespace {

class ScenarioCatalogueValidation : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }

  // A one-scenario catalogue whose line 4 is `line4` (lines 1-3: table, name, patient).
  std::filesystem::path write(const std::string& patient, const std::string& line4) {
    static std::atomic<unsigned> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("onshi-catalogue-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".toml");
    std::ofstream(path_) << "[[scenario]]\nname = 'a'\npatient = '" << patient << "'\n" << line4 << "\n";
    return path_;
  }

  // Loads, expecting Error(config) whose context is "<file>:<line>: key '<key>'" and whose
  // message contains `says`.
  void expect_rejected(const std::string& patient, const std::string& line4, int line, const std::string& key,
                       const std::string& says, const population::Population& population) {
    const auto file = write(patient, line4);
    try {
      load_scenarios(file, population);
      ADD_FAILURE() << "accepted: " << line4;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config) << e.what();
      EXPECT_EQ(e.context(), file.string() + ":" + std::to_string(line) + ": key '" + key + "'") << e.what();
      EXPECT_NE(e.message().find(says), std::string::npos) << e.what();
    }
  }

  population::Population shipped = population::load_population();

 private:
  std::filesystem::path path_;
};

TEST_F(ScenarioCatalogueValidation, ValidityThatIsNoQualificationValidityCode) {
  expect_rejected("P001", "expect = { validity = '7' }", 4, "validity", "'7' is not a QualificationValidity code",
                  shipped);
  expect_rejected("P001", "expect = { validity = '' }", 4, "validity", "not a QualificationValidity code", shipped);
}

TEST_F(ScenarioCatalogueValidation, EveryQualificationValidityCodeIsAccepted) {
  for (const char* code : {"1", "2", "3", "4", "5"}) {
    const auto s = load_scenarios(write("P001", std::string("expect = { validity = '") + code + "' }"), shipped);
    EXPECT_EQ(s.at(0).expect_validity, code);
  }
}

TEST_F(ScenarioCatalogueValidation, PatientNotInThePopulation) {
  expect_rejected("P999", "", 3, "patient", "no patient 'P999' in the population", shipped);
}

TEST_F(ScenarioCatalogueValidation, PatientIsLookedUpInTheGivenPopulation) {
  population::Population only_p002;
  only_p002.patients.push_back(shipped.patient("P002"));
  expect_rejected("P001", "", 3, "patient", "no patient 'P001'", only_p002);
  EXPECT_EQ(load_scenarios(write("P002", ""), only_p002).at(0).patient, "P002");
}

TEST_F(ScenarioCatalogueValidation, UnknownExpectedStep) {
  expect_rejected("P001", "expect = { failed_step = 'identity' }", 4, "failed_step", "unknown step 'identity'",
                  shipped);
}

TEST_F(ScenarioCatalogueValidation, ReasonWithoutAFailedStep) {
  expect_rejected("P001", "expect = { reason_contains = 'blocked' }", 4, "reason_contains", "needs failed_step",
                  shipped);
}

TEST_F(ScenarioCatalogueValidation, UnknownExpectedIdentityMethod) {
  expect_rejected("P001", "expect = { identity_method = 'iris' }", 4, "identity_method",
                  "unknown identity method 'iris'", shipped);
}

TEST_F(ScenarioCatalogueValidation, UnknownIdentityPathAndOperatorDecision) {
  expect_rejected("P001", "identity = { path = 'iris' }", 4, "path", "not 'iris'", shipped);
  expect_rejected("P001", "identity = { path = 'visual', operator_decision = 'maybe' }", 4, "operator_decision",
                  "confirmed or rejected", shipped);
}

TEST_F(ScenarioCatalogueValidation, ShippedCatalogueLoadsAgainstTheShippedPopulation) {
  const auto catalogue = load_scenarios(default_scenario_catalogue(), shipped);
  EXPECT_EQ(find_scenario(catalogue, "pin-locked").expect_failed_step, "identity_check");
  EXPECT_EQ(find_scenario(catalogue, "new-qualification-exists").expect_validity, "3");
}

}  // namespace
}  // namespace onshi::flow
