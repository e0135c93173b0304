// The evidence bundle: sealed with a detached CMS signature by the test vendor certificate, it
// verifies; one changed byte in any file fails verification naming that file; a signature by
// another CA, a file added or removed fails too.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "onshi/optest/evidence_bundle.hpp"
#include "onshi/optest/evidence_manifest.hpp"
#include "onshi/pki/issue.hpp"
#include "onshi/pki/vendor_credential.hpp"

namespace onshi::optest {
namespace {

namespace fs = std::filesystem;

class Evidence : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_dir_ = new fs::path(fs::temp_directory_path() / ("onshi-evidence-test-pki-" + std::to_string(::getpid())));
    vendor_ = new pki::VendorCredential(pki::ensure_vendor_credential(*pki_dir_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*pki_dir_);
    delete vendor_;
    delete pki_dir_;
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("onshi-evidence-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    EvidenceWriter writer(dir_, "0.1.0");
    writer.write("record.json", "{\"checks\": 3}\n");
    writer.write("report.html", "<!DOCTYPE html><p>passed</p>\n");
    writer.write("journal/ons-journal.json", "[{\"sequence\": 1}]\n");
    writer.seal(vendor_->signer);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void flip_one_byte(const fs::path& file, std::size_t at) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(at));
    const char c = static_cast<char>(f.get());
    f.seekp(static_cast<std::streamoff>(at));
    f.put(static_cast<char>(c ^ 0x01));
  }
  std::vector<crypto::Certificate> vendor_ca() const { return {vendor_->ca.certificate}; }

  static fs::path* pki_dir_;
  static pki::VendorCredential* vendor_;
  fs::path dir_;
};

fs::path* Evidence::pki_dir_ = nullptr;
pki::VendorCredential* Evidence::vendor_ = nullptr;

TEST_F(Evidence, VendorCertificateIsForSigningAndIssuedByTheVendorCa) {
  EXPECT_TRUE(vendor_->signer.certificate.issued_by(vendor_->ca.certificate));
  // Asked again, the same pair comes back (made once, then loaded).
  const pki::VendorCredential again = pki::ensure_vendor_credential(*pki_dir_);
  EXPECT_EQ(again.signer.certificate.sha256_fingerprint(), vendor_->signer.certificate.sha256_fingerprint());
}

TEST_F(Evidence, SealedBundleVerifies) {
  const EvidenceVerdict v = verify_evidence(dir_, vendor_ca());
  EXPECT_TRUE(v.ok) << v.file << ": " << v.reason;
  EXPECT_EQ(v.files_checked, 3u);
  const EvidenceManifest m = parse_manifest(
      (std::ostringstream() << std::ifstream(dir_ / kManifestFile).rdbuf()).str(), "manifest.json");
  ASSERT_EQ(m.files.size(), 3u);
  EXPECT_EQ(m.files[0].path, "record.json");
  EXPECT_EQ(m.files[0].sha256, sha256_hex("{\"checks\": 3}\n"));
}

TEST_F(Evidence, OneChangedByteInAnyFileFailsNamingIt) {
  for (const char* file : {"record.json", "report.html", "journal/ons-journal.json", "manifest.json"}) {
    SetUp();
    flip_one_byte(dir_ / file, 5);
    const EvidenceVerdict v = verify_evidence(dir_, vendor_ca());
    EXPECT_FALSE(v.ok) << file;
    EXPECT_EQ(v.file, file);
  }
}

TEST_F(Evidence, ChangedSignatureFails) {
  flip_one_byte(dir_ / kSignatureFile, 100);
  const EvidenceVerdict v = verify_evidence(dir_, vendor_ca());
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.file, kManifestFile);
}

TEST_F(Evidence, AnotherCaDoesNotVerify) {
  const auto now = std::chrono::system_clock::now();
  const pki::Credential other = pki::make_ca({{"CN", "another CA"}}, now - std::chrono::hours(24), now + std::chrono::hours(240));
  const EvidenceVerdict v = verify_evidence(dir_, {other.certificate});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("does not verify"), std::string::npos) << v.reason;
}

TEST_F(Evidence, AddedAndRemovedFilesAreNamed) {
  std::ofstream(dir_ / "extra.txt") << "x";
  EvidenceVerdict v = verify_evidence(dir_, vendor_ca());
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.file, "extra.txt");
  fs::remove(dir_ / "extra.txt");
  fs::remove(dir_ / "report.html");
  v = verify_evidence(dir_, vendor_ca());
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.file, "report.html");
  EXPECT_NE(v.reason.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace onshi::optest
