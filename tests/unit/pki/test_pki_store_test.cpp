#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/test_clock.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

namespace fs = std::filesystem;
using testing::shared_pki;
using testing::shared_population;
using testing::shared_recipe;

std::vector<std::string> fingerprints(const TestPki& pki) {
  std::vector<std::string> out;
  for (const auto* c : {&pki.ons_ca, &pki.ons_server, &pki.terminal_ca, &pki.foreign_ca, &pki.foreign_terminal, &pki.jpki_ca}) {
    out.push_back(c->certificate.sha256_fingerprint());
    out.push_back(c->key.to_pem());
  }
  for (const auto& [code, c] : pki.terminals) out.push_back(code + c.certificate.sha256_fingerprint() + c.key.to_pem());
  for (const auto& [id, c] : pki.patients) out.push_back(id + c.certificate.sha256_fingerprint() + c.key.to_pem());
  return out;
}

class pkiStore : public ::testing::Test {
 protected:
  void SetUp() override {
    write_test_pki(shared_pki(), dir_.path());
    paths_ = PkiPaths(dir_.path());
  }
  // load_test_pki must fail with an Error whose context names `file`.
  void expect_load_error_naming(const fs::path& file, ErrorCode code) {
    try {
      load_test_pki(dir_.path());
      ADD_FAILURE() << "loaded despite " << file;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(e.context().find(file.string()), std::string::npos) << "context: " << e.context() << " message: " << e.message();
    }
  }
  testing::TempDir dir_;
  PkiPaths paths_{""};
};

TEST_F(pkiStore, WriteThenLoadRoundTrips) {
  const TestPki loaded = load_test_pki(dir_.path());
  EXPECT_EQ(fingerprints(loaded), fingerprints(shared_pki()));
  EXPECT_EQ(loaded.foreign_terminal_code, shared_pki().foreign_terminal_code);
  EXPECT_EQ(std::chrono::time_point_cast<std::chrono::seconds>(loaded.generated),
            std::chrono::time_point_cast<std::chrono::seconds>(shared_pki().generated));
}

TEST_F(pkiStore, LayoutAndManifest) {
  for (const fs::path& f : {paths_.ons_ca_cert(), paths_.ons_server_cert(), paths_.ons_server_chain(), paths_.terminal_ca_cert(),
                            paths_.foreign_ca_cert(), paths_.foreign_terminal_cert(), paths_.jpki_ca_cert()}) {
    EXPECT_TRUE(fs::is_regular_file(f)) << f;
  }
  std::vector<fs::path> keys = {paths_.ons_ca_key(), paths_.ons_server_key(), paths_.terminal_ca_key(),
                                paths_.foreign_ca_key(), paths_.foreign_terminal_key(), paths_.jpki_ca_key()};
  for (const auto& f : shared_population().facilities) keys.push_back(paths_.terminal_key(f.code));
  for (const auto& p : shared_population().patients) keys.push_back(paths_.patient_auth_key(p.id));
  for (const auto& key : keys) {
    struct stat st {};
    ASSERT_EQ(::stat(key.c_str(), &st), 0) << key;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << key;
  }
  EXPECT_EQ(crypto::Certificate::load_pem_bundle(paths_.ons_server_chain()).size(), 2u);

  std::ifstream in(paths_.manifest());
  const auto manifest = nlohmann::json::parse(in);
  EXPECT_EQ(manifest.at("schema"), "onshi-hil/test-pki/1");
  EXPECT_EQ(manifest.at("generated").get<std::string>().size(), 20u);  // 2025-01-02T03:04:05Z
  ASSERT_EQ(manifest.at("facilities").size(), shared_population().facilities.size());
  const auto& f0 = manifest.at("facilities").at(0);
  const std::string code = f0.at("code");
  EXPECT_EQ(f0.at("cert"), "terminals/" + code + "/cert.pem");
  EXPECT_EQ(f0.at("key"), "terminals/" + code + "/key.pem");
  EXPECT_EQ(f0.at("serial"), shared_pki().terminal(code).certificate.serial_hex());
  const auto& p0 = manifest.at("patients").at(0);
  EXPECT_EQ(p0.at("id"), "P001");
  EXPECT_EQ(p0.at("cert"), "patients/P001/auth-cert.pem");
  EXPECT_EQ(p0.at("key"), "patients/P001/auth-key.pem");
  EXPECT_EQ(p0.at("serial"), shared_pki().patient("P001").certificate.serial_hex());
}

TEST_F(pkiStore, MissingManifest) {
  fs::remove(paths_.manifest());
  expect_load_error_naming(paths_.manifest(), ErrorCode::not_found);
}

TEST_F(pkiStore, GarbledManifest) {
  std::ofstream(paths_.manifest()) << "{\"schema\": \"onshi-hil/test-pki/1\", ";
  expect_load_error_naming(paths_.manifest(), ErrorCode::malformed_input);
}

TEST_F(pkiStore, ManifestEntryMissingAField) {
  std::ifstream in(paths_.manifest());
  auto manifest = nlohmann::json::parse(in);
  manifest["patients"][1].erase("key");
  std::ofstream(paths_.manifest()) << manifest.dump();
  expect_load_error_naming(paths_.manifest(), ErrorCode::malformed_input);
}

TEST_F(pkiStore, ManifestPathOutsideTheDirectory) {
  std::ifstream in(paths_.manifest());
  auto manifest = nlohmann::json::parse(in);
  manifest["facilities"][0]["cert"] = "../elsewhere/cert.pem";
  std::ofstream(paths_.manifest()) << manifest.dump();
  expect_load_error_naming(paths_.manifest(), ErrorCode::malformed_input);
}

TEST_F(pkiStore, MissingPatientKey) {
  const fs::path key = paths_.patient_auth_key("P002");
  fs::remove(key);
  expect_load_error_naming(key, ErrorCode::not_found);
}

TEST_F(pkiStore, MissingCaCertificate) {
  fs::remove(paths_.jpki_ca_cert());
  expect_load_error_naming(paths_.jpki_ca_cert(), ErrorCode::not_found);
}

TEST_F(pkiStore, GarbledTerminalCertificate) {
  const fs::path cert = paths_.terminal_cert(shared_population().facilities.back().code);
  std::ofstream(cert) << "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
  expect_load_error_naming(cert, ErrorCode::malformed_input);
}

TEST_F(pkiStore, GarbledServerKey) {
  std::ofstream(paths_.ons_server_key()) << "garbage";
  expect_load_error_naming(paths_.ons_server_key(), ErrorCode::malformed_input);
}

TEST_F(pkiStore, KeyOfAnotherCertificate) {
  fs::copy_file(paths_.patient_auth_key("P001"), paths_.patient_auth_key("P003"), fs::copy_options::overwrite_existing);
  expect_load_error_naming(paths_.patient_auth_key("P003"), ErrorCode::malformed_input);
}

TEST_F(pkiStore, CertificateFromTheWrongCa) {
  const std::string code = shared_pki().foreign_terminal_code;
  fs::copy_file(paths_.foreign_terminal_cert(), paths_.terminal_cert(code), fs::copy_options::overwrite_existing);
  fs::copy_file(paths_.foreign_terminal_key(), paths_.terminal_key(code), fs::copy_options::overwrite_existing);
  expect_load_error_naming(paths_.terminal_cert(code), ErrorCode::malformed_input);
}

TEST_F(pkiStore, WrongChain) {
  fs::copy_file(paths_.ons_server_cert(), paths_.ons_server_chain(), fs::copy_options::overwrite_existing);
  expect_load_error_naming(paths_.ons_server_chain(), ErrorCode::malformed_input);
}

TEST_F(pkiStore, EnsureReusesAValidPki) {
  const TestPki again = ensure_test_pki(dir_.path(), shared_recipe(), shared_population());
  EXPECT_EQ(fingerprints(again), fingerprints(shared_pki()));
}

TEST(pkiEnsure, GeneratesWhenMissingAndRegeneratesWhenStale) {
  // A small population keeps this to a handful of RSA keys.
  population::Population population;
  population.facilities.push_back({"1312345678", "one"});
  population.patients.push_back({});
  population.patients.back().id = "P001";
  // Small keys too: this test is about the directory, not the keys.
  Recipe recipe = shared_recipe();
  recipe.key_bits = 1024;
  testing::TempDir dir;
  const fs::path target = dir.path() / "pki";

  const TestPki first = ensure_test_pki(target, recipe, population);
  EXPECT_TRUE(fs::is_regular_file(PkiPaths(target).manifest()));
  EXPECT_EQ(fingerprints(load_test_pki(target)), fingerprints(first));
  EXPECT_EQ(fingerprints(ensure_test_pki(target, recipe, population)), fingerprints(first));

  // Years later every certificate has expired: a new PKI replaces the old one in place.
  const onshi::testing::TestClock later(std::chrono::system_clock::now() + std::chrono::hours(24 * 4000));
  const TestPki second = ensure_test_pki(target, recipe, population, later);
  EXPECT_NE(second.ons_ca.certificate.sha256_fingerprint(), first.ons_ca.certificate.sha256_fingerprint());
  EXPECT_EQ(fingerprints(load_test_pki(target)), fingerprints(second));

  // A damaged directory is refused and left as it is (damaged_pki_test.cpp has each case).
  fs::remove(PkiPaths(target).terminal_key("1312345678"));
  EXPECT_THROW(ensure_test_pki(target, recipe, population), Error);
  EXPECT_FALSE(fs::exists(PkiPaths(target).terminal_key("1312345678")));
  // Nothing left behind beside it but the lock file.
  std::vector<std::string> siblings;
  for (const auto& entry : fs::directory_iterator(dir.path())) siblings.push_back(entry.path().filename().string());
  std::sort(siblings.begin(), siblings.end());
  EXPECT_EQ(siblings, (std::vector<std::string>{".pki.lock", "pki"}));
}

}  // namespace
}  // namespace onshi::pki
