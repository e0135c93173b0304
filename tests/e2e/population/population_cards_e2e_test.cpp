// A generated patient on the card path, end to end through the real command lines: the
// population and its cards are made by `onshi-hil`, the mock is `onshi-hil mock ons` in its
// own process, and the inquiry carries the patient's certificate and a challenge signed with
// the patient's key, as the card would sign it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/population/population.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"

extern char** environ;

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kFacility = "1312345678";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A child with stdout and stderr in files; killed (SIGKILL) if still running when destroyed.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
    std::vector<std::string> args = argv;
    std::vector<char*> c_args;
    for (auto& a : args) c_args.push_back(a.data());
    c_args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, c_args[0], &actions, nullptr, c_args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) pid_ = -1;
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  // The exit code, or -1 when it did not exit normally within `limit` (then it is killed).
  int wait(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;  // the destructor kills it
      std::this_thread::sleep_for(20ms);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void signal(int number) const { ::kill(pid_, number); }

 private:
  pid_t pid_ = -1;
};

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
    const fs::path out = dir_ / ("cli-" + std::to_string(++runs_) + ".out");
    Child child(argv, out, out.string() + ".err");
    if (!child.started()) return -1;
    const int code = child.wait(240s);
    output = slurp(out) + slurp(out.string() + ".err");
    return code;
  }

  fs::path dir_;
  int runs_ = 0;
};

ons::CardQualificationInquiry card_inquiry(const pki::Credential& card, const std::string& patient_id) {
  ons::CardQualificationInquiry q;
  q.header.qualification_confirmation_date = format_jst_date(SystemClock::instance().wall_now());
  q.header.medical_institution_code = kFacility;
  q.header.arbitrary_file_identifier = "E2E-" + patient_id;
  q.user_authentication_certificate = card.certificate.to_der();
  q.challenge = crypto::random_bytes(32);
  // What the card's 80 2A computes over the DigestInfo the terminal builds.
  q.challenge_signature = card.key.sign_pkcs1_raw(crypto::sha256_digest_info(q.challenge));
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
  Child mock({ONSHI_CLI, "mock", "ons", "--pki", pki_dir.string(), "--population", population_file.string(), "--port",
              "0"},
             dir_ / "mock.out", dir_ / "mock.err");
  ASSERT_TRUE(mock.started());
  std::uint16_t port = 0;
  const std::regex listening("listening on https://127\\.0\\.0\\.1:([0-9]+)");
  for (auto deadline = std::chrono::steady_clock::now() + 60s; port == 0 && std::chrono::steady_clock::now() < deadline;) {
    std::smatch m;
    const std::string out = slurp(dir_ / "mock.out");
    if (std::regex_search(out, m, listening)) {
      port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }
  ASSERT_NE(port, 0) << slurp(dir_ / "mock.err");
  EXPECT_NE(slurp(dir_ / "mock.err").find("20 patients, 12 with an enrolled card"), std::string::npos)
      << slurp(dir_ / "mock.err");

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

  mock.signal(SIGTERM);
  EXPECT_EQ(mock.wait(30s), 0) << slurp(dir_ / "mock.err");
}

}  // namespace
}  // namespace onshi
