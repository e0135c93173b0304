// A damaged test PKI through the command lines that used to replace it silently: `run --pki`,
// `mock ons --pki`, `pki --out` (with or without --reuse) refuse it with exit 2, naming the
// file and OpenSSL's reason, and leave every file as it was; `pki --out DIR --force` makes a
// new one, keeps the old as DIR.old-<time> and says so; the next run accepts the new one.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "onshi/testing/files.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using onshi::testing::read_file;

// Every file under `dir` with its bytes and modification time.
std::map<std::string, std::pair<std::string, fs::file_time_type>> snapshot(const fs::path& dir) {
  std::map<std::string, std::pair<std::string, fs::file_time_type>> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out[fs::relative(entry.path(), dir).string()] = {read_file(entry.path()), entry.last_write_time()};
  }
  return out;
}

class DamagedPkiCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto shared = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(shared.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    dir_ = fs::temp_directory_path() / ("onshi-damaged-pki-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(*shared, pki_dir(), fs::copy_options::recursive);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path pki_dir() const { return dir_ / "pki"; }

  onshi::testing::ProcessResult cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {ONSHI_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    return onshi::testing::run_process(argv, {.timeout = 180s, .merge_stderr = true});
  }

  // Each command that may make a PKI refuses this one: exit 2, the file and `reason` named,
  // every file as it was.
  void expect_every_command_refuses(const fs::path& file, const std::string& reason) {
    const auto before = snapshot(pki_dir());
    const std::vector<std::vector<std::string>> commands = {
        {"run", "--pki", pki_dir().string(), "--output", (dir_ / "out").string()},
        {"mock", "ons", "--pki", pki_dir().string(), "--port", "0"},
        {"pki", "--out", pki_dir().string()},
        {"pki", "--out", pki_dir().string(), "--reuse"},
    };
    for (const auto& args : commands) {
      const auto r = cli(args);
      EXPECT_EQ(r.exit_code, 2) << r.describe() << "\n" << r.out;
      EXPECT_NE(r.out.find(file.string()), std::string::npos) << r.command << " does not name " << file << ":\n" << r.out;
      EXPECT_NE(r.out.find(reason), std::string::npos) << r.command << " does not give the reason:\n" << r.out;
      EXPECT_NE(r.out.find("--force"), std::string::npos) << r.out;
      EXPECT_EQ(snapshot(pki_dir()), before) << r.command << " changed the damaged PKI";
    }
  }

  fs::path dir_;
};

TEST_F(DamagedPkiCli, ATruncatedCertificateIsRefusedEverywhere) {
  const fs::path cert = pki::PkiPaths(pki_dir()).terminal_ca_cert();
  fs::resize_file(cert, fs::file_size(cert) / 2);
  expect_every_command_refuses(cert, "PEM routines");
}

TEST_F(DamagedPkiCli, ASwappedKeyIsRefusedEverywhere) {
  const pki::PkiPaths paths(pki_dir());
  const fs::path spare = dir_ / "spare.pem";
  fs::rename(paths.ons_server_key(), spare);
  fs::rename(paths.jpki_ca_key(), paths.ons_server_key());
  fs::rename(spare, paths.jpki_ca_key());
  expect_every_command_refuses(paths.ons_server_key(), "key values mismatch");
}

TEST_F(DamagedPkiCli, ForceMakesANewOneAndKeepsTheOldAside) {
  const fs::path cert = pki::PkiPaths(pki_dir()).terminal_ca_cert();
  fs::resize_file(cert, fs::file_size(cert) / 2);
  const auto damaged = snapshot(pki_dir());

  const auto forced = cli({"pki", "--out", pki_dir().string(), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.describe() << "\n" << forced.out;
  fs::path aside;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().filename().string().starts_with("pki.old-")) aside = entry.path();
  }
  ASSERT_FALSE(aside.empty()) << "no pki.old-* beside the PKI:\n" << forced.out;
  EXPECT_NE(forced.out.find("kept in " + aside.string()), std::string::npos) << forced.out;
  EXPECT_EQ(snapshot(aside), damaged) << "the old PKI must be kept as it was";
  EXPECT_NO_THROW(pki::load_test_pki(pki_dir()));

  const auto next = cli({"run", "--pki", pki_dir().string(), "--output", (dir_ / "out").string()});
  EXPECT_EQ(next.exit_code, 0) << next.describe() << "\n" << next.out;
}

TEST_F(DamagedPkiCli, ForceAndReuseTogetherAreABadCommandLine) {
  const auto r = cli({"pki", "--out", pki_dir().string(), "--force", "--reuse"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("excludes"), std::string::npos) << r.out;
}

TEST_F(DamagedPkiCli, AMissingPkiIsStillMade) {
  const fs::path fresh = dir_ / "fresh";
  const auto r = cli({"pki", "--out", fresh.string()});
  ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << r.out;
  EXPECT_NO_THROW(pki::load_test_pki(fresh));
  EXPECT_EQ(r.out.find("kept in"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace onshi
