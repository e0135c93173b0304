// The one patient resolver of `run --patient`, `emulate --patient` and load's readers: shipped
// and generated patients, the card check, and the errors naming the id and the population file.
#include "onshi/population/patient_resolver.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/population/population_generator.hpp"

namespace onshi::population {
namespace {

namespace fs = std::filesystem;

class PatientResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("onshi-patient-resolver-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path write_generated(const GeneratedPopulation& generated, const std::string& name = "pop.toml") {
    const fs::path file = dir_ / name;
    std::ofstream(file) << population_to_toml(generated);
    return file;
  }
  static GeneratedPopulation generate(std::size_t count) {
    PopulationGeneratorOptions options;
    options.seed = 5;
    options.count = count;
    return generate_population(options);
  }
  static Error error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no onshi::Error thrown";
    return Error(ErrorCode::state, "none");
  }

  fs::path dir_;
};

const HasCard every_card = [](const std::string&) { return true; };

TEST_F(PatientResolverTest, ShippedPatientsResolveWithoutAGeneratedPopulation) {
  const PatientResolver resolver;
  EXPECT_EQ(resolver.resolve("P001", every_card).id, "P001");
  EXPECT_FALSE(resolver.generated_source().has_value());
  const Error e = error_of([&] { resolver.resolve("G000001", every_card); });
  EXPECT_EQ(e.code(), ErrorCode::not_found);
  EXPECT_NE(e.message().find("'G000001'"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("--population FILE"), std::string::npos) << e.message();
}

TEST_F(PatientResolverTest, GeneratedPatientsJoinTheShippedOnes) {
  const GeneratedPopulation generated = generate(12);
  const fs::path file = write_generated(generated);
  const PatientResolver resolver(file);
  const std::size_t shipped = load_population().patients.size();
  EXPECT_EQ(resolver.population().patients.size(), shipped + 12);
  const Patient& third = resolver.resolve(generated.population.patients[2].id, every_card);
  EXPECT_EQ(third.my_number, generated.population.patients[2].my_number);
  EXPECT_EQ(resolver.resolve("P002", every_card).id, "P002");  // the scenarios' patients stay
  // The generated file repeats the shipped facilities: each code once.
  std::set<std::string> codes;
  for (const Facility& f : resolver.population().facilities) EXPECT_TRUE(codes.insert(f.code).second) << f.code;

  const Error unknown = error_of([&] { resolver.resolve("G999999", every_card); });
  EXPECT_EQ(unknown.code(), ErrorCode::not_found);
  EXPECT_NE(unknown.message().find(file.string()), std::string::npos) << unknown.message();
}

TEST_F(PatientResolverTest, APatientWithoutACardIsRefusedNamingIdAndFile) {
  const GeneratedPopulation generated = generate(12);
  const fs::path file = write_generated(generated);
  const PatientResolver resolver(file);
  const std::string id = generated.population.patients[5].id;
  const Error e = error_of([&] { resolver.resolve(id, [&](const std::string& p) { return p != id; }); });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(e.message().find("'" + id + "'"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find(file.string()), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("--card-certs"), std::string::npos) << e.message();
  EXPECT_EQ(e.context(), file.string());
}

TEST_F(PatientResolverTest, EachReaderGetsADistinctCardedGeneratedPatientInFileOrder) {
  const GeneratedPopulation generated = generate(12);
  const PatientResolver resolver(write_generated(generated));
  const auto& g = generated.population.patients;
  const std::string skipped = g[1].id;  // no card: passed over
  const HasCard has_card = [&](const std::string& id) { return id != skipped; };
  const std::vector<const Patient*> readers = resolver.generated_with_cards(3, has_card);
  ASSERT_EQ(readers.size(), 3u);
  EXPECT_EQ(readers[0]->id, g[0].id);
  EXPECT_EQ(readers[1]->id, g[2].id);
  EXPECT_EQ(readers[2]->id, g[3].id);

  const Error too_few = error_of([&] { resolver.generated_with_cards(12, has_card); });
  EXPECT_EQ(too_few.code(), ErrorCode::config);
  EXPECT_NE(too_few.message().find("only 11 of"), std::string::npos) << too_few.message();
  const Error none = error_of([] { PatientResolver().generated_with_cards(1, every_card); });
  EXPECT_NE(none.message().find("--population"), std::string::npos) << none.message();
}

TEST_F(PatientResolverTest, AnIdInBothPopulationsIsRefused) {
  GeneratedPopulation generated = generate(12);
  generated.population.patients[4].id = "P001";
  const fs::path file = write_generated(generated, "clash.toml");
  const Error e = error_of([&] { PatientResolver{file}; });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(e.message().find("'P001'"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("--id-prefix"), std::string::npos) << e.message();
}

TEST_F(PatientResolverTest, AMissingPopulationFileIsNamed) {
  const fs::path missing = dir_ / "nowhere.toml";
  const Error e = error_of([&] { PatientResolver{missing}; });
  EXPECT_EQ(e.code(), ErrorCode::not_found);
  EXPECT_EQ(e.context(), missing.string());
}

TEST_F(PatientResolverTest, ExpectedValidityIsTheRecordsOrNoQualification) {
  const GeneratedPopulation generated = generate(20);
  bool saw_not_found = false;
  for (std::size_t k = 0; k < generated.states.size(); ++k) {
    const Patient& p = generated.population.patients[k];
    if (generated.states[k] == PatientState::not_found) {
      saw_not_found = true;
      EXPECT_EQ(expected_card_validity(p), "4") << p.id;
    } else {
      EXPECT_EQ(expected_card_validity(p), p.insurance.validity) << p.id;
    }
  }
  EXPECT_TRUE(saw_not_found);
}

}  // namespace
}  // namespace onshi::population
