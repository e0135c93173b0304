// Card receptions end to end, both programs as separate processes: `onshi-hil receipt-computer
// --receptions` exports an emulated reader over USB/IP and places each patient's virtual card in
// it; `onshi-hil terminal --reader --panel` imports that reader as its [reader] (kind usbip, a
// physical card as a clinic's terminal sees one), runs the reception flow against its own
// embedded mock ONS when a card is placed and writes the face/ file, answering req/ meanwhile.
// The receipt computer matches each face/ file to the reception it drove; a wrong PIN, consents
// other than the patient's, each end in the named failure, and the terminal keeps serving.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "onshi/config/data_paths.hpp"
#include "onshi/population/population.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::read_file;

constexpr const char* kFacility = "1312345678";

// A loopback port nobody listens on right now (the receipt computer binds it next).
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class ReceptionE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pki = std::getenv("ONSHI_TEST_PKI");
    ASSERT_NE(pki, nullptr) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    pki_ = pki;
    dir_ = fs::temp_directory_path() / ("onshi-reception-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    port_ = free_port();
    std::ofstream(dir_ / "rc.toml") << "name = \"e2e-rc\"\n[facility]\ncode = \"" << kFacility << "\"\n[pki]\ndir = \""
                                    << pki_.string() << "\"\n[output]\nkind = \"folder\"\ndir = \"terminal\"\n";
    // The terminal's rig: the reader the receipt computer exports, its card read as physical.
    std::ofstream(dir_ / "terminal.toml") << "name = \"e2e-sut-terminal\"\nscenario = \"pin-ok\"\n[facility]\ncode = \""
                                          << kFacility << "\"\n[card]\nkind = \"physical\"\n[reader]\nkind = \"usbip\"\n"
                                          << "server = \"127.0.0.1:" << port_ << "\"\nbusid = \"1-1\"\n"
                                          << "[ons]\nkind = \"embedded-mock\"\n[pki]\ndir = \"" << pki_.string()
                                          << "\"\n[output]\nkind = \"folder\"\ndir = \"terminal\"\n";
    std::ofstream(dir_ / "session.toml") << "schema = \"onshi-hil/receipt-session/1\"\nanswer_deadline_ms = 60000\n"
                                         << "[[request]]\nname = \"search.P001\"\npatient = \"P001\"\n";
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // The receipt computer, started first: the reader must be exported before the terminal imports it.
  std::unique_ptr<testing::ChildProcess> start_receipt_computer(const fs::path& receptions, int deadline_ms) {
    auto rc = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{ONSHI_CLI, "receipt-computer", "--rig", (dir_ / "rc.toml").string(), "--session",
                                 (dir_ / "session.toml").string(), "--receptions", receptions.string(),
                                 "--export-reader", "127.0.0.1:" + std::to_string(port_), "--deadline-ms",
                                 std::to_string(deadline_ms), "--record", (dir_ / "record.json").string()},
        dir_ / "rc.log");
    EXPECT_TRUE(rc->wait_for_output(std::regex("reader exported: usbip 127\\.0\\.0\\.1:[0-9]+ busid 1-1"), 90s))
        << rc->output();
    return rc;
  }
  std::unique_ptr<testing::ChildProcess> start_terminal(const fs::path& panel) {
    auto terminal = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{ONSHI_CLI, "terminal", "--rig", (dir_ / "terminal.toml").string(), "--reader", "--panel",
                                 panel.string(), "--settle-ms", "300"},
        dir_ / "terminal.log");
    EXPECT_TRUE(terminal->wait_for_output(std::regex("serving reader "), 90s)) << terminal->output();
    return terminal;
  }
  fs::path receptions(const std::string& body) const {
    const fs::path file = dir_ / "receptions.toml";
    std::ofstream(file) << "schema = \"onshi-hil/receipt-receptions/1\"\nname = \"e2e\"\n" << body;
    return file;
  }
  nlohmann::json step(const std::string& name) const {
    const nlohmann::json record = nlohmann::json::parse(read_file(dir_ / "record.json"));
    for (const auto& s : record.at("steps")) {
      if (s.at("name") == name) return s;
    }
    return {};
  }
  std::vector<nlohmann::json> journal() const {
    std::vector<nlohmann::json> lines;
    std::ifstream in(dir_ / "terminal" / "terminal-journal.jsonl");
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  fs::path dir_;
  fs::path pki_;
  std::uint16_t port_ = 0;
};

TEST_F(ReceptionE2eTest, TheShippedReceptionsAreReadByTheTerminalAndEachFaceFileMatchesWhileReqIsAnswered) {
  const auto rc = start_receipt_computer(config::fixtures_dir() / "receipt" / "receptions.toml", 60'000);
  const auto terminal = start_terminal(dir_ / "terminal" / "panel.toml");
  const std::optional<int> code = rc->wait_for_exit(240s);
  ASSERT_TRUE(code.has_value()) << rc->output();
  EXPECT_EQ(*code, 0) << rc->output() << terminal->output();
  EXPECT_NE(rc->output().find("receipt computer: PASSED: 5 of 5"), std::string::npos) << rc->output();
  for (const std::string name : {"reception.pin", "reception.pin-mistyped-once", "reception.face", "reception.replaced"}) {
    const auto s = step(name);
    EXPECT_EQ(s.value("status", ""), "passed") << s.dump();
    EXPECT_NE(s.dump().find("face_ms"), std::string::npos) << s.dump();
  }
  EXPECT_NE(step("reception.face").dump().find("terminal-authentication"), std::string::npos);
  EXPECT_NE(step("reception.pin").dump().find("\"pin\""), std::string::npos);
  // Taken up: face/ is empty; the terminal (stopped first: it journals a reception just after
  // its face/ file) journalled four receptions and the request.
  EXPECT_TRUE(fs::is_empty(dir_ / "terminal" / "face"));
  EXPECT_EQ(terminal->stop(), 0) << terminal->output();
  std::size_t receptions = 0, answered = 0;
  for (const auto& line : journal()) {
    receptions += line.at("event") == "reception" ? 1U : 0U;
    answered += line.at("event") == "answered" ? 1U : 0U;
  }
  EXPECT_EQ(receptions, 4U) << read_file(dir_ / "terminal" / "terminal-journal.jsonl");
  EXPECT_EQ(answered, 1U);
  // The PIN never reaches the terminal's output or journal (as a number of its own: the facility
  // code 1312345678 holds P001's 1234).
  const std::regex pin("(^|[^0-9])" + population::load_population().patient("P001").auth_pin + "([^0-9]|$)");
  EXPECT_FALSE(std::regex_search(terminal->output(), pin)) << terminal->output();
  EXPECT_FALSE(std::regex_search(read_file(dir_ / "terminal" / "terminal-journal.jsonl"), pin));
}

TEST_F(ReceptionE2eTest, AWrongPinIsNamedOnBothSidesAndTheNextReceptionIsStillServed) {
  const fs::path file = receptions(
      "[[reception]]\nname = \"wrong-pin\"\nscenario = \"pin-ok\"\npins = [\"0000\"]\n"
      "[[reception]]\nname = \"right-pin\"\nscenario = \"pin-ok\"\n");
  const auto rc = start_receipt_computer(file, 4000);
  const auto terminal = start_terminal(dir_ / "terminal" / "panel.toml");
  const std::optional<int> code = rc->wait_for_exit(240s);
  ASSERT_TRUE(code.has_value()) << rc->output();
  EXPECT_EQ(*code, 1) << rc->output();
  const auto wrong = step("reception.wrong-pin");
  EXPECT_EQ(wrong.value("status", ""), "failed") << wrong.dump();
  EXPECT_NE(wrong.value("reason", "").find("no face/ file within the deadline of 4000 ms of patient P001's card placed"),
            std::string::npos)
      << wrong.dump();
  EXPECT_NE(wrong.value("reason", "").find("PIN verified 0, refused 1"), std::string::npos) << wrong.dump();
  EXPECT_EQ(step("reception.right-pin").value("status", ""), "passed") << step("reception.right-pin").dump();
  EXPECT_EQ(terminal->stop(), 0) << terminal->output();
  bool named = false;
  for (const auto& line : journal()) {
    named = named || (line.at("event") == "reception_failed" &&
                      line.value("reason", "").starts_with("identity_check: "));
  }
  EXPECT_TRUE(named) << read_file(dir_ / "terminal" / "terminal-journal.jsonl");
}

TEST_F(ReceptionE2eTest, ATerminalThatRecordsOtherConsentsFailsNamingEachConsent) {
  // The terminal reads its own panel file, where every item is refused; the receipt computer's
  // patient consented to medication, checkups and the limit certificate (pin-ok).
  const std::string pin = population::load_population().patient("P001").auth_pin;
  std::ofstream(dir_ / "other-panel.toml") << "scenario = \"consent-refused\"\npins = [\"" << pin << "\"]\n";
  const auto rc = start_receipt_computer(receptions("[[reception]]\nname = \"pin\"\nscenario = \"pin-ok\"\n"), 60'000);
  const auto terminal = start_terminal(dir_ / "other-panel.toml");
  const std::optional<int> code = rc->wait_for_exit(240s);
  ASSERT_TRUE(code.has_value()) << rc->output();
  EXPECT_EQ(*code, 1) << rc->output();
  const std::string reason = step("reception.pin").value("reason", "");
  EXPECT_NE(reason.find("consent medication (PharmacistsInfoConsent) says 0 (not consented), the patient consented"),
            std::string::npos)
      << reason;
  EXPECT_NE(step("reception.pin").dump().find("SpecificHealthCheckupsInfoConsent"), std::string::npos);
  EXPECT_EQ(terminal->stop(), 0) << terminal->output();
}

TEST_F(ReceptionE2eTest, ABadPanelFileIsJournalledNamingFileLineAndKeyAndReqIsStillAnswered) {
  std::ofstream(dir_ / "bad-panel.toml") << "scenario = \"pin-ok\"\npinz = [\"1\"]\n";
  const auto rc = start_receipt_computer(receptions("[[reception]]\nname = \"pin\"\nscenario = \"pin-ok\"\n"), 3000);
  const auto terminal = start_terminal(dir_ / "bad-panel.toml");
  const std::optional<int> code = rc->wait_for_exit(240s);
  ASSERT_TRUE(code.has_value()) << rc->output();
  EXPECT_EQ(*code, 1) << rc->output();
  EXPECT_EQ(step("receipt.search.P001").value("status", ""), "passed") << rc->output();
  EXPECT_EQ(step("reception.pin").value("status", ""), "failed") << rc->output();
  EXPECT_EQ(terminal->stop(), 0) << terminal->output();
  bool named = false;
  for (const auto& line : journal()) {
    const std::string reason = line.value("reason", "");
    named = named || (line.at("event") == "reception_failed" && reason.find("bad-panel.toml:2") != std::string::npos &&
                      reason.find("pinz") != std::string::npos);
  }
  EXPECT_TRUE(named) << read_file(dir_ / "terminal" / "terminal-journal.jsonl");
}

TEST_F(ReceptionE2eTest, ARigLaunchedTerminalFindsTheExportedReaderAndIsStoppedAfterTheReceptions) {
  // [sut]: the receipt computer exports the reader first, then starts the terminal itself.
  std::ofstream(dir_ / "rc.toml", std::ios::app)
      << "[sut]\ncommand = [\"" << ONSHI_CLI << "\", \"terminal\", \"--rig\", \"" << (dir_ / "terminal.toml").string()
      << "\", \"--reader\", \"--panel\", \"" << (dir_ / "terminal" / "panel.toml").string()
      << "\"]\nready = { stdout = \"serving reader\" }\nready_timeout = 90\nstop_timeout = 10\n";
  const auto r = testing::run_process(
      {ONSHI_CLI, "receipt-computer", "--rig", (dir_ / "rc.toml").string(), "--session", (dir_ / "session.toml").string(),
       "--receptions", receptions("[[reception]]\nname = \"pin\"\nscenario = \"pin-ok\"\n").string(),
       "--export-reader", "127.0.0.1:" + std::to_string(port_), "--record", (dir_ / "record.json").string()},
      {.timeout = 240s, .merge_stderr = true});
  EXPECT_EQ(r.exit_code, 0) << r.describe() << r.out;
  EXPECT_NE(r.out.find("receipt computer: PASSED: 2 of 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("terminal under test stopped: exit code 0"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace onshi
