// The operational test as a vendor runs it, on the default emulated rig, as a child process:
// exit 0 with every check the emulated rig can do passed and the rest skipped with reasons;
// the evidence bundle verifies with the real `openssl cms -verify` and with `onshi-hil
// evidence verify`, and one flipped byte fails both; no PIN, My Number or card number of the
// synthetic population is anywhere in the bundle (docs/optest.md).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "onshi/population/population.hpp"
#include "onshi/testing/process.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::testing::run_process;

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void flip_one_byte(const fs::path& file, std::size_t at) {
  std::string bytes = read_file(file);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

class OptestE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* pki = std::getenv("ONSHI_TEST_PKI");
    ASSERT_NE(pki, nullptr) << "ONSHI_TEST_PKI is not set (registered with NEEDS_PKI)";
    pki_ = new fs::path(pki);
    work_ = new fs::path(fs::path(ONSHI_OPTEST_WORK_DIR) / "run");
    fs::remove_all(*work_);
    fs::create_directories(*work_);
    result_ = new onshi::testing::ProcessResult(run_process(
        {ONSHI_CLI, "optest", "--pki", pki_->string(), "--output", (*work_ / "out").string(), "--evidence",
         (*work_ / "evidence").string()},
        {.timeout = 300s}));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete work_;
    delete pki_;
  }
  static fs::path evidence() { return *work_ / "evidence"; }
  static fs::path vendor_ca() { return *pki_ / "vendor-ca" / "cert.pem"; }

  static onshi::testing::ProcessResult openssl_verify(const fs::path& dir) {
    return run_process({"openssl", "cms", "-verify", "-binary", "-content", (dir / "manifest.json").string(), "-inform",
                        "PEM", "-in", (dir / "manifest.json.p7s").string(), "-CAfile", vendor_ca().string(), "-out",
                        "/dev/null"},
                       {.timeout = 30s});
  }
  static onshi::testing::ProcessResult evidence_verify(const fs::path& dir) {
    return run_process({ONSHI_CLI, "evidence", "verify", dir.string(), "--ca", vendor_ca().string()}, {.timeout = 30s});
  }
  // A copy of the bundle to damage.
  static fs::path copy_of_bundle(const std::string& name) {
    const fs::path copy = *work_ / name;
    fs::remove_all(copy);
    fs::copy(evidence(), copy, fs::copy_options::recursive);
    return copy;
  }

  static fs::path* pki_;
  static fs::path* work_;
  static onshi::testing::ProcessResult* result_;
};

fs::path* OptestE2e::pki_ = nullptr;
fs::path* OptestE2e::work_ = nullptr;
onshi::testing::ProcessResult* OptestE2e::result_ = nullptr;

TEST_F(OptestE2e, PassesEveryEmulatableCheckAndSkipsTheRestWithReasons) {
  ASSERT_TRUE(result_->succeeded()) << result_->describe() << "\n" << result_->out;
  const nlohmann::json record = nlohmann::json::parse(read_file(evidence() / "record.json"));
  std::set<std::string> passed;
  std::set<std::string> skipped;
  for (const auto& step : record.at("steps")) {
    const std::string name = step.at("name");
    const std::string status = step.at("status");
    if (status == "passed") passed.insert(name);
    if (status == "skipped") {
      skipped.insert(name);
      EXPECT_NE(step.at("reason").get<std::string>().find("not"), std::string::npos) << name << ": " << step.at("reason");
    }
    EXPECT_TRUE(status == "passed" || status == "skipped") << name << " " << status << ": " << step.at("reason");
    EXPECT_NE(result_->out.find(name), std::string::npos) << "the table lacks " << name;
  }
  for (const char* check : {"preflight.doctor", "connectivity.tcp_connect", "connectivity.tls_handshake", "connectivity.search_inquiry",
                            "reception.pin", "reception.face_match", "reception.face_miss_then_pin",
                            "reception.visual_confirmation", "reception.consent_refused",
                            "reception.qualification_replaced", "reception.pin_locked", "reception.expired_certificate"}) {
    EXPECT_EQ(passed.count(check), 1u) << check;
  }
  EXPECT_EQ(skipped, (std::set<std::string>{"receipt_computer.insurance_card_path",
                                            "information_viewing.three_setups", "load.smoke"}));
  for (const char* file : {"record.json", "junit.xml", "report.html", "report.md", "receptions.json",
                           "ons-journal.json", "rig-fingerprint.json", "manifest.json", "manifest.json.p7s"}) {
    EXPECT_TRUE(fs::is_regular_file(evidence() / file)) << file;
  }
}

TEST_F(OptestE2e, BundleVerifiesWithOpensslAndEvidenceVerify) {
  ASSERT_TRUE(result_->succeeded()) << result_->describe();
  const auto openssl = openssl_verify(evidence());
  EXPECT_TRUE(openssl.succeeded()) << openssl.describe();
  const auto ours = evidence_verify(evidence());
  EXPECT_TRUE(ours.succeeded()) << ours.describe() << ours.out;
}

TEST_F(OptestE2e, OneFlippedByteInTheManifestFailsBoth) {
  ASSERT_TRUE(result_->succeeded()) << result_->describe();
  const fs::path copy = copy_of_bundle("flipped-manifest");
  flip_one_byte(copy / "manifest.json", 40);
  EXPECT_NE(openssl_verify(copy).exit_code, 0);
  const auto ours = evidence_verify(copy);
  EXPECT_EQ(ours.exit_code, 1) << ours.describe();
  EXPECT_NE(ours.out.find("manifest.json"), std::string::npos) << ours.out;
}

TEST_F(OptestE2e, OneFlippedByteInAReportFailsVerifyNamingIt) {
  ASSERT_TRUE(result_->succeeded()) << result_->describe();
  const fs::path copy = copy_of_bundle("flipped-report");
  flip_one_byte(copy / "report.html", 100);
  const auto ours = evidence_verify(copy);
  EXPECT_EQ(ours.exit_code, 1) << ours.describe();
  EXPECT_NE(ours.out.find("report.html"), std::string::npos) << ours.out;
  // The signed manifest itself is intact, so openssl still accepts it; the hash it lists for
  // report.html is what no longer matches.
  EXPECT_TRUE(openssl_verify(copy).succeeded());
}

// An ONS endpoint that refuses connections is a broken rig: the connectivity checks end in
// error, not failed, and the exit code is 3.
TEST_F(OptestE2e, RefusedConnectionIsAnErrorWithExitThree) {
  const fs::path dir = *work_ / "broken-rig";
  fs::create_directories(dir);
  std::ofstream(dir / "rig.toml") << "name = \"broken\"\n[facility]\ncode = \"1312345678\"\n[ons]\nkind = \"remote\"\n"
                                  << "url = \"https://127.0.0.1:9\"\n"
                                  << "server_ca = \"" << (*pki_ / "ons-ca/cert.pem").string() << "\"\n"
                                  << "client_cert = \"" << (*pki_ / "terminals/1312345678/cert.pem").string() << "\"\n"
                                  << "client_key = \"" << (*pki_ / "terminals/1312345678/key.pem").string() << "\"\n";
  const auto r = run_process({ONSHI_CLI, "optest", "--rig", (dir / "rig.toml").string(), "--pki", pki_->string(),
                              "--output", (dir / "out").string()},
                             {.timeout = 300s});
  EXPECT_EQ(r.exit_code, 3) << r.describe() << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("connectivity\\.tcp_connect +error .*the rig is broken: TCP connect to "
                                                  "127\\.0\\.0\\.1:9")))
      << r.out;
  EXPECT_NE(r.out.find("operational test: ERROR (the rig is broken)"), std::string::npos) << r.out;
}

// report.html as a real browser renders it: headless Chromium (Debian's `chromium`) dumps
// the DOM it built, and every check's row shows its name and verdict.
TEST_F(OptestE2e, ReportRendersInHeadlessChromiumWithEveryCheckAndVerdict) {
  ASSERT_TRUE(result_->succeeded()) << result_->describe();
  const fs::path profile = *work_ / "chromium-profile";
  fs::create_directories(profile);
  const auto chromium = run_process(
      {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile.string(),
       "--dump-dom", "file://" + fs::absolute(evidence() / "report.html").string()},
      {.timeout = 90s});
  ASSERT_TRUE(chromium.succeeded()) << chromium.describe();
  const nlohmann::json record = nlohmann::json::parse(read_file(evidence() / "record.json"));
  for (const auto& step : record.at("steps")) {
    const std::string name = step.at("name");
    const std::string status = step.at("status");
    const std::regex row("<td>" + std::regex_replace(name, std::regex("\\."), "\\.") + "</td>\\s*<td class=\"" +
                         status + "\">" + status + "</td>");
    EXPECT_TRUE(std::regex_search(chromium.out, row)) << name << " " << status << " is not in the rendered DOM";
  }
  EXPECT_NE(chromium.out.find("onshi-hil operational test"), std::string::npos);
}

// PINs are 4 digits and would match any timing by chance, so they are looked for as a value
// on their own (a quoted string, an element's text, after '=' or ':'); My Numbers and card
// numbers of 8 digits or more are looked for anywhere.
TEST_F(OptestE2e, NoPinMyNumberOrCardNumberInTheBundle) {
  ASSERT_TRUE(result_->succeeded()) << result_->describe();
  const onshi::population::Population population = onshi::population::load_population();
  std::string bundle;
  for (const auto& item : fs::recursive_directory_iterator(evidence())) {
    if (item.is_regular_file()) bundle += read_file(item.path()) + "\n";
  }
  for (const auto& p : population.patients) {
    ASSERT_FALSE(p.my_number.empty());
    EXPECT_EQ(bundle.find(p.my_number), std::string::npos) << p.id << "'s My Number";
    const std::string& card = p.insurance.insured_identification_number;
    if (card.size() >= 8) {
      EXPECT_EQ(bundle.find(card), std::string::npos) << p.id << "'s card number";
    }
    for (const std::string& pin : {p.auth_pin, p.kenhojo_pin, p.sign_password}) {
      if (pin.empty()) continue;
      const std::regex alone("([\"'>=:]\\s*)" + pin + "(\\s*[\"'<,\\n])");
      EXPECT_FALSE(std::regex_search(bundle, alone)) << p.id << "'s PIN or password appears as a value";
    }
  }
}

}  // namespace
