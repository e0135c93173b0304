// Generated patients as first-class patients, through the real command lines: a population
// from `onshi-hil population generate`, cards for its first four from `onshi-hil pki
// --population`, then `onshi-hil run --patient <generated id>` (one reception with that card,
// the embedded mock answering for that patient) and a short `onshi-hil load --population`
// whose three readers each hold a distinct generated patient's card. Who was served is read
// from the mock ONS's journal (which identified the patient from the card's certificate) and
// from the delivered result file, never from what the harness asked for.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onshi/population/population.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::testing::read_file;

constexpr std::size_t kCarded = 4;  // cards for the first four of twenty

class GeneratedPatientsTest : public ::testing::Test {
 protected:
  // One population and one PKI with its cards for every test: the card keys are the slow part.
  static void SetUpTestSuite() {
    const auto shared = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(shared.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    dir_ = fs::temp_directory_path() / ("onshi-generated-patients-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(*shared, dir_ / "pki", fs::copy_options::recursive);  // cards never go into the shared PKI
    std::string output;
    ASSERT_EQ(cli({"population", "generate", "--seed", "7", "--count", "20", "--out", population_file().string()}, output),
              0)
        << output;
    ASSERT_EQ(cli({"pki", "--out", pki_dir().string(), "--reuse", "--population", population_file().string(),
                   "--card-certs", std::to_string(kCarded)},
                  output),
              0)
        << output;
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  static int cli(const std::vector<std::string>& args, std::string& output) {
    std::vector<std::string> argv = {ONSHI_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    const onshi::testing::ProcessResult r = onshi::testing::run_process(argv, {.timeout = 240s, .merge_stderr = true});
    output = r.out;
    return r.timed_out ? -1 : r.exit_code;
  }
  static fs::path pki_dir() { return dir_ / "pki"; }
  static fs::path population_file() { return dir_ / "population.toml"; }

  static fs::path dir_;
};
fs::path GeneratedPatientsTest::dir_;

TEST_F(GeneratedPatientsTest, RunWithAGeneratedPatientUsesThatPatientsCard) {
  const population::Population population = population::load_population(population_file());
  // The third: not the first, so no default could pass for it.
  const population::Patient& patient = population.patients[2];
  const fs::path record_file = dir_ / "run-record.json";
  std::string output;
  ASSERT_EQ(cli({"run", "--population", population_file().string(), "--patient", patient.id, "--pki", pki_dir().string(),
                 "--record", record_file.string(), "--output", (dir_ / "run-out").string()},
                output),
            0)
      << output;

  const nlohmann::json record = nlohmann::json::parse(read_file(record_file));
  EXPECT_EQ(record.at("patient"), patient.id);
  EXPECT_EQ(record.at("met_expectation"), true);
  // The mock knew the patient from the certificate the card presented.
  std::set<std::string> answered;
  for (const auto& entry : record.at("ons_journal")) {
    if (!entry.at("patient_id").get<std::string>().empty()) answered.insert(entry.at("patient_id"));
  }
  EXPECT_EQ(answered, std::set<std::string>{patient.id}) << record.at("ons_journal").dump(2);
  // And answered with that patient's record, which the receipt computer gets.
  const std::string result = read_file(record.at("result_file").get<std::string>());
  if (patient.insurance.on_record) {
    EXPECT_NE(result.find(patient.insurance.insured_identification_number), std::string::npos) << result;
  }
}

TEST_F(GeneratedPatientsTest, APatientWithoutACardOrAnUnknownIdIsRefusedByName) {
  const population::Population population = population::load_population(population_file());
  const std::string uncarded = population.patients[kCarded].id;
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"run", "--patient", uncarded},
        std::vector<std::string>{"emulate", "card", "--vpcd", "127.0.0.1:1", "--patient", uncarded}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--population", population_file().string(), "--pki", pki_dir().string()});
    std::string output;
    EXPECT_EQ(cli(args, output), 2) << output;
    EXPECT_NE(output.find("'" + uncarded + "'"), std::string::npos) << output;
    EXPECT_NE(output.find(population_file().string()), std::string::npos) << output;
    EXPECT_NE(output.find("no card"), std::string::npos) << output;
  }
  std::string output;
  EXPECT_EQ(cli({"run", "--patient", "G999999", "--population", population_file().string(), "--pki", pki_dir().string()},
                output),
            2)
      << output;
  EXPECT_NE(output.find("no patient 'G999999'"), std::string::npos) << output;
  EXPECT_NE(output.find(population_file().string()), std::string::npos) << output;
  // Without --population a generated id is unknown, and the message says what is missing.
  EXPECT_EQ(cli({"run", "--patient", population.patients[0].id, "--pki", pki_dir().string()}, output), 2) << output;
  EXPECT_NE(output.find("--population"), std::string::npos) << output;
}

TEST_F(GeneratedPatientsTest, LoadGivesEachReaderADistinctGeneratedPatientsCard) {
  const population::Population population = population::load_population(population_file());
  const fs::path out = dir_ / "load-out";
  std::string output;
  ASSERT_EQ(cli({"load", "--rate", "20", "--duration", "2", "--readers", "3", "--population", population_file().string(),
                 "--pki", pki_dir().string(), "--out", out.string()},
                output),
            0)
      << output;
  const nlohmann::json summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary.at("receptions").at("count"), 40);
  EXPECT_EQ(summary.at("receptions").at("errors"), 0);
  // Whom the readers' mocks answered, from their journals: three distinct generated patients,
  // the first three with a card, 40 receptions between them.
  const nlohmann::json& patients = summary.at("patients");
  std::set<std::string> expected;
  for (std::size_t k = 0; k < 3; ++k) expected.insert(population.patients[k].id);
  std::set<std::string> seen;
  std::int64_t receptions = 0;
  for (const auto& [id, count] : patients.items()) {
    seen.insert(id);
    receptions += count.get<std::int64_t>();
    EXPECT_GT(count.get<std::int64_t>(), 0) << id;
  }
  EXPECT_EQ(seen, expected) << patients.dump();
  EXPECT_EQ(receptions, 40) << patients.dump();

  // More readers than patients with a card: refused before any arrival, naming the file.
  EXPECT_EQ(cli({"load", "--rate", "5", "--duration", "1", "--readers", std::to_string(kCarded + 1), "--population",
                 population_file().string(), "--pki", pki_dir().string(), "--out", (dir_ / "too-many").string()},
                output),
            2)
      << output;
  EXPECT_NE(output.find("only " + std::to_string(kCarded) + " of " + population_file().string()), std::string::npos)
      << output;
}

}  // namespace
}  // namespace onshi
