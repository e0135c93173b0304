// `onshi-hil receipt-computer` end to end: the harness as the receipt computer, in its own
// process, driving a terminal under test through its req/ and res/ folders. The terminal is
// `onshi-hil terminal` as a separate process (with its own rig's embedded mock ONS), or nobody,
// or a fake terminal in this test process that answers the way faulty terminals do.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "onshi/config/data_paths.hpp"
#include "onshi/core/atomic_file.hpp"
#include "onshi/ons/reference_number_registration.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/population/population.hpp"
#include "onshi/terminal/request_name.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::read_file;

constexpr const char* kFacility = "1312345678";

class ReceiptComputerE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pki = std::getenv("ONSHI_TEST_PKI");
    ASSERT_NE(pki, nullptr) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    pki_ = pki;
    dir_ = fs::temp_directory_path() / ("onshi-rc-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // The receipt computer's rig: the facility and the terminal's folders (dir_/terminal).
    std::ofstream(dir_ / "rc.toml") << "name = \"e2e-rc\"\n[facility]\ncode = \"" << kFacility
                                    << "\"\n[output]\nkind = \"folder\"\ndir = \"terminal\"\n";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::all, ignored);
    fs::remove_all(dir_, ignored);
  }

  fs::path root() const { return dir_ / "terminal"; }

  // The terminal under test: `onshi-hil terminal` with its own rig (embedded mock ONS).
  std::unique_ptr<testing::ChildProcess> start_terminal(const std::string& encoding = "utf-8") const {
    std::ofstream(dir_ / "terminal.toml") << "name = \"e2e-sut-terminal\"\n[facility]\ncode = \"" << kFacility
                                          << "\"\n[ons]\nkind = \"embedded-mock\"\n[pki]\ndir = \"" << pki_.string()
                                          << "\"\n[output]\nkind = \"folder\"\ndir = \"terminal\"\nencoding = \""
                                          << encoding << "\"\n";
    auto terminal = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{ONSHI_CLI, "terminal", "--rig", (dir_ / "terminal.toml").string(), "--settle-ms", "300"},
        dir_ / "terminal.log");
    EXPECT_TRUE(terminal->wait_for_output(std::regex("watching .*req/"), 90s));
    return terminal;
  }

  std::vector<std::string> rc(std::vector<std::string> args) const {
    std::vector<std::string> argv = {ONSHI_CLI, "receipt-computer", "--rig", (dir_ / "rc.toml").string(), "--record",
                                     (dir_ / "record.json").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  fs::path write_session(const std::string& requests, int deadline_ms = 60'000) const {
    const fs::path file = dir_ / "session.toml";
    std::ofstream(file) << "schema = \"onshi-hil/receipt-session/1\"\nname = \"e2e\"\nanswer_deadline_ms = " << deadline_ms
                        << "\n" << requests;
    return file;
  }
  nlohmann::json steps() const { return nlohmann::json::parse(read_file(dir_ / "record.json")).at("steps"); }

  fs::path dir_;
  fs::path pki_;
};

std::string requests_for(const std::vector<std::string>& names, const std::string& patient = "P001") {
  std::string out;
  for (const auto& name : names) out += "[[request]]\nname = \"" + name + "\"\npatient = \"" + patient + "\"\n";
  return out;
}

TEST_F(ReceiptComputerE2eTest, TheShippedSessionPassesAgainstTheHarnessTerminalInBothEncodings) {
  for (const std::string encoding : {"utf-8", "shift_jis"}) {
    SCOPED_TRACE(encoding);
    const auto terminal = start_terminal(encoding);
    const auto r = testing::run_process(rc({"--junit", (dir_ / "junit.xml").string()}), {.timeout = 180s});
    EXPECT_TRUE(r.succeeded()) << r.describe() << r.out << terminal->output();
    EXPECT_NE(r.out.find("receipt computer: PASSED: 4 of 4 answers as expected"), std::string::npos) << r.out;
    const auto all = steps();
    ASSERT_EQ(all.size(), 4U);
    for (const auto& step : all) EXPECT_EQ(step.at("status"), "passed") << step.dump();
    // Every answer taken up: res/ empty, the archive holds four, each well-formed for xmllint
    // (UTF-8) or readable as CP932 by iconv (Shift_JIS).
    EXPECT_TRUE(fs::is_empty(root() / "res"));
    std::size_t archived = 0;
    for (const auto& entry : fs::directory_iterator(root() / "receipt-archive")) {
      ++archived;
      const auto judged = encoding == "utf-8"
                              ? testing::run_process({"xmllint", "--noout", entry.path().string()})
                              : testing::run_process({"iconv", "-f", "CP932", "-t", "UTF-8", entry.path().string()});
      EXPECT_TRUE(judged.succeeded()) << judged.describe();
    }
    EXPECT_EQ(archived, 4U);
    const auto junit = testing::run_process({"xmllint", "--noout", (dir_ / "junit.xml").string()});
    EXPECT_TRUE(junit.succeeded()) << junit.describe();
    EXPECT_EQ(terminal->stop(), 0) << terminal->output();
    fs::remove_all(root() / "receipt-archive");
  }
}

TEST_F(ReceiptComputerE2eTest, ATerminalThatNeverAnswersFailsEachRequestNamingTheFileAndTheDeadline) {
  for (const char* sub : {"req", "res"}) fs::create_directories(root() / sub);
  const fs::path session = write_session(requests_for({"first", "second"}), 1500);
  const auto r = testing::run_process(rc({"--session", session.string()}), {.timeout = 120s});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << r.out;
  const auto all = steps();
  ASSERT_EQ(all.size(), 2U);
  for (const auto& step : all) {
    EXPECT_EQ(step.at("status"), "failed");
    const std::string reason = step.at("reason");
    EXPECT_TRUE(std::regex_search(reason, std::regex("^no answer res/OQSsiquc01res_[0-9]{8}_000[12]\\.xml within the "
                                                     "deadline of 1500 ms for req/OQSsiquc01req_[0-9]{8}_000[12]\\.xml")))
        << reason;
    EXPECT_NE(reason.find("is still in req/: not taken up"), std::string::npos) << reason;
  }
  // Both requests were written whole, by rename (no dot-file left behind).
  std::size_t requests = 0;
  for (const auto& entry : fs::directory_iterator(root() / "req")) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
    const auto inquiry = ons::decode_search_inquiry(read_file(entry.path()));
    EXPECT_EQ(inquiry.header.medical_institution_code, kFacility);
    ++requests;
  }
  EXPECT_EQ(requests, 2U);
}

// A terminal that answers each request its own wrong way, in request order, the last one right.
class FakeTerminal {
 public:
  FakeTerminal(fs::path root, std::vector<std::function<std::string(const ons::QualificationSearchInquiry&)>> answers)
      : root_(std::move(root)), answers_(std::move(answers)), thread_([this] { serve(); }) {}
  ~FakeTerminal() {
    stop_ = true;
    thread_.join();
  }

 private:
  void serve() {
    std::size_t next = 0;
    while (!stop_ && next < answers_.size()) {
      std::vector<std::string> names;
      for (const auto& entry : fs::directory_iterator(root_ / "req")) names.push_back(entry.path().filename().string());
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        const fs::path request = root_ / "req" / name;
        if (!terminal::classify_request_name(name)) continue;
        if (next >= answers_.size()) break;
        const auto inquiry = ons::decode_search_inquiry(read_file(request));
        write_file_atomically(root_ / "res" / terminal::response_name(name), answers_[next++](inquiry));
        fs::rename(request, root_ / "trash" / name);
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  fs::path root_;
  std::vector<std::function<std::string(const ons::QualificationSearchInquiry&)>> answers_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// P001's qualification as the ONS answers it, for the request's facility and identifier.
ons::QualificationResult p001_answer(const ons::QualificationSearchInquiry& inquiry) {
  const population::Population population = population::load_population();  // the patient lives in it
  const population::Patient& p001 = population.patient("P001");
  ons::QualificationResult result;
  result.header.process_execution_time = "20261201090000";
  result.header.qualification_confirmation_date = inquiry.header.qualification_confirmation_date;
  result.header.medical_institution_code = inquiry.header.medical_institution_code;
  result.header.arbitrary_file_identifier = inquiry.header.arbitrary_file_identifier.value_or("");
  result.header.reference_classification = ons::ReferenceClassification::insurance_card_info;
  result.body.qualification_validity = ons::QualificationValidity::valid;
  ons::QualificationRecord record;
  record.insurer_number = p001.insurance.insurer_number;
  record.insured_identification_number = p001.insurance.insured_identification_number;
  record.name = p001.name;
  record.birthdate = p001.birthdate;
  result.body.results.push_back(record);
  return result;
}

TEST_F(ReceiptComputerE2eTest, MalformedWronglyEncodedAndWrongAnswersAreEachNamedAndTheNextIsStillAsked) {
  for (const char* sub : {"req", "res", "trash"}) fs::create_directories(root() / sub);
  const auto utf8 = [](const ons::QualificationResult& r) { return ons::encode_xml(r); };
  const auto sjis = [](const ons::QualificationResult& r) {
    return ons::from_canonical(ons::encode_xml(r), {ons::WireSyntax::xml, ons::TextEncoding::shift_jis});
  };
  FakeTerminal fake(root(), {
      // 1: cut short, not well-formed XML.
      [&](const auto& q) { const std::string x = utf8(p001_answer(q)); return x.substr(0, x.size() / 2); },
      // 2: Shift_JIS bytes under a UTF-8 declaration (the name is not valid UTF-8).
      [&](const auto& q) {
        std::string x = sjis(p001_answer(q));
        x.replace(x.find("Shift_JIS"), 9, "UTF-8");
        return x;
      },
      // 3: a Shift_JIS file whose CharacterCodeIdentifier says UTF-8 (the bug issue 10 names).
      [&](const auto& q) {
        std::string x = sjis(p001_answer(q));
        const std::string cci = "<CharacterCodeIdentifier>1</CharacterCodeIdentifier>";
        x.replace(x.find(cci), cci.size(), "<CharacterCodeIdentifier>0</CharacterCodeIdentifier>");
        return x;
      },
      // 4: well-formed, but the wrong QualificationValidity.
      [&](const auto& q) {
        ons::QualificationResult r = p001_answer(q);
        r.body.qualification_validity = ons::QualificationValidity::invalid;
        return utf8(r);
      },
      // 5: right.
      [&](const auto& q) { return utf8(p001_answer(q)); },
  });
  const fs::path session = write_session(requests_for({"truncated", "mis-declared", "wrong-cci", "wrong-validity", "right"}));
  const auto r = testing::run_process(rc({"--session", session.string()}), {.timeout = 180s});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << r.out;
  EXPECT_NE(r.out.find("FAILED: 1 of 5 answers as expected"), std::string::npos) << r.out;
  const auto all = steps();
  ASSERT_EQ(all.size(), 5U);
  const std::vector<std::string> named = {
      "cannot be read as a qualification result",
      "cannot be read as a qualification result",
      "MessageHeader/CharacterCodeIdentifier is '0' but the file is Shift_JIS (expected '1')",
      "MessageBody/QualificationValidity is '2', expected '1'",
  };
  for (std::size_t i = 0; i < named.size(); ++i) {
    SCOPED_TRACE(all[i].at("name").get<std::string>());
    EXPECT_EQ(all[i].at("status"), "failed");
    const std::string reason = all[i].at("reason");
    EXPECT_TRUE(std::regex_search(reason, std::regex("^res/OQSsiquc01res_[0-9]{8}_000" + std::to_string(i + 1) + "\\.xml: ")))
        << reason;
    EXPECT_NE(reason.find(named[i]), std::string::npos) << reason;
  }
  EXPECT_NE(all[1].at("reason").get<std::string>().find("UTF-8"), std::string::npos) << all[1].dump();
  EXPECT_EQ(all[4].at("status"), "passed") << all[4].dump();
}

TEST_F(ReceiptComputerE2eTest, ATerminalKilledMidRunEndsEachWaitNamingItInsteadOfTheDeadline) {
  const auto terminal = start_terminal();
  // Stopped, the terminal is alive but answers nothing; the wait for the first answer is under way
  // when it is killed, well inside the ten-minute deadline.
  terminal->send_signal(SIGSTOP);
  const fs::path session = write_session(requests_for({"first", "second", "third"}), 600'000);
  testing::ChildProcess receipt(rc({"--session", session.string(), "--terminal-pid", std::to_string(terminal->pid())}),
                                dir_ / "rc.log");
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  bool written = false;
  while (!written && std::chrono::steady_clock::now() < deadline) {
    for (const auto& entry : fs::directory_iterator(root() / "req")) {
      written = written || terminal::classify_request_name(entry.path().filename().string()).has_value();
    }
    if (!written) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(written) << receipt.output();
  terminal->send_signal(SIGKILL);
  const std::optional<int> code = receipt.wait_for_exit(120s);
  ASSERT_TRUE(code.has_value()) << "the receipt computer kept waiting for a dead terminal: " << receipt.output();
  EXPECT_EQ(*code, 1) << receipt.output();
  const auto all = steps();
  ASSERT_EQ(all.size(), 3U);
  const std::string first = all[0].at("reason");
  EXPECT_TRUE(std::regex_search(first, std::regex("^the terminal under test ended \\(process [0-9]+ has exited\\) after "
                                                  "[0-9]+ ms without answering req/OQSsiquc01req_")))
      << first;
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_NE(all[i].at("reason").get<std::string>().find("the terminal under test has ended"), std::string::npos)
        << all[i].dump();
  }
}

TEST_F(ReceiptComputerE2eTest, ARigLaunchedTerminalIsStartedAskedAndStoppedAndItsDeathIsNamedWithItsSignal) {
  start_terminal()->stop();  // writes terminal.toml; the rig launches its own
  // [sut]: `onshi-hil terminal` launched by the rig, through a shell that leaves its pid behind so
  // the test can kill it mid-run.
  const fs::path pid_file = dir_ / "terminal.pid";
  const fs::path go_file = dir_ / "go";
  const std::string rig = read_file(dir_ / "rc.toml");
  const auto with_sut = [&](const std::string& ready) {
    std::ofstream(dir_ / "rc.toml")
        << rig << "[sut]\ncommand = [\"/bin/sh\", \"-c\", \"echo $$ > '" << pid_file.string() << ".tmp' && mv '"
        << pid_file.string() << ".tmp' '" << pid_file.string() << "'; exec '" << ONSHI_CLI << "' terminal --rig '"
        << (dir_ / "terminal.toml").string() << "' --settle-ms 300\"]\nready = " << ready
        << "\nready_timeout = 90\nstop_timeout = 10\n";
  };
  with_sut("{ stdout = \"watching .*req/\" }");
  const auto passed = testing::run_process(rc({}), {.timeout = 180s});
  EXPECT_TRUE(passed.succeeded()) << passed.describe() << passed.out;
  EXPECT_NE(passed.out.find("receipt computer: PASSED: 4 of 4"), std::string::npos) << passed.out;
  EXPECT_NE(passed.out.find("terminal under test stopped: exit code 0"), std::string::npos) << passed.out;

  // Killed while the first answer is awaited: the wait ends naming the signal, not the deadline.
  // Ready when the test says so (the go file), so it can stop the terminal first: then the first
  // request is certainly written while nobody answers.
  fs::remove(pid_file);
  with_sut("{ file = \"" + go_file.string() + "\" }");
  std::ofstream(dir_ / "hang.toml") << "schema = \"onshi-hil/receipt-session/1\"\nanswer_deadline_ms = 600000\n"
                                    << requests_for({"first", "second"});
  testing::ChildProcess receipt(rc({"--session", (dir_ / "hang.toml").string()}), dir_ / "rc.log");
  std::string pid;
  const auto until = std::chrono::steady_clock::now() + 120s;
  while (pid.empty() && std::chrono::steady_clock::now() < until) {
    if (fs::exists(pid_file)) pid = read_file(pid_file);
    if (pid.empty()) std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(pid.empty()) << receipt.output();
  // SIGSTOP first so it cannot answer, then ready, then SIGKILL once the request is written.
  ASSERT_EQ(::kill(std::stoi(pid), SIGSTOP), 0);
  std::ofstream(go_file) << "go\n";
  bool written = false;
  while (!written && std::chrono::steady_clock::now() < until) {
    for (const auto& entry : fs::directory_iterator(root() / "req")) {
      written = written || terminal::classify_request_name(entry.path().filename().string()).has_value();
    }
    if (!written) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(written) << receipt.output();
  ASSERT_EQ(::kill(std::stoi(pid), SIGKILL), 0);
  const std::optional<int> code = receipt.wait_for_exit(120s);
  ASSERT_TRUE(code.has_value()) << receipt.output();
  EXPECT_EQ(*code, 1) << receipt.output();
  const auto all = steps();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_NE(all[0].at("reason").get<std::string>().find("the terminal under test ended (signal 9"), std::string::npos)
      << all[0].dump();
  EXPECT_NE(all[1].at("reason").get<std::string>().find("the terminal under test has ended (signal 9"), std::string::npos)
      << all[1].dump();
}

// Medication, checkup and the bulk pair against `onshi-hil terminal` asking a standalone mock
// ONS, after a real card reception (`onshi-hil run`, scenario pin-ok) put P001's consents to
// medication and checkups on record there: consented → the information, not consented (P003) →
// the mock's HIL0430, bulk → every listed person's result, fetched again while 処理中.
// Request files in UTF-8 and Shift_JIS.
TEST_F(ReceiptComputerE2eTest, MedicationCheckupAndBulkRequestsAreAnsweredAsTheMockDecides) {
  testing::ChildProcess mock({ONSHI_CLI, "mock", "ons", "--pki", pki_.string(), "--port", "0", "--bulk-delay-ms", "3000"},
                             dir_ / "mock.log");
  std::vector<std::string> port;
  ASSERT_TRUE(mock.wait_for_output(std::regex("listening on https://[^:]+:([0-9]+)"), 90s, &port)) << mock.output();
  const std::string ons = "[ons]\nkind = \"remote\"\nurl = \"https://127.0.0.1:" + port[1] + "\"\nserver_ca = \"" +
                          (pki_ / "ons-ca" / "cert.pem").string() + "\"\nclient_cert = \"" +
                          (pki_ / "terminals" / kFacility / "cert.pem").string() + "\"\nclient_key = \"" +
                          (pki_ / "terminals" / kFacility / "key.pem").string() + "\"\n[pki]\ndir = \"" + pki_.string() +
                          "\"\n[facility]\ncode = \"" + kFacility + "\"\n";
  std::ofstream(dir_ / "reception.toml") << "name = \"e2e-reception\"\nscenario = \"pin-ok\"\n[card]\nkind = \"virtual\"\n"
                                            "[reader]\nkind = \"emulated\"\n[output]\nkind = \"folder\"\ndir = \"reception\"\n"
                                         << ons;
  const auto reception = testing::run_process({ONSHI_CLI, "run", "--rig", (dir_ / "reception.toml").string()},
                                              {.timeout = 180s});
  ASSERT_TRUE(reception.succeeded()) << reception.describe() << reception.out << mock.output();

  std::ofstream(dir_ / "terminal.toml") << "name = \"e2e-sut-terminal\"\n[output]\nkind = \"folder\"\ndir = \"terminal\"\n"
                                        << ons;
  testing::ChildProcess terminal(
      {ONSHI_CLI, "terminal", "--rig", (dir_ / "terminal.toml").string(), "--settle-ms", "300"}, dir_ / "terminal.log");
  ASSERT_TRUE(terminal.wait_for_output(std::regex("watching .*req/"), 90s)) << terminal.output();

  const fs::path session = write_session(
      "[[request]]\nname = \"medication.P001\"\npatient = \"P001\"\nbody = \"medication\"\n"
      "[[request]]\nname = \"checkup.P001.shift_jis\"\npatient = \"P001\"\nbody = \"checkup\"\n"
      "encoding = \"shift_jis\"\nidentifier = \"健診-髙～\"\n"
      "[[request]]\nname = \"medication.P003.refused\"\npatient = \"P003\"\nbody = \"medication\"\n"
      "[request.expect]\nconsented = false\n"
      "[[request]]\nname = \"bulk.shift_jis\"\nbody = \"bulk\"\nencoding = \"shift_jis\"\n"
      "patients = [\"P001\", \"P002\", \"P004\"]\n");
  const auto r = testing::run_process(rc({"--session", session.string()}), {.timeout = 180s});
  EXPECT_TRUE(r.succeeded()) << r.describe() << r.out << terminal.output();
  EXPECT_NE(r.out.find("receipt computer: PASSED: 4 of 4 answers as expected"), std::string::npos) << r.out;
  const auto all = steps();
  ASSERT_EQ(all.size(), 4U);
  for (const auto& step : all) EXPECT_EQ(step.at("status"), "passed") << step.dump();
  // The bulk step fetched until the mock's 3 s were up, each fetch a new file (at least two
  // unless this machine took 3 s from one answer to the next request).
  double fetches = 0;
  for (const auto& m : all[3].at("measurements")) {
    if (m.at("name") == "bulk_fetches") fetches = m.at("value").get<double>();
  }
  EXPECT_GE(fetches, 1.0) << all[3].dump();
  std::size_t fetch_files = 0;
  for (const auto& entry : fs::directory_iterator(root() / "receipt-archive")) {
    fetch_files += entry.path().filename().string().starts_with("OQSmuquc02res_") ? 1U : 0U;
  }
  EXPECT_EQ(static_cast<double>(fetch_files), fetches);
  EXPECT_TRUE(fs::is_empty(root() / "res"));
  EXPECT_EQ(terminal.stop(), 0) << terminal.output();

  // A terminal whose ONS says no consent for P001 either (the embedded mock, which saw no card):
  // the consented expectation fails naming the refusal.
  fs::remove_all(root());
  const auto embedded = start_terminal();
  const fs::path consented = write_session("[[request]]\nname = \"medication.P001\"\npatient = \"P001\"\nbody = \"medication\"\n");
  const auto refused = testing::run_process(rc({"--session", consented.string()}), {.timeout = 180s});
  EXPECT_EQ(refused.exit_code, 1) << refused.describe() << refused.out;
  const std::string reason = steps().at(0).at("reason");
  EXPECT_TRUE(std::regex_search(reason, std::regex("^res/YZKsiquc01res_[0-9]{8}_0001\\.xml: MessageHeader/SegmentOfResult is "
                                                   "'9', expected '1'")))
      << reason;
  EXPECT_EQ(embedded->stop(), 0) << embedded->output();
}

// The bulk 照会番号 registration through `onshi-hil terminal` (its embedded mock ONS): an
// OQSmuimm01req_ file gets the ReceptionNumber, OQSmuimm02req_ files fetch the result, 処理中
// until the mock's job is ready, then one result per person.
TEST_F(ReceiptComputerE2eTest, TheTerminalAnswersTheBulkReferenceNumberRegistrationInBothEncodings) {
  const population::Population population = population::load_population();
  for (const std::string encoding : {"utf-8", "shift_jis"}) {
    SCOPED_TRACE(encoding);
    fs::remove_all(root());
    const auto terminal = start_terminal(encoding);
    const ons::TextEncoding request_encoding =
        encoding == "utf-8" ? ons::TextEncoding::shift_jis : ons::TextEncoding::utf8;  // the other way round
    const auto drop = [&](const std::string& name, const std::string& canonical) {
      const std::string bytes = ons::from_canonical(canonical, {ons::WireSyntax::xml, request_encoding});
      write_file_atomically(root() / "req" / name, bytes);
    };
    const auto answer_of = [&](const std::string& name) {
      const fs::path file = root() / "res" / terminal::response_name(name);
      const auto until = std::chrono::steady_clock::now() + 90s;
      while (!fs::exists(file) && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
      const std::string bytes = read_file(file);
      EXPECT_EQ(ons::declared_xml_encoding(bytes),
                encoding == "utf-8" ? ons::TextEncoding::utf8 : ons::TextEncoding::shift_jis);
      fs::remove(file);
      return ons::decode_reference_number_result(ons::to_canonical(bytes, ons::WireSyntax::xml, {}, {}).xml);
    };
    ons::ReferenceNumberRegistration registration;
    registration.header = {"20261201", kFacility, std::string("照会番号-髙～")};
    for (const char* id : {"P001", "P002"}) {
      const population::Patient& p = population.patient(id);
      registration.entries.push_back({p.insurance.insurer_number,
                                      p.insurance.insured_card_symbol.empty() ? std::nullopt
                                                                              : std::optional(p.insurance.insured_card_symbol),
                                      p.insurance.insured_identification_number,
                                      p.insurance.insured_branch_number.empty()
                                          ? std::nullopt
                                          : std::optional(p.insurance.insured_branch_number),
                                      p.birthdate, std::string("K") + id, std::string(id)});
    }
    registration.entries.push_back({"06132013", std::nullopt, "0000", std::nullopt, "19850412", "K9", std::string("nobody")});
    drop("OQSmuimm01req_20261201_0001.xml", ons::encode_xml(registration));
    const ons::ReferenceNumberResult receipt = answer_of("OQSmuimm01req_20261201_0001.xml");
    ASSERT_EQ(receipt.segment_of_result, ons::SegmentOfResult::processing) << receipt.error_message.value_or("");
    EXPECT_EQ(receipt.arbitrary_file_identifier, "照会番号-髙～");
    ASSERT_FALSE(receipt.reception_number.empty());

    ons::ReferenceNumberResult result;
    unsigned fetches = 0;
    do {
      const std::string name = "OQSmuimm02req_20261201_" + std::to_string(1000 + ++fetches) + ".xml";
      drop(name, ons::encode_xml(ons::BulkFetch{kFacility, receipt.reception_number}));
      result = answer_of(name);
      if (result.segment_of_result == ons::SegmentOfResult::processing) std::this_thread::sleep_for(200ms);
    } while (result.segment_of_result == ons::SegmentOfResult::processing && fetches < 200);
    ASSERT_EQ(result.segment_of_result, ons::SegmentOfResult::normal_end) << result.error_message.value_or("");
    ASSERT_EQ(result.items.size(), 3U);
    EXPECT_EQ(result.items[0].arbitrary_identifier, "P001");
    EXPECT_EQ(result.items[0].processing_result_status, ons::ProcessingResultStatus::normal_end);
    EXPECT_EQ(result.items[1].reference_number, "KP002");
    EXPECT_EQ(result.items[2].processing_result_code, "HIL0440");
    EXPECT_EQ(result.number_of_normal_processing, 2U);
    const std::string journal = read_file(root() / "terminal-journal.jsonl");
    EXPECT_NE(journal.find("reference_submit"), std::string::npos) << journal;
    EXPECT_NE(journal.find("reference_fetch"), std::string::npos) << journal;
    EXPECT_EQ(terminal->stop(), 0) << terminal->output();
  }
}

TEST_F(ReceiptComputerE2eTest, AReqFolderItMayNotWriteIsANamedFailureForEveryRequest) {
  for (const char* sub : {"req", "res", "face"}) fs::create_directories(root() / sub);
  // Run as nobody (root writes anywhere): req/ stays root's, mode 0755; the rest readable.
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  const fs::path session = write_session(requests_for({"first", "second"}), 2000);
  // Its record goes where nobody may write (fs::temp_directory_path() is world-writable).
  const fs::path record = fs::temp_directory_path() / (dir_.filename().string() + "-record.json");
  const auto r = testing::run_process({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ONSHI_CLI,
                                       "receipt-computer", "--rig", (dir_ / "rc.toml").string(), "--session",
                                       session.string(), "--record", record.string()},
                                      {.timeout = 120s});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << r.out;
  const auto all = nlohmann::json::parse(read_file(record)).at("steps");
  fs::remove(record);
  ASSERT_EQ(all.size(), 2U);
  for (const auto& step : all) {
    EXPECT_EQ(step.at("status"), "failed");
    const std::string reason = step.at("reason");
    EXPECT_NE(reason.find("was not written: cannot write a request into the terminal's req/ folder: Permission denied"),
              std::string::npos)
        << reason;
    EXPECT_NE(reason.find((root() / "req").string()), std::string::npos) << reason;
  }
}

}  // namespace
}  // namespace onshi
