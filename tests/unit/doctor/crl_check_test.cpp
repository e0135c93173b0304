// The doctor's CRL check (docs/doctor.md, "CRL") on CRLs made at test time with the pki
// issuing functions: fresh (PEM and DER), out of date, about to lapse, issued in the future,
// by another CA, signed by an impostor of the same name, listing the terminal certificate,
// garbage bytes and a missing file. Each finding says what to fix.
#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <unistd.h>

#include <fstream>
#include <map>

#include "onshi/doctor/crl_check.hpp"
#include "onshi/pki/crl.hpp"
#include "onshi/pki/issue.hpp"
#include "onshi/testing/files.hpp"

namespace onshi::doctor {
namespace {

using namespace std::chrono_literals;
using Severity = Finding::Severity;

const WallTime kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 9h;

pki::DistinguishedName name_of(const std::string& cn) { return pki::DistinguishedName{{"C", "JP"}, {"O", "onshi-hil test"}, {"CN", cn}}; }

// RSA keys are slow to make, and each test runs in its own process: each CA only when used,
// and the terminal certificate on the CA's own key.
const pki::Credential& ca_of(const std::string& cn) {
  static std::map<std::string, pki::Credential> made;
  auto it = made.find(cn);
  if (it == made.end()) it = made.emplace(cn, pki::make_ca(name_of(cn), kNow - 400 * 24h, kNow + 400 * 24h)).first;
  return it->second;
}

struct Cas {
  const pki::Credential& ca = ca_of("terminal CA");
  pki::Credential terminal = [this] {
    pki::ClientCertificateOptions o;
    o.not_before = kNow - 24h;
    o.not_after = kNow + 300 * 24h;
    o.key = ca.key;
    return pki::issue_client_certificate(ca.certificate, ca.key, "1312345678", o);
  }();
  const pki::Credential& other() const { return ca_of("other CA"); }
  // The same name as the terminal CA, another key.
  const pki::Credential& impostor() const {
    static const pki::Credential made = pki::make_ca(name_of("terminal CA"), kNow - 400 * 24h, kNow + 400 * 24h);
    return made;
  }
};

const Cas& cas() {
  static const Cas made;
  return made;
}

class CrlCheck : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& bytes) {
    const auto file = dir_ / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
  std::filesystem::path crl(const pki::Credential& signer, WallTime this_update, WallTime next_update,
                            std::vector<crypto::Certificate> revoked = {}) {
    pki::CrlSpec spec;
    spec.this_update = this_update;
    spec.next_update = next_update;
    spec.revoked = std::move(revoked);
    return write("crl.pem", pki::issue_crl_pem(signer, spec));
  }
  std::vector<Finding> examine(const std::filesystem::path& file, std::optional<crypto::Certificate> issuer = cas().ca.certificate) {
    CrlCheckInput input;
    input.crl_file = file;
    input.issuer = std::move(issuer);
    input.issuer_source = "[pki] crl_issuer";
    input.terminal = cas().terminal.certificate;
    input.now = kNow;
    input.rig_file = "rigs/site.toml";
    return examine_crl(input);
  }
  static const Finding& get(const std::vector<Finding>& findings, const std::string& check) {
    for (const Finding& f : findings) {
      if (f.check == check) return f;
    }
    static const Finding none{"(none)", Severity::failed, "no finding " + check, "", {}};
    ADD_FAILURE() << "no finding " << check;
    return none;
  }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onshi-crl-check-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

TEST_F(CrlCheck, AFreshCrlOfTheCaWithoutTheTerminalIsAllOk) {
  const auto findings = examine(crl(cas().ca, kNow - 2h, kNow + 7 * 24h));
  ASSERT_EQ(findings.size(), 4U);
  for (const Finding& f : findings) EXPECT_EQ(f.severity, Severity::ok) << f.check << ": " << f.what;
  EXPECT_EQ(get(findings, "crl.file").what.find("lists 0 revoked certificates") != std::string::npos, true);
  const auto& hours = get(findings, "crl.freshness").measurements.at(0);
  EXPECT_EQ(hours.name, "crl_hours_to_next_update");
  EXPECT_DOUBLE_EQ(std::get<double>(hours.value), 168.0);
  EXPECT_EQ(hours.unit, "hours");
}

TEST_F(CrlCheck, DerIsReadToo) {
  const std::string pem = onshi::testing::read_file(crl(cas().ca, kNow - 2h, kNow + 7 * 24h));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> parsed(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr),
                                                              X509_CRL_free);
  ASSERT_TRUE(parsed);
  unsigned char* der = nullptr;
  const int length = i2d_X509_CRL(parsed.get(), &der);
  ASSERT_GT(length, 0);
  const std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  const auto findings = examine(write("crl.der", bytes));
  EXPECT_EQ(get(findings, "crl.file").severity, Severity::ok) << get(findings, "crl.file").what;
  EXPECT_EQ(get(findings, "crl.signature").severity, Severity::ok);
}

TEST_F(CrlCheck, AnOutOfDateCrlFailsAndSaysToFetchTheCurrentOne) {
  const auto findings = examine(crl(cas().ca, kNow - 10 * 24h, kNow - 3h));
  const Finding& f = get(findings, "crl.freshness");
  EXPECT_EQ(f.severity, Severity::failed);
  EXPECT_NE(f.what.find("out of date"), std::string::npos) << f.what;
  EXPECT_NE(f.what.find("2026-12-02 06:00 UTC"), std::string::npos) << f.what;
  EXPECT_NE(f.fix.find("download the current CRL"), std::string::npos) << f.fix;
  EXPECT_EQ(f.measurements.at(0).verdict, run::MeasurementVerdict::fail);
}

TEST_F(CrlCheck, ACrlAboutToLapseIsAWarning) {
  const auto findings = examine(crl(cas().ca, kNow - 5 * 24h, kNow + 10h));
  const Finding& f = get(findings, "crl.freshness");
  EXPECT_EQ(f.severity, Severity::warning) << f.what;
  EXPECT_NE(f.what.find("in 10 hours"), std::string::npos) << f.what;
  EXPECT_EQ(f.measurements.at(0).verdict, run::MeasurementVerdict::marginal);
}

TEST_F(CrlCheck, ACrlIssuedInTheFutureFailsNamingTheClock) {
  const auto findings = examine(crl(cas().ca, kNow + 5h, kNow + 7 * 24h));
  const Finding& f = get(findings, "crl.freshness");
  EXPECT_EQ(f.severity, Severity::failed);
  EXPECT_NE(f.what.find("in the future"), std::string::npos) << f.what;
  EXPECT_NE(f.fix.find("clock"), std::string::npos) << f.fix;
}

TEST_F(CrlCheck, ACrlOfAnotherCaFailsNamingBoth) {
  const auto findings = examine(crl(cas().other(), kNow - 2h, kNow + 7 * 24h));
  const Finding& f = get(findings, "crl.signature");
  EXPECT_EQ(f.severity, Severity::failed);
  EXPECT_NE(f.what.find("CN=other CA"), std::string::npos) << f.what;
  EXPECT_NE(f.what.find("not by the CA 'CN=terminal CA"), std::string::npos) << f.what;
  // Its entries say nothing about this CA's certificates.
  EXPECT_EQ(get(findings, "crl.terminal_certificate").severity, Severity::warning);
}

TEST_F(CrlCheck, AnImpostorOfTheSameNameFailsOnTheSignature) {
  const auto findings = examine(crl(cas().impostor(), kNow - 2h, kNow + 7 * 24h));
  const Finding& f = get(findings, "crl.signature");
  EXPECT_EQ(f.severity, Severity::failed);
  EXPECT_NE(f.what.find("signature does not verify"), std::string::npos) << f.what;
}

TEST_F(CrlCheck, ACrlListingTheTerminalCertificateFailsWithTheRenewal) {
  const auto findings = examine(crl(cas().ca, kNow - 2h, kNow + 7 * 24h, {cas().terminal.certificate}));
  const Finding& f = get(findings, "crl.terminal_certificate");
  EXPECT_EQ(f.severity, Severity::failed);
  EXPECT_NE(f.what.find("serial " + cas().terminal.certificate.serial_hex() + ") is revoked"), std::string::npos) << f.what;
  EXPECT_NE(f.fix.find("new terminal certificate"), std::string::npos) << f.fix;
  EXPECT_NE(f.fix.find("rigs/site.toml"), std::string::npos) << f.fix;
  EXPECT_NE(get(findings, "crl.file").what.find("lists 1 revoked certificate"), std::string::npos);
}

TEST_F(CrlCheck, GarbageBytesAreNotACrl) {
  const auto findings = examine(write("crl.pem", "this is not a CRL \x01\x02\x03"));
  ASSERT_EQ(findings.size(), 1U);
  EXPECT_EQ(findings[0].check, "crl.file");
  EXPECT_EQ(findings[0].severity, Severity::failed);
  EXPECT_NE(findings[0].what.find("is not a CRL"), std::string::npos) << findings[0].what;
  EXPECT_NE(findings[0].fix.find("[pki] crl in rigs/site.toml"), std::string::npos) << findings[0].fix;
}

TEST_F(CrlCheck, AMissingFileIsAFailedFindingNotAThrow) {
  const auto findings = examine(dir_ / "nowhere.pem");
  ASSERT_EQ(findings.size(), 1U);
  EXPECT_EQ(findings[0].severity, Severity::failed);
  EXPECT_NE(findings[0].what.find("cannot be read"), std::string::npos);
}

TEST_F(CrlCheck, WithoutAKnownCaTheSignatureIsAWarningNamingTheKey) {
  const auto findings = examine(crl(cas().ca, kNow - 2h, kNow + 7 * 24h), std::nullopt);
  const Finding& f = get(findings, "crl.signature");
  EXPECT_EQ(f.severity, Severity::warning);
  EXPECT_NE(f.fix.find("[pki] crl_issuer"), std::string::npos) << f.fix;
}

}  // namespace
}  // namespace onshi::doctor
