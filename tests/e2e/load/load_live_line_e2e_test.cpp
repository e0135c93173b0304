// `onshi-hil load` at a terminal: under a pseudo-terminal (util-linux `script`), the progress
// is the live two-line block redrawn in place — the totals, then one column per step with its
// p99 so far — instead of the plain "progress:" lines a pipe gets.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "onshi/testing/process.hpp"

namespace onshi::load {
namespace {

TEST(LoadLiveLine, AtATerminalEachStepsP99IsAColumnOfTheLiveLine) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "live-line";
  std::filesystem::remove_all(out);
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr) << "the test_pki fixture sets ONSHI_TEST_PKI";
  const std::vector<std::string> argv = {ONSHI_CLI, "load",  "--rate", "10",          "--duration", "2",
                                         "--readers", "2",    "--out",  out.string(), "--pki",      pki};
  std::string command;
  for (const std::string& arg : argv) command += (command.empty() ? "" : " ") + ("'" + arg + "'");
  // A pty without a window size: the width comes from COLUMNS, wide enough for six columns.
  const auto r = testing::run_process({"script", "-qec", command, "/dev/null"},
                                      {.timeout = std::chrono::seconds(180), .environment = {{"COLUMNS", "300"}}});
  ASSERT_TRUE(r.succeeded()) << r.describe() << "\n" << r.out;
  EXPECT_EQ(r.out.find("progress: "), std::string::npos) << r.out;  // no plain lines at a terminal
  EXPECT_NE(r.out.find("\x1b[1A"), std::string::npos) << r.out;     // the block is redrawn in place
  for (const char* step : {"card_detect", "read_certificate", "identity_check", "consent", "qualification_lookup",
                           "deliver_result"}) {
    EXPECT_TRUE(std::regex_search(r.out, std::regex(std::string("p99 ms[^\\r\\n]*  ") + step + " [0-9]+\\.[0-9]{3}")))
        << step << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("on schedule"), std::string::npos) << r.out;  // then the summary, as in a pipe
}

}  // namespace
}  // namespace onshi::load
