// The exports as a user runs them: `onshi-hil emulate reader --usbip 127.0.0.1:0` prints what it
// serves and the patient's test PIN; `onshi-hil rig scan --usbip ... --json` then finds the
// reader with its serial and CCID class descriptor; bad arguments exit 2 with a clear message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "onshi/testing/process.hpp"

namespace {

using namespace std::chrono_literals;

TEST(EmulateCli, ReaderOverUsbipIsFoundByRigScan) {
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() / ("onshi-emulate-" + std::to_string(::getpid()) + ".log");
  const std::string binary = ONSHI_HIL_BINARY;
  onshi::testing::ChildProcess child({binary, "emulate", "reader", "--usbip", "127.0.0.1:0", "--pki", pki}, log);
  EXPECT_TRUE(child.wait_for_output(std::regex("stop with"), 30s));  // the PKI is made if missing
  const std::string out = child.output();
  std::smatch port;
  const bool serving = std::regex_search(out, port, std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid 1-1"));
  EXPECT_TRUE(serving) << out;
  EXPECT_NE(out.find("08e6:4433"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("test PIN .*: [0-9]{4}"))) << out;
  if (serving) {
    const onshi::testing::ProcessResult scanned =
        onshi::testing::run_process({binary, "rig", "scan", "--json", "--usbip", "127.0.0.1:" + port[1].str()},
                                    {.timeout = 30s, .merge_stderr = true});
    EXPECT_TRUE(scanned.succeeded()) << scanned.describe();
    const std::string& scan = scanned.out;
    const auto j = nlohmann::json::parse(scan.substr(scan.find('{')), nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << scan;
    bool found = false;
    for (const auto& r : j["readers"]) {
      if (r.value("source", "") != "usbip") continue;
      found = true;
      EXPECT_EQ(r.value("vid_pid", ""), "08e6:4433");
      EXPECT_EQ(r.value("serial", ""), "ONSHI-0001");
      EXPECT_EQ(r["ccid"].value("exchange_level", ""), "short APDU");
    }
    EXPECT_TRUE(found) << scan;
  }
  EXPECT_EQ(child.stop(), 0) << child.output();  // SIGTERM: a clean stop
  std::filesystem::remove(log);
}

TEST(EmulateCli, BadArgumentsExitWithUsageAndAClearMessage) {
  const onshi::testing::ProcessOptions merged{.timeout = 30s, .merge_stderr = true};
  auto r = onshi::testing::run_process(
      {ONSHI_HIL_BINARY, "emulate", "reader", "--usbip", "127.0.0.1:99999", "--pki", "/nonexistent-onshi-pki"}, merged);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.out.find("99999"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists("/nonexistent-onshi-pki"));  // refused before any work
  r = onshi::testing::run_process({ONSHI_HIL_BINARY, "rig", "scan", "--usbip", "127.0.0.1:1"}, merged);
  EXPECT_EQ(r.exit_code, 3) << r.describe();  // nothing listens there: environment error, named
  EXPECT_NE(r.out.find("127.0.0.1:1"), std::string::npos) << r.out;
}

}  // namespace
