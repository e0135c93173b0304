// `onshi-hil check-receipt-computer` against the reference receipt computer, both as real
// processes: the receipt computer judges every face/ and res/ file the harness writes with its
// own parser (libxml2, iconv CP932), and the harness judges what the receipt computer does.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct SutRig {
  std::string wire = "xml";
  std::string encoding = "utf-8";        // [output] encoding
  std::string rc_encoding = "utf-8";     // the requests the receipt computer writes
  std::string fault = "none";
  std::vector<std::string> extra_args;   // more receipt-computer flags
  std::vector<std::string> command;      // replaces the reference receipt computer's
  std::string ready = "{ stdout = \"watching\" }";
  int ready_timeout = 60;
  int consume_deadline_ms = 15'000;
  bool external = false;
};

std::string toml_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& i : items) out += (out.size() > 1 ? ", " : "") + nlohmann::json(i).dump();
  return out + "]";
}

class ReceiptComputerCheckE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("onshi-sut-e2e-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  fs::path folders() const { return dir_ / "folders"; }

  fs::path write_rig(const SutRig& r) {
    std::vector<std::string> command = r.command;
    if (command.empty()) {
      command = {ONSHI_REFERENCE_RC, "--folder", "{output}", "--encoding", r.rc_encoding, "--fault", r.fault};
      command.insert(command.end(), r.extra_args.begin(), r.extra_args.end());
    }
    std::string text = "name = \"sut-e2e\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n";
    text += "[ons]\nwire = \"" + r.wire + "\"\n";
    text += "[output]\ndir = \"" + folders().string() + "\"\nencoding = \"" + r.encoding + "\"\n";
    text += "[sut]\n";
    if (r.external) {
      text += "external = true\n";
    } else {
      text += "command = " + toml_list(command) + "\nready = " + r.ready + "\nready_timeout = " +
              std::to_string(r.ready_timeout) + "\nstop_timeout = 10\n";
    }
    text += "consume_deadline_ms = " + std::to_string(r.consume_deadline_ms) + "\n";
    text += "journal = \"{output}/rc-journal.jsonl\"\n";
    const fs::path rig = dir_ / "rig.toml";
    std::ofstream(rig) << text;
    return rig;
  }

  testing::ProcessResult check(const fs::path& rig) {
    return testing::run_process({ONSHI_CLI, "check-receipt-computer", "--rig", rig.string(), "--record",
                                 (dir_ / "record.jsonl").string(), "--settle-ms", "200"},
                                {.timeout = 240s});
  }

  // The phase's line of the step table: "  face_taken_up   failed   …  reason".
  static std::string row(const std::string& table, const std::string& phase) {
    std::smatch m;
    if (std::regex_search(table, m, std::regex("\\n\\s*" + phase + "\\s+([a-z]+)[^\\n]*"))) return m[0].str();
    return "";
  }

  nlohmann::json run_ended() const {
    std::ifstream in(dir_ / "record.jsonl");
    nlohmann::json last;
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("event", "") == "run_ended") last = j;
    }
    return last;
  }

  std::vector<nlohmann::json> rc_journal(const std::string& event) const {
    std::vector<nlohmann::json> out;
    std::ifstream in(folders() / "rc-journal.jsonl");
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("event", "") == event) out.push_back(j);
    }
    return out;
  }

  static bool group_alive(int pgid) {
    for (const auto& e : fs::directory_iterator("/proc")) {
      std::ifstream in(e.path() / "stat");
      std::string stat;
      if (!std::getline(in, stat)) continue;
      const auto close = stat.rfind(')');
      if (close == std::string::npos) continue;
      char state = 0;
      long ppid = 0, pgrp = 0;
      if (std::sscanf(stat.c_str() + close + 1, " %c %ld %ld", &state, &ppid, &pgrp) == 3 && pgrp == pgid &&
          state != 'Z') {
        return true;
      }
    }
    return false;
  }

  void expect_passes_and_the_receipt_computer_accepted_everything(const testing::ProcessResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    for (const char* phase : {"sut_start", "reception", "face_taken_up", "sut_request_answered", "answer_taken_up",
                              "sut_journal", "sut_stop"}) {
      EXPECT_NE(row(r.out, phase).find("passed"), std::string::npos) << phase << "\n" << r.out;
    }
    const auto faces = rc_journal("face");
    const auto answers = rc_journal("res");
    ASSERT_EQ(faces.size(), 1u) << r.out;
    ASSERT_EQ(answers.size(), 1u) << r.out;
    for (const auto& entry : {faces[0], answers[0]}) {
      EXPECT_TRUE(entry.value("accepted", false)) << entry.dump();
      EXPECT_EQ(entry.value("action", ""), "archived") << entry.dump();
    }
    EXPECT_EQ(answers[0].value("processing_result_status", ""), "1") << answers[0].dump();
    EXPECT_EQ(answers[0].value("arbitrary_file_identifier", "").rfind("髙～受付", 0), 0u) << answers[0].dump();
    // Taken up means gone from the shared folders, into the receipt computer's archive.
    EXPECT_TRUE(fs::is_empty(folders() / "face"));
    EXPECT_TRUE(fs::is_empty(folders() / "res"));
    EXPECT_FALSE(fs::is_empty(folders() / "rc-archive" / "face"));
  }

  fs::path dir_;
};

TEST_F(ReceiptComputerCheckE2e, TheReferenceReceiptComputerPassesInUtf8AndLeavesNoProcessBehind) {
  const auto r = check(write_rig({}));
  expect_passes_and_the_receipt_computer_accepted_everything(r);
  const auto ended = run_ended();
  ASSERT_TRUE(ended.is_object()) << r.out;
  const auto& attributes = ended["attributes"];
  EXPECT_NE(attributes.value("sut_stdout", "").find("reference receipt computer watching"), std::string::npos)
      << ended.dump();
  EXPECT_NE(attributes.value("sut_exit", "").find("exit code 0"), std::string::npos) << ended.dump();
  EXPECT_EQ(rc_journal("face")[0].value("encoding", ""), "utf-8");
  EXPECT_EQ(rc_journal("face")[0].value("character_code_identifier", ""), "0");
  // The SUT's process group is gone once the run is over.
  std::smatch m;
  const std::string record = testing::read_file(dir_ / "record.jsonl");
  ASSERT_TRUE(std::regex_search(record, m, std::regex("\"process_group\":\"([0-9]+)\""))) << record;
  EXPECT_FALSE(group_alive(std::stoi(m[1].str())));
}

TEST_F(ReceiptComputerCheckE2e, ShiftJisBothWaysIsAcceptedByTheReceiptComputersOwnParser) {
  SutRig rig;
  rig.wire = "xml-sjis";
  rig.encoding = "shift_jis";
  rig.rc_encoding = "shift_jis";
  const auto r = check(write_rig(rig));
  expect_passes_and_the_receipt_computer_accepted_everything(r);
  for (const char* event : {"face", "res"}) {
    const auto entry = rc_journal(event).at(0);
    EXPECT_EQ(entry.value("encoding", ""), "shift_jis") << entry.dump();
    EXPECT_EQ(entry.value("character_code_identifier", ""), "1") << entry.dump();
  }
  const auto requests = rc_journal("request");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].value("encoding", ""), "shift_jis");
}

// The bug this fixes: a rig whose ONS wire is Shift_JIS wrote a UTF-8 face file whose
// CharacterCodeIdentifier said 1 (Shift_JIS), and a receipt computer checking the declaration
// against the bytes refused it.
TEST_F(ReceiptComputerCheckE2e, AShiftJisWireWithUtf8OutputWritesAFaceFileTrueToItsBytes) {
  SutRig rig;
  rig.wire = "xml-sjis";
  const auto r = check(write_rig(rig));
  expect_passes_and_the_receipt_computer_accepted_everything(r);
  const auto face = rc_journal("face").at(0);
  EXPECT_EQ(face.value("encoding", ""), "utf-8") << face.dump();
  EXPECT_EQ(face.value("character_code_identifier", ""), "0") << face.dump();
}

TEST_F(ReceiptComputerCheckE2e, MalformedRequestsAreRefusedByTheTerminalAndTheCheckSaysSo) {
  SutRig rig;
  rig.fault = "malformed-xml";
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string line = row(r.out, "sut_request_answered");
  EXPECT_NE(line.find("failed"), std::string::npos) << r.out;
  EXPECT_NE(line.find("HIL0801"), std::string::npos) << r.out;
  EXPECT_NE(line.find("not well-formed"), std::string::npos) << r.out;
}

TEST_F(ReceiptComputerCheckE2e, ARequestInTheWrongEncodingIsRefusedNamingTheBytes) {
  SutRig rig;
  rig.fault = "wrong-encoding";
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string line = row(r.out, "sut_request_answered");
  EXPECT_NE(line.find("failed"), std::string::npos) << r.out;
  EXPECT_NE(line.find("HIL0801"), std::string::npos) << r.out;
  EXPECT_NE(line.find("UTF-8"), std::string::npos) << r.out;
}

TEST_F(ReceiptComputerCheckE2e, AReceiptComputerThatNeverConsumesLeavesAFaceFileNamedInTheFailure) {
  SutRig rig;
  rig.fault = "never-consume";
  rig.consume_deadline_ms = 1500;
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string line = row(r.out, "face_taken_up");
  EXPECT_NE(line.find("failed"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(line, std::regex("face/OQSsiquc01res_face_1312345678[0-9]+_[0-9]{14}\\.xml was left lying")))
      << r.out;
  EXPECT_NE(row(r.out, "sut_stop").find("skipped"), std::string::npos) << r.out;
}

TEST_F(ReceiptComputerCheckE2e, ASlowReceiptComputerMissesTheDeadline) {
  SutRig rig;
  rig.fault = "slow";
  rig.extra_args = {"--slow-ms", "5000"};
  rig.consume_deadline_ms = 1000;
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string line = row(r.out, "face_taken_up");
  EXPECT_NE(line.find("failed"), std::string::npos) << r.out;
  EXPECT_NE(line.find("not taken up within consume_deadline_ms 1000"), std::string::npos) << r.out;
}

TEST_F(ReceiptComputerCheckE2e, AReceiptComputerThatCrashesMidRunIsNamedBySignal) {
  SutRig rig;
  rig.fault = "crash";
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.out.find("the receipt computer ended mid-run: signal 6 (SIGABRT)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("crashing on purpose"), std::string::npos) << r.out;  // its stderr, in the reason
}

TEST_F(ReceiptComputerCheckE2e, ASutThatExitsMidRunIsNamedByItsExitCode) {
  SutRig rig;
  rig.command = {"/bin/sh", "-c", "echo watching; sleep 0.2; echo 'lost the share' >&2; exit 3"};
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.out.find("the receipt computer ended mid-run: exit code 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lost the share"), std::string::npos) << r.out;
}

TEST_F(ReceiptComputerCheckE2e, ASutThatNeverGetsReadyFailsNamingTheConditionAndTimeout) {
  SutRig rig;
  rig.ready = "{ file = \"{output}/never.ready\" }";
  rig.ready_timeout = 1;
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string line = row(r.out, "sut_start");
  EXPECT_NE(line.find("failed"), std::string::npos) << r.out;
  EXPECT_NE(line.find("was not ready within ready_timeout 1 s"), std::string::npos) << r.out;
  EXPECT_NE(line.find("ready = { file = \"" + (folders() / "never.ready").string() + "\" }"), std::string::npos) << r.out;
}

TEST_F(ReceiptComputerCheckE2e, AFolderTheReceiptComputerCannotWriteIsNamed) {
  // The receipt computer runs as an unprivileged user (root writes anywhere); req/ is root's.
  fs::create_directories(folders() / "req");
  SutRig rig;
  if (::geteuid() == 0) {
    rig.command = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ONSHI_REFERENCE_RC,
                   "--folder", "{output}"};
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  } else {
    fs::permissions(folders() / "req", fs::perms::owner_read | fs::perms::owner_exec);
  }
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string line = row(r.out, "sut_start");
  EXPECT_NE(line.find("failed"), std::string::npos) << r.out;
  EXPECT_NE(line.find("ended before it was ready"), std::string::npos) << r.out;
  EXPECT_NE(line.find("exit code 2"), std::string::npos) << r.out;
  EXPECT_NE(line.find("folder is not writable: " + folders().string()), std::string::npos) << r.out;
  fs::permissions(folders() / "req", fs::perms::owner_all);
}

TEST_F(ReceiptComputerCheckE2e, AnExternalReceiptComputerIsUsedThroughItsFoldersOnly) {
  // Already running, started by someone else: the harness neither starts nor stops it.
  fs::create_directories(folders() / "req");
  fs::create_directories(folders() / "res");
  fs::create_directories(folders() / "face");
  testing::ChildProcess rc({ONSHI_REFERENCE_RC, "--folder", folders().string()}, dir_ / "rc.log");
  ASSERT_TRUE(rc.wait_for_output(std::regex("watching"), 60s));
  SutRig rig;
  rig.external = true;
  const auto r = check(write_rig(rig));
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(row(r.out, "face_taken_up").find("passed"), std::string::npos) << r.out;
  EXPECT_NE(row(r.out, "sut_journal").find("passed"), std::string::npos) << r.out;
  EXPECT_NE(row(r.out, "sut_stop").find("skipped"), std::string::npos) << r.out;  // not ours to stop
  EXPECT_TRUE(rc.running());
  EXPECT_EQ(rc.stop(), 0) << rc.output();
}

}  // namespace
}  // namespace onshi
