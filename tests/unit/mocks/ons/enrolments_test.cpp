// Enrolments from a test-PKI manifest: the recipe's "patients" and a generated population's
// "cards" alike, narrowed to the patients of the population the mock serves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/enrolments.hpp"

namespace onshi::mocks::ons {
namespace {

namespace fs = std::filesystem;

class EnrolmentsManifest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("onshi-enrolments-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& json) {
    std::ofstream(dir_ / "manifest.json") << json;
    return dir_ / "manifest.json";
  }
  fs::path dir_;
};

TEST_F(EnrolmentsManifest, ReadsPatientsAndCards) {
  const Enrolments e = load_enrolments(
      write(R"({"patients":[{"id":"P001","serial":"0A"}],"cards":[{"id":"G000001","serial":"0b"}]})"));
  EXPECT_EQ(e.size(), 2u);
  EXPECT_EQ(e.patient_for("A"), "P001");
  EXPECT_EQ(e.patient_for("0B"), "G000001");
}

TEST_F(EnrolmentsManifest, CardsAreOptionalButMustBeAnArray) {
  EXPECT_EQ(load_enrolments(write(R"({"patients":[{"id":"P001","serial":"0A"}]})")).size(), 1u);
  const fs::path bad = write(R"({"patients":[],"cards":{"id":"G000001"}})");
  try {
    load_enrolments(bad);
    ADD_FAILURE() << "accepted a cards object";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context(), bad.string());
  }
  try {
    load_enrolments(write(R"({"patients":[],"cards":[{"serial":"0B"}]})"));
    ADD_FAILURE() << "accepted a card without an id";
  } catch (const Error& e) {
    EXPECT_NE(e.context().find("cards[0]"), std::string::npos) << e.what();
  }
}

TEST(Enrolments, OnlyPatientsInTheServedPopulation) {
  Enrolments e;
  e.enrol("0A", "P001");
  e.enrol("0B", "G000001");
  population::Population generated;
  generated.patients.push_back({});
  generated.patients.back().id = "G000001";
  const Enrolments served = e.only_patients_in(generated);
  EXPECT_EQ(served.size(), 1u);
  EXPECT_EQ(served.patient_for("B"), "G000001");
  EXPECT_FALSE(served.patient_for("A").has_value());
}

}  // namespace
}  // namespace onshi::mocks::ons
