// One 医療機関コード check (onshi/ons/medical_institution_code.hpp), and the population loader
// using it: a facility whose code is not 10 digits is refused naming the file, line and key.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/ons/medical_institution_code.hpp"
#include "onshi/population/population.hpp"

namespace onshi {
namespace {

TEST(MedicalInstitutionCode, TenAsciiDigitsAndNothingElse) {
  EXPECT_FALSE(ons::medical_institution_code_problem("1312345678").has_value());
  EXPECT_TRUE(ons::is_medical_institution_code("0000000000"));
  for (const char* bad : {"", "131234567", "13123456789", "13123456x8", " 312345678", "1312345678\n",
                          "１３１２３４５６７８"}) {  // full-width digits are not digits here
    EXPECT_FALSE(ons::is_medical_institution_code(bad)) << "'" << bad << "'";
  }
  EXPECT_EQ(ons::medical_institution_code_problem("131234567").value_or(""),
            "a 医療機関コード is 10 digits, got '131234567'");
}

TEST(MedicalInstitutionCode, ProblemQuotesAtMostFortyBytesOfTheValue) {
  const std::string long_value(500, '9');
  const std::string problem = ons::medical_institution_code_problem(long_value).value_or("");
  EXPECT_NE(problem.find("'" + std::string(40, '9') + "'"), std::string::npos) << problem;
  EXPECT_LT(problem.size(), 100u);
}

TEST(MedicalInstitutionCode, PopulationFileWithABadFacilityCodeNamesFileLineAndKey) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("onshi-facility-code-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "[[facility]]\nname = \"a clinic\"\ncode = \"131234567\"\n";
  try {
    population::load_population(file);
    ADD_FAILURE() << "a 9-digit facility code was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config) << e.what();
    EXPECT_EQ(e.context(), file.string() + ":3: key 'code'") << e.what();
    EXPECT_EQ(e.message(), "a 医療機関コード is 10 digits, got '131234567'") << e.what();
  }
  std::filesystem::remove(file);
}

TEST(MedicalInstitutionCode, ShippedPopulationLoads) {
  const population::Population p = population::load_population();
  ASSERT_FALSE(p.facilities.empty());
  for (const auto& f : p.facilities) EXPECT_TRUE(ons::is_medical_institution_code(f.code)) << f.code;
}

}  // namespace
}  // namespace onshi
