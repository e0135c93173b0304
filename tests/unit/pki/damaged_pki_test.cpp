// A damaged test PKI is refused, never silently replaced (a vendor's terminal may trust its
// CA): ensure_test_pki names the file and OpenSSL's reason and leaves every file as it was;
// regenerate_test_pki (`pki --force`) makes a new one and keeps the old directory aside.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

namespace fs = std::filesystem;

// Every regular file under `dir` with its bytes and modification time.
using Snapshot = std::map<std::string, std::pair<std::string, fs::file_time_type>>;

Snapshot snapshot(const fs::path& dir) {
  Snapshot out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out[fs::relative(entry.path(), dir).string()] = {bytes.str(), entry.last_write_time()};
  }
  return out;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

void truncate_to_half(const fs::path& file) {
  const auto size = fs::file_size(file);
  fs::resize_file(file, size / 2);
}

class damagedPki : public ::testing::Test {
 protected:
  void SetUp() override {
    // One facility, one patient, 1024-bit keys: this is about the directory, not the keys.
    population_.facilities.push_back({"1312345678", "one"});
    population_.patients.push_back({});
    population_.patients.back().id = "P001";
    recipe_ = testing::shared_recipe();
    recipe_.key_bits = 1024;
    target_ = dir_.path() / "pki";
    first_ = ensure_test_pki(target_, recipe_, population_);
    paths_ = PkiPaths(target_);
  }

  // ensure_test_pki must refuse with Error(config) whose context is `file` and whose message
  // holds `reason`, and must leave every file of the PKI as it was.
  void expect_refused_naming(const fs::path& file, const std::string& reason) {
    const Snapshot before = snapshot(target_);
    try {
      ensure_test_pki(target_, recipe_, population_);
      ADD_FAILURE() << "a damaged PKI was accepted or replaced (" << file << ")";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config) << e.what();
      EXPECT_EQ(e.context(), file.string()) << e.what();
      EXPECT_NE(e.message().find(reason), std::string::npos) << e.what();
      EXPECT_NE(e.message().find("--force"), std::string::npos) << e.what();
    }
    EXPECT_EQ(snapshot(target_), before) << "the refused PKI was modified";
    EXPECT_EQ(names_in(dir_.path()), (std::vector<std::string>{".pki.lock", "pki"}));
  }

  population::Population population_;
  Recipe recipe_;
  testing::TempDir dir_;
  fs::path target_;
  TestPki first_;
  PkiPaths paths_{""};
};

TEST_F(damagedPki, TruncatedCertificateIsRefusedWithOpenSslsReason) {
  truncate_to_half(paths_.terminal_ca_cert());
  // PEM_read_bio_X509 on half a PEM block: OpenSSL's reason names the PEM routines.
  expect_refused_naming(paths_.terminal_ca_cert(), "PEM routines");
}

TEST_F(damagedPki, TruncatedKeyIsRefused) {
  truncate_to_half(paths_.ons_server_key());
  expect_refused_naming(paths_.ons_server_key(), "no private key in PEM");
}

TEST_F(damagedPki, SwappedKeysAreRefusedWithOpenSslsReason) {
  // The two CA keys exchanged: each parses, neither is its certificate's.
  const fs::path spare = dir_.path() / "spare.pem";
  fs::rename(paths_.ons_ca_key(), spare);
  fs::rename(paths_.terminal_ca_key(), paths_.ons_ca_key());
  fs::rename(spare, paths_.terminal_ca_key());
  expect_refused_naming(paths_.ons_ca_key(), "key values mismatch");
}

TEST_F(damagedPki, KeyOfAnotherCertificateIsRefused) {
  fs::copy_file(paths_.jpki_ca_key(), paths_.patient_auth_key("P001"), fs::copy_options::overwrite_existing);
  expect_refused_naming(paths_.patient_auth_key("P001"), "key values mismatch");
}

TEST_F(damagedPki, HalfAPkiWithoutItsManifestIsRefused) {
  fs::remove(paths_.manifest());
  expect_refused_naming(paths_.manifest(), "manifest missing");
}

TEST_F(damagedPki, AValidPkiIsLoadedAsItIs) {
  const Snapshot before = snapshot(target_);
  const TestPki again = ensure_test_pki(target_, recipe_, population_);
  EXPECT_EQ(again.ons_ca.certificate.sha256_fingerprint(), first_.ons_ca.certificate.sha256_fingerprint());
  EXPECT_EQ(snapshot(target_), before);
}

TEST_F(damagedPki, RegenerateKeepsTheDamagedOneAside) {
  truncate_to_half(paths_.terminal_ca_cert());
  const Snapshot damaged = snapshot(target_);

  const RegeneratedPki regenerated = regenerate_test_pki(target_, recipe_, population_);
  ASSERT_TRUE(regenerated.kept_aside.has_value());
  EXPECT_EQ(regenerated.kept_aside->parent_path(), dir_.path());
  EXPECT_TRUE(regenerated.kept_aside->filename().string().starts_with("pki.old-")) << *regenerated.kept_aside;
  EXPECT_EQ(snapshot(*regenerated.kept_aside), damaged) << "the old PKI must be kept byte for byte";

  const TestPki loaded = load_test_pki(target_);
  EXPECT_EQ(loaded.ons_ca.certificate.sha256_fingerprint(), regenerated.pki.ons_ca.certificate.sha256_fingerprint());
  EXPECT_NE(loaded.ons_ca.certificate.sha256_fingerprint(), first_.ons_ca.certificate.sha256_fingerprint());
  // And the new one is accepted as it is.
  EXPECT_EQ(ensure_test_pki(target_, recipe_, population_).ons_ca.certificate.sha256_fingerprint(),
            regenerated.pki.ons_ca.certificate.sha256_fingerprint());

  // A second --force in the same second does not overwrite the first one kept aside.
  const RegeneratedPki again = regenerate_test_pki(target_, recipe_, population_);
  ASSERT_TRUE(again.kept_aside.has_value());
  EXPECT_NE(*again.kept_aside, *regenerated.kept_aside);
  EXPECT_EQ(snapshot(*regenerated.kept_aside), damaged);
}

TEST(pkiMissing, AMissingOrEmptyDirectoryIsMadeAndNothingIsKeptAside) {
  population::Population population;
  population.facilities.push_back({"1312345678", "one"});
  Recipe recipe = testing::shared_recipe();
  recipe.key_bits = 1024;
  testing::TempDir dir;

  ensure_test_pki(dir.path() / "missing", recipe, population);
  EXPECT_NO_THROW(load_test_pki(dir.path() / "missing"));

  fs::create_directory(dir.path() / "empty");
  ensure_test_pki(dir.path() / "empty", recipe, population);
  EXPECT_NO_THROW(load_test_pki(dir.path() / "empty"));

  const RegeneratedPki forced = regenerate_test_pki(dir.path() / "forced", recipe, population);
  EXPECT_FALSE(forced.kept_aside.has_value());
  EXPECT_NO_THROW(load_test_pki(dir.path() / "forced"));
  EXPECT_EQ(names_in(dir.path()),
            (std::vector<std::string>{".empty.lock", ".forced.lock", ".missing.lock", "empty", "forced", "missing"}));
}

TEST(pkiStaging, AKilledWritersStagingDirectoryIsNeverAcceptedAndIsCleanedUp) {
  population::Population population;
  population.facilities.push_back({"1312345678", "one"});
  Recipe recipe = testing::shared_recipe();
  recipe.key_bits = 1024;
  testing::TempDir dir;
  // What a writer SIGKILLed mid-write leaves: a half PKI in its staging directory, no `pki`.
  const fs::path abandoned = dir.path() / ".pki.new-999999";
  fs::create_directories(abandoned / "ons-ca");
  std::ofstream(abandoned / "ons-ca" / "cert.pem") << "-----BEGIN CERTIFICATE-----\nMIIB";

  const TestPki made = ensure_test_pki(dir.path() / "pki", recipe, population);
  EXPECT_EQ(load_test_pki(dir.path() / "pki").ons_ca.certificate.sha256_fingerprint(),
            made.ons_ca.certificate.sha256_fingerprint());
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{".pki.lock", "pki"}));
}

}  // namespace
}  // namespace onshi::pki
