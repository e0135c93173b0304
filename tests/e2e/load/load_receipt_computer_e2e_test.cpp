// `onshi-hil load` against a receipt computer under test (docs/load.md, "A receipt computer
// under load"): the project's reference receipt computer launched from the rig's [sut] as a
// real child process, every reader delivering into its one set of folders, each reception
// gaining the step face_taken_up. A well-behaved one takes every file up and has each of its
// requests answered; a slow one fails a threshold on that step; one that crashes mid-run is
// named by its signal and the run fails. Counts and verdicts only: no wall-clock figure is
// asserted (the slow one leaves each file 300 ms, 15x the threshold it must fail).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "onshi/testing/json_lines.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::load {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

nlohmann::json summary_in(const fs::path& dir) { return testing::json_file(dir / "summary.json"); }

// A rig whose [sut] launches the reference receipt computer with `extra` arguments, its
// folders under `dir`.
fs::path receipt_computer_rig(const fs::path& dir, const std::string& extra, int consume_deadline_ms = 5000) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path rig = dir / "rig.toml";
  std::ofstream out(rig);
  out << "name = \"load-rc\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n[card]\nkind = \"virtual\"\n"
         "[reader]\nkind = \"emulated\"\n[ons]\nkind = \"embedded-mock\"\n[output]\nkind = \"folder\"\ndir = \"folders\"\n"
         "[sut]\ncommand = [\"" ONSHI_REFERENCE_RC "\", \"--folder\", \"{output}\", \"--journal\", \"{output}/rc-journal.jsonl\""
      << extra << "]\nready = { stdout = \"watching\" }\nready_timeout = 30\nstop_timeout = 10\nconsume_deadline_ms = "
      << consume_deadline_ms << "\njournal = \"{output}/rc-journal.jsonl\"\n";
  return rig;
}

std::vector<std::string> load_args(const fs::path& rig, const fs::path& out, std::initializer_list<std::string> more) {
  std::vector<std::string> a{ONSHI_CLI, "load", "--rig", rig.string(), "--rate", "10", "--duration", "2", "--readers",
                             "2", "--out", out.string(), "--pki", std::getenv("ONSHI_TEST_PKI")};
  a.insert(a.end(), more);
  return a;
}

TEST(LoadReceiptComputer, EveryFaceFileIsTakenUpAndEveryRequestAnswered) {
  ASSERT_NE(std::getenv("ONSHI_TEST_PKI"), nullptr);
  const fs::path dir = fs::path(ONSHI_E2E_LOAD_OUT) / "rc-good";
  const fs::path rig = receipt_computer_rig(dir, "");
  const auto r = testing::run_process(load_args(rig, dir / "out", {"--threshold", "face_taken_up.p99 < 4s"}),
                                      {.timeout = 180s});
  ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("system under test: launched: .*onshi-reference-receipt-computer")))
      << r.out;
  const nlohmann::json s = summary_in(dir / "out");
  EXPECT_EQ(s.at("receptions").at("count"), 20);
  EXPECT_EQ(s.at("receptions").at("errors"), 0);
  ASSERT_TRUE(s.at("steps").contains("face_taken_up")) << s.at("steps");
  EXPECT_EQ(s.at("steps").at("face_taken_up").at("count"), 20);
  EXPECT_EQ(s.at("steps").at("face_taken_up").at("errors"), 0);
  const nlohmann::json& sut = s.at("sut");
  EXPECT_EQ(sut.at("exit"), "exit code 0");
  EXPECT_EQ(sut.at("requests_answered"), 20);  // each face file answered with its own inquiry
  EXPECT_EQ(sut.at("requests_refused"), 0);
  EXPECT_EQ(sut.at("files_rejected"), 0);
  EXPECT_EQ(sut.at("files_left"), 0);
  EXPECT_EQ(s.at("verdict"), "passed");
  // The receipt computer's own journal accepted all 20 face files, from both readers.
  std::ifstream journal(dir / "folders" / "rc-journal.jsonl");
  int accepted_faces = 0;
  for (std::string line; std::getline(journal, line);) {
    const nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_object() && e.value("accepted", false) && e.value("file", "").rfind("face/", 0) == 0) ++accepted_faces;
  }
  EXPECT_EQ(accepted_faces, 20);
  std::ifstream hlog(dir / "out" / "histograms.hlog");
  const std::string text((std::istreambuf_iterator<char>(hlog)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("Tag=face_taken_up,"), std::string::npos);
}

TEST(LoadReceiptComputer, ASlowOneFailsTheThresholdOnItsStep) {
  ASSERT_NE(std::getenv("ONSHI_TEST_PKI"), nullptr);
  const fs::path dir = fs::path(ONSHI_E2E_LOAD_OUT) / "rc-slow";
  // It leaves each face file lying 300 ms before it takes it up.
  const fs::path rig = receipt_computer_rig(dir, ", \"--fault\", \"slow\", \"--slow-ms\", \"300\", \"--no-requests\"", 20000);
  const auto r = testing::run_process(load_args(rig, dir / "out", {"--threshold", "face_taken_up.p99 < 20ms"}),
                                      {.timeout = 180s});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << "\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("threshold FAILED: face_taken_up.p99 < 20ms \\(measured [0-9.]+ ms\\)")))
      << r.out;
  const nlohmann::json s = summary_in(dir / "out");
  EXPECT_EQ(s.at("steps").at("face_taken_up").at("count"), 20);
  EXPECT_EQ(s.at("steps").at("face_taken_up").at("errors"), 0);  // slow, never too late
  EXPECT_EQ(s.at("sut").at("files_left"), 0);
  EXPECT_EQ(s.at("verdict"), "failed");
}

TEST(LoadReceiptComputer, OneThatCrashesMidRunIsNamedAndFailsTheRun) {
  ASSERT_NE(std::getenv("ONSHI_TEST_PKI"), nullptr);
  const fs::path dir = fs::path(ONSHI_E2E_LOAD_OUT) / "rc-crash";
  const fs::path rig = receipt_computer_rig(dir, ", \"--fault\", \"crash\", \"--crash-after\", \"3\"", 3000);
  const auto r = testing::run_process(load_args(rig, dir / "out", {}), {.timeout = 180s});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << "\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("the receipt computer ended mid-run: signal 6 \\(SIGABRT\\)"))) << r.out;
  const nlohmann::json s = summary_in(dir / "out");
  EXPECT_EQ(s.at("receptions").at("count"), 20);  // the run went on; the receptions after it failed
  EXPECT_GT(s.at("steps").at("face_taken_up").at("errors").get<int>(), 0);
  EXPECT_GT(s.at("errors_by_reason").value("face_taken_up", 0), 0) << s.at("errors_by_reason");
  ASSERT_FALSE(s.at("sut").at("problems").empty());
  EXPECT_EQ(s.at("verdict"), "failed");
}

}  // namespace
}  // namespace onshi::load
