// ONSHI_RIG: the scenario catalogue's ctest tests run on the rig it names (docs/rig-resources.md).
// A rig with a physical card — here an export of `onshi-hil emulate reader --patient P001`
// reached over USB/IP, as a lab's reader would be — runs the scenarios its card can serve and
// skips the rest with the reason (exit 77, which the e2e.scenario.* tests declare as a skip).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "onshi/testing/process.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class ScenarioCatalogueOnRig : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pki = std::getenv("ONSHI_TEST_PKI");
    ASSERT_NE(pki, nullptr);
    pki_ = pki;
    dir_ = fs::temp_directory_path() / ("onshi-onshi-rig-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    reader_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // A lab-like rig: the reader is a USB/IP export holding P001's card, read as a physical card.
  fs::path physical_card_rig() {
    reader_ = std::make_unique<onshi::testing::ChildProcess>(
        std::vector<std::string>{ONSHI_HIL_BINARY, "emulate", "reader", "--usbip", "127.0.0.1:0", "--patient", "P001",
                                 "--pki", pki_.string()},
        dir_ / "emulate.log");
    std::vector<std::string> port;
    EXPECT_TRUE(reader_->wait_for_output(std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid 1-1"), 60s, &port));
    const fs::path rig = dir_ / "lab.toml";
    std::ofstream(rig) << "name = \"lab\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n"
                       << "[card]\nkind = \"physical\"\n[reader]\nkind = \"usbip\"\nserver = \"127.0.0.1:"
                       << (port.size() > 1 ? port[1] : "1") << "\"\nbusid = \"1-1\"\n";
    return rig;
  }

  onshi::testing::ProcessResult scenario(const std::string& name, const fs::path& rig) {
    return onshi::testing::run_process(
        {ONSHI_SCENARIO_ON_RIG, ONSHI_HIL_BINARY, name, std::string(ONSHI_SOURCE_DIR) + "/fixtures/scenarios/catalogue.toml",
         ONSHI_SOURCE_DIR, (dir_ / "out").string(), "--pki", pki_.string()},
        {.timeout = 120s, .environment = {{"ONSHI_RIG", rig.string()}, {"ONSHI_RIG_PATIENT", ""}}, .merge_stderr = true});
  }

  fs::path pki_;
  fs::path dir_;
  std::unique_ptr<onshi::testing::ChildProcess> reader_;
};

TEST_F(ScenarioCatalogueOnRig, APhysicalCardRigRunsWhatItsCardServesAndSkipsTheRestWithTheReason) {
  const fs::path rig = physical_card_rig();
  const auto ok = scenario("pin-ok", rig);
  EXPECT_EQ(ok.exit_code, 0) << ok.describe() << "\n" << ok.out;
  EXPECT_TRUE(std::regex_search(ok.out, std::regex("rig lab .*\\n(.|\\n)*total +passed"))) << ok.out;

  const auto other_patient = scenario("pin-wrong-then-ok", rig);
  EXPECT_EQ(other_patient.exit_code, 77) << other_patient.out;
  EXPECT_NE(other_patient.out.find("SKIPPED: scenario pin-wrong-then-ok on rig " + rig.string() +
                                   " (a physical card): it needs patient P002's card; the rig's card is P001's"),
            std::string::npos)
      << other_patient.out;
  const auto lock = scenario("pin-locked", rig);
  EXPECT_EQ(lock.exit_code, 77) << lock.out;
  EXPECT_NE(lock.out.find("it locks the card's PIN"), std::string::npos) << lock.out;
  const auto face = scenario("face-match", rig);
  EXPECT_EQ(face.exit_code, 77) << face.out;
  EXPECT_NE(face.out.find("特定機関認証"), std::string::npos) << face.out;
}

TEST_F(ScenarioCatalogueOnRig, AVirtualCardRigRunsEveryScenario) {
  // rigs/usbip.toml, named relative to the source tree's root as a user would.
  const auto face = scenario("face-match", "rigs/usbip.toml");
  EXPECT_EQ(face.exit_code, 0) << face.out;
  EXPECT_NE(face.out.find("rig usbip"), std::string::npos) << face.out;
}

TEST_F(ScenarioCatalogueOnRig, AMissingRigFileIsNamed) {
  const auto missing = scenario("pin-ok", "rigs/no-such-lab.toml");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_NE(missing.out.find("ONSHI_RIG=rigs/no-such-lab.toml: no such file"), std::string::npos) << missing.out;
}

TEST_F(ScenarioCatalogueOnRig, EveryCatalogueTestRunsThroughTheRigWrapperAndCountsExit77AsSkipped) {
  const auto listed = onshi::testing::run_process(
      {ONSHI_CTEST_COMMAND, "--test-dir", ONSHI_BUILD_DIR, "--show-only=json-v1", "-R", "^e2e\\.scenario\\."},
      {.timeout = 60s});
  ASSERT_TRUE(listed.succeeded()) << listed.describe();
  const auto j = nlohmann::json::parse(listed.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << listed.out.substr(0, 2000);
  std::size_t scenarios = 0;
  for (const auto& test : j["tests"]) {
    const std::string name = test["name"];
    if (name.rfind("e2e.scenario.", 0) != 0) continue;  // the test_pki fixture's setup comes along
    ++scenarios;
    EXPECT_NE(test["command"].dump().find("scenario-on-rig.sh"), std::string::npos) << name;
    bool skip_77 = false;
    for (const auto& p : test["properties"]) {
      skip_77 = skip_77 || (p["name"] == "SKIP_RETURN_CODE" && (p["value"] == 77 || p["value"] == "77"));
    }
    EXPECT_TRUE(skip_77) << name << ": " << test["properties"].dump();
  }
  EXPECT_GE(scenarios, 10u) << "the catalogue has at least ten scenarios";
}

}  // namespace
