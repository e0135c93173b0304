// The exports as a user runs them: `onshi-hil emulate reader --usbip 127.0.0.1:0` prints what it
// serves and the patient's test PIN; `onshi-hil rig scan --usbip ... --json` then finds the
// reader with its serial and CCID class descriptor; bad arguments exit 2 with a clear message.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

extern char** environ;

namespace {

using namespace std::chrono_literals;

std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) out += buffer.data();
  status = ::pclose(pipe);
  return out;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(EmulateCli, ReaderOverUsbipIsFoundByRigScan) {
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() / ("onshi-emulate-" + std::to_string(::getpid()) + ".log");
  const std::string binary = ONSHI_HIL_BINARY;
  const std::string shell = "exec " + binary + " emulate reader --usbip 127.0.0.1:0 --pki " + pki + " > " +
                            log.string() + " 2>&1";
  char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), const_cast<char*>(shell.c_str()), nullptr};
  pid_t child = 0;
  ASSERT_EQ(::posix_spawn(&child, "/bin/sh", nullptr, nullptr, argv, environ), 0);
  std::string out;
  for (int i = 0; i < 300 && out.find("stop with") == std::string::npos; ++i) {  // up to 30 s (PKI made if missing)
    std::this_thread::sleep_for(100ms);
    out = slurp(log);
  }
  std::smatch port;
  const bool serving = std::regex_search(out, port, std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid 1-1"));
  EXPECT_TRUE(serving) << out;
  EXPECT_NE(out.find("08e6:4433"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("test PIN .*: [0-9]{4}"))) << out;
  if (serving) {
    int status = -1;
    const std::string scan = run(binary + " rig scan --json --usbip 127.0.0.1:" + port[1].str(), status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << scan;
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
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(log);
  std::filesystem::remove(log);
}

TEST(EmulateCli, BadArgumentsExitWithUsageAndAClearMessage) {
  int status = -1;
  std::string out = run(std::string(ONSHI_HIL_BINARY) + " emulate reader --usbip 127.0.0.1:99999 --pki /nonexistent-onshi-pki", status);
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_NE(out.find("99999"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists("/nonexistent-onshi-pki"));  // refused before any work
  out = run(std::string(ONSHI_HIL_BINARY) + " rig scan --usbip 127.0.0.1:1", status);
  EXPECT_EQ(WEXITSTATUS(status), 3) << out;  // nothing listens there: environment error, named
  EXPECT_NE(out.find("127.0.0.1:1"), std::string::npos) << out;
}

}  // namespace
