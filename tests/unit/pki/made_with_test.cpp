// What a test PKI was made with beyond the recipe (made-with.json: `pki --san` names, `--p12`
// files) survives the PKI being made again: stale (expired) under ensure_test_pki, as `run
// --pki` and `mock ons` find it, or forced by regenerate_test_pki (`pki --out DIR --force`).
#include <gtest/gtest.h>

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/pki/made_with.hpp"
#include "onshi/pki/pkcs12_export.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/server_names.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/test_clock.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One facility, one patient and 1024-bit keys: this is about what is kept, not key sizes.
struct SmallPki {
  population::Population population;
  Recipe recipe = testing::shared_recipe();
  SmallPki() {
    population.facilities.push_back({"1312345678", "one"});
    population.patients.push_back({});
    population.patients.back().id = "P001";
    recipe.key_bits = 1024;
  }
};

MadeWith vendor_asks() {
  MadeWith asked;
  asked.server_names = {"DNS:onshi-mock.lan", "IP:192.168.10.5"};
  asked.pkcs12 = true;
  return asked;
}

bool names(const TestPki& pki, const std::string& dns, const std::string& ip) {
  const ServerNames sans = certificate_server_names(pki.ons_server.certificate);
  return std::find(sans.dns.begin(), sans.dns.end(), dns) != sans.dns.end() &&
         std::find(sans.ip.begin(), sans.ip.end(), ip) != sans.ip.end();
}

// The certificate inside terminals/<code>/terminal.p12, opened with `password`; "" when it
// does not open.
std::string p12_fingerprint(const fs::path& dir, const std::string& password) {
  const fs::path file = PkiPaths(dir).terminal_cert("1312345678").parent_path() / "terminal.p12";
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return "";
  PKCS12* p12 = d2i_PKCS12_fp(f, nullptr);
  std::fclose(f);
  if (p12 == nullptr) return "";
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  std::string out;
  if (PKCS12_parse(p12, password.c_str(), &key, &cert, &chain) == 1 && cert != nullptr) {
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert, &der);
    out = crypto::Certificate::from_der(ByteView(der, static_cast<std::size_t>(length))).sha256_fingerprint();
    OPENSSL_free(der);
  }
  EVP_PKEY_free(key);
  X509_free(cert);
  sk_X509_pop_free(chain, X509_free);
  PKCS12_free(p12);
  return out;
}

TEST(pkiMadeWith, AnExpiredPkiIsMadeAgainWithItsServerNamesAndPkcs12Files) {
  const SmallPki s;
  testing::TempDir dir;
  const fs::path target = dir.path() / "pki";
  onshi::testing::TestClock clock;
  const TestPki first = ensure_test_pki(target, s.recipe, s.population, {}, clock, vendor_asks());
  EXPECT_TRUE(names(first, "onshi-mock.lan", "192.168.10.5"));
  EXPECT_EQ(p12_fingerprint(target, kDefaultPkcs12Password), first.terminal("1312345678").certificate.sha256_fingerprint());
  ASSERT_EQ(read_made_with(target), vendor_asks());

  // 400 days on, every leaf has expired (leaf_days 397): a plain ensure, as `mock ons` does it,
  // makes a new PKI, and it is made the same.
  clock.advance(std::chrono::hours(24 * 400));
  const TestPki again = ensure_test_pki(target, s.recipe, s.population, {}, clock);
  EXPECT_NE(again.ons_server.certificate.sha256_fingerprint(), first.ons_server.certificate.sha256_fingerprint());
  EXPECT_TRUE(names(again, "onshi-mock.lan", "192.168.10.5"));
  EXPECT_TRUE(names(load_test_pki(target), "onshi-mock.lan", "192.168.10.5"));
  EXPECT_EQ(p12_fingerprint(target, kDefaultPkcs12Password), again.terminal("1312345678").certificate.sha256_fingerprint());
  EXPECT_EQ(read_made_with(target), vendor_asks());
}

TEST(pkiMadeWith, AForcedRegenerationKeepsThemAndAddsWhatIsAskedNow) {
  const SmallPki s;
  testing::TempDir dir;
  const fs::path target = dir.path() / "pki";
  const fs::path password_file = dir.path() / "p12-password";
  std::ofstream(password_file) << "vendor-secret\r\n";
  MadeWith asked = vendor_asks();
  asked.pkcs12_password_file = password_file;
  ensure_test_pki(target, s.recipe, s.population, {}, SystemClock::instance(), asked);

  MadeWith more;
  more.server_names = {"IP:10.0.0.7", "DNS:onshi-mock.lan"};
  const RegeneratedPki forced = regenerate_test_pki(target, s.recipe, s.population, {}, SystemClock::instance(), more);
  ASSERT_TRUE(forced.kept_aside.has_value());
  EXPECT_TRUE(names(forced.pki, "onshi-mock.lan", "192.168.10.5"));
  EXPECT_TRUE(names(forced.pki, "onshi-mock.lan", "10.0.0.7"));
  EXPECT_EQ(p12_fingerprint(target, "vendor-secret"), forced.pki.terminal("1312345678").certificate.sha256_fingerprint());
  EXPECT_EQ(p12_fingerprint(target, kDefaultPkcs12Password), "");
  const auto recorded = read_made_with(target);
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->server_names, (std::vector<std::string>{"DNS:onshi-mock.lan", "IP:192.168.10.5", "IP:10.0.0.7"}));
  EXPECT_EQ(recorded->pkcs12_password_file, fs::absolute(password_file).string());
}

TEST(pkiMadeWith, APkiMadeWithoutExtrasRecordsNothing) {
  const SmallPki s;
  testing::TempDir dir;
  ensure_test_pki(dir.path() / "pki", s.recipe, s.population);
  EXPECT_FALSE(fs::exists(dir.path() / "pki" / kMadeWithFile));
  EXPECT_FALSE(read_made_with(dir.path() / "pki").has_value());
}

TEST(pkiMadeWith, AnUnreadableRecordIsRefusedNamingItAndForceMakesItAnew) {
  const SmallPki s;
  testing::TempDir dir;
  const fs::path target = dir.path() / "pki";
  ensure_test_pki(target, s.recipe, s.population, {}, SystemClock::instance(), vendor_asks());
  std::ofstream(target / kMadeWithFile) << "{\"schema\": \"onshi-hil/test-pki-made-with/1\", \"server_names\": [\"FTP:x\"]}";
  try {
    ensure_test_pki(target, s.recipe, s.population);
    ADD_FAILURE() << "a PKI with a bad made-with.json was used";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_NE(e.context().find(kMadeWithFile), std::string::npos) << e.what();
    EXPECT_NE(e.message().find("server_names"), std::string::npos) << e.what();
  }
  const RegeneratedPki forced = regenerate_test_pki(target, s.recipe, s.population);
  EXPECT_FALSE(read_made_with(target).has_value());
  EXPECT_FALSE(names(forced.pki, "onshi-mock.lan", "192.168.10.5"));
}

TEST(pkiMadeWith, MergedAddsEachNameOnceAndMakesThePasswordFileAbsolute) {
  MadeWith recorded;
  recorded.server_names = {"DNS:a"};
  MadeWith asked;
  asked.server_names = {"DNS:a", "IP:10.0.0.1"};
  asked.pkcs12 = true;
  asked.pkcs12_password_file = "relative/pw";
  const MadeWith m = merged(recorded, asked);
  EXPECT_EQ(m.server_names, (std::vector<std::string>{"DNS:a", "IP:10.0.0.1"}));
  EXPECT_TRUE(m.pkcs12);
  EXPECT_EQ(m.pkcs12_password_file, fs::absolute("relative/pw").string());
  EXPECT_FALSE(merged(recorded, {}).pkcs12);
}

}  // namespace
}  // namespace onshi::pki
