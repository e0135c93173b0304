// A generated patient on the card path, end to end through the real command lines: the
// population and its cards are made by `onshi-hil`, the mock is `onshi-hil mock ons` in its
// own process, and the inquiry carries the patient's certificate and a challenge signed with
// the patient's key, as the card would sign it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/population/population.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kFacility = "1312345678";

class PopulationCardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto shared = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(shared.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    dir_ = fs::temp_directory_path() / ("onshi-population-cards-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // A copy: cards go into this PKI, never into the shared one other tests read.
    fs::copy(*shared, dir_ / "pki", fs::copy_options::recursive);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Runs `onshi-hil args...` to completion; returns its exit code, output in `output`.
  int cli(const std::vector<std::string>& args, std::string& output) {
    std::vector<std::string> argv = {ONSHI_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    const onshi::testing::ProcessResult r = onshi::testing::run_process(argv, {.timeout = 240s});
    output = r.out + r.err;
    return r.timed_out ? -1 : r.exit_code;
  }

  fs::path dir_;
};

ons::CardQualificationInquiry card_inquiry(const pki::Credential& card, const std::string& patient_id) {
  ons::CardQualificationInquiry q =
      onshi::testing::signed_card_inquiry(card, {.facility = kFacility, .file_identifier = "E2E-" + patient_id});
  q.consents.pharmacists_info = ons::ConsentFlag::consented;
  q.consents.limit_application_certificate = ons::ConsentFlag::not_consented;
  return q;
}

TEST_F(PopulationCardsTest, GeneratedPatientsAreAnsweredOnTheCardPath) {
  const fs::path pki_dir = dir_ / "pki";
  const fs::path population_file = dir_ / "population.toml";
  std::string output;
  ASSERT_EQ(cli({"population", "generate", "--seed", "7", "--count", "20", "--out", population_file.string()}, output), 0)
      << output;
  // Cards for the first 12 of 20 (every qualification state is among the first 10).
  ASSERT_EQ(cli({"pki", "--out", pki_dir.string(), "--reuse", "--population", population_file.string(),
                 "--card-certs", "12"},
                output),
            0)
      << output;
  EXPECT_NE(output.find("population cards   12 of"), std::string::npos) << output;

  const population::Population population = population::load_population(population_file);
  ASSERT_EQ(population.patients.size(), 20u);
  const pki::PkiPaths paths(pki_dir);
  const std::string& first = population.patients.front().id;
  const std::string& uncarded = population.patients[12].id;
  EXPECT_TRUE(fs::exists(paths.patient_sign_cert(first)));
  EXPECT_FALSE(fs::exists(paths.patient_auth_cert(uncarded)));
  struct stat key_stat{};
  ASSERT_EQ(::stat(paths.patient_auth_key(first).c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u);

  // Loaded back: the recipe's patients untouched, the cards chained to the same JPKI CA.
  const pki::TestPki pki = pki::load_test_pki(pki_dir);
  EXPECT_EQ(pki.population_cards.size(), 12u);
  EXPECT_TRUE(pki.patients.contains("P001"));
  EXPECT_TRUE(pki.patient(first).certificate.issued_by(pki.jpki_ca.certificate));

  // `mock ons` ensures its PKI first: a PKI with cards must be reused, not replaced.
  onshi::testing::ChildProcess mock(
      {ONSHI_CLI, "mock", "ons", "--pki", pki_dir.string(), "--population", population_file.string(), "--port", "0"},
      dir_ / "mock.out", {}, dir_ / "mock.err");
  std::vector<std::string> listening;
  ASSERT_TRUE(mock.wait_for_output(std::regex("listening on https://127\\.0\\.0\\.1:([0-9]+)"), 60s, &listening));
  const auto port = static_cast<std::uint16_t>(std::stoi(listening[1]));
  EXPECT_NE(mock.errors().find("20 patients, 12 with an enrolled card"), std::string::npos)
      << mock.errors();

  ons::OnsClientOptions options;
  options.http.tls.ca_file = paths.ons_ca_cert();
  options.http.tls.cert_file = paths.terminal_cert(kFacility);
  options.http.tls.key_file = paths.terminal_key(kFacility);
  options.http.timeout = 8000ms;
  options.endpoint.port = port;
  ons::OnsClient client(options);

  for (std::size_t i = 0; i < 12; ++i) {
    const population::Patient& patient = population.patients[i];
    SCOPED_TRACE(patient.id);
    const ons::QualificationResult result = client.inquire(card_inquiry(pki.patient(patient.id), patient.id));
    EXPECT_EQ(result.body.processing_result_status, ons::ProcessingResultStatus::normal_end);
    ASSERT_TRUE(result.body.qualification_validity.has_value());
    if (!patient.insurance.on_record) {
      // Enrolled, but ONS holds no qualification for this patient: 該当資格なし.
      EXPECT_EQ(*result.body.qualification_validity, ons::QualificationValidity::no_qualification);
      EXPECT_TRUE(result.body.results.empty());
      continue;
    }
    EXPECT_EQ(ons::to_code(*result.body.qualification_validity), patient.insurance.validity);
    ASSERT_EQ(result.body.results.size(), 1u);
    const ons::QualificationRecord& record = result.body.results.front();
    EXPECT_EQ(record.name, patient.name);
    EXPECT_EQ(record.birthdate, patient.birthdate);
    EXPECT_EQ(record.insurer_number, patient.insurance.insurer_number);
    EXPECT_EQ(record.insured_identification_number, patient.insurance.insured_identification_number);
  }

  // A recipe patient's valid card is enrolled with no one this population knows: 4, not a refusal.
  const ons::QualificationResult recipe_patient = client.inquire(card_inquiry(pki.patient("P001"), "P001"));
  ASSERT_TRUE(recipe_patient.body.qualification_validity.has_value());
  EXPECT_EQ(*recipe_patient.body.qualification_validity, ons::QualificationValidity::no_qualification);

  EXPECT_EQ(mock.stop(30s), 0) << mock.errors();  // SIGTERM: a clean stop
}

}  // namespace
}  // namespace onshi
