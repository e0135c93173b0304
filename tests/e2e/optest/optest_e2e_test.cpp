// The operational test as a vendor runs it, on the default emulated rig, as a child process:
// exit 0 with every check the emulated rig can do passed and the rest skipped with reasons;
// the evidence bundle verifies with the real `openssl cms -verify` and with `onshi-hil
// evidence verify`, and one flipped byte fails both; no PIN, My Number or card number of the
// synthetic population is anywhere in the bundle (docs/optest.md).
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "onshi/population/population.hpp"
#include "onshi/testing/json_lines.hpp"
#include "onshi/testing/process.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::testing::ended_phases;
using onshi::testing::json_lines;
using onshi::testing::read_file;
using onshi::testing::run_process;

fs::path rig_file_of_default() { return fs::path(ONSHI_SOURCE_DIR) / "rigs" / "emulated.toml"; }


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
                            "reception.qualification_replaced", "reception.pin_locked", "reception.expired_certificate",
                            "reader.hot_plug", "information_viewing.three_setups", "load.smoke"}) {
    EXPECT_EQ(passed.count(check), 1u) << check;
  }
  // Information viewing: three set-ups, three PCs' certificates, each named by the ONS journal.
  for (const auto& step : record.at("steps")) {
    if (step.at("name") != "information_viewing.three_setups") continue;
    const nlohmann::json& details = step.at("details");
    const std::string all = details.dump();
    std::set<std::string> certificates;
    for (const char* setup : {"ehr", "viewing_terminal", "reception_terminal"}) {
      const std::string key = std::string(setup) + ".pc_certificate_sha256";
      ASSERT_NE(all.find(key), std::string::npos) << setup << ": " << all;
      EXPECT_NE(all.find(std::string(setup) + ".journal_client_sha256"), std::string::npos) << setup << ": " << all;
      EXPECT_NE(all.find(std::string(setup) + ".refused"), std::string::npos) << setup << ": " << all;
    }
    for (const auto& m : step.at("measurements")) {
      const std::string name = m.at("name");
      if (name.ends_with(".answered_after_consent")) {
        EXPECT_EQ(m.at("value").get<double>(), 2.0) << name;
      }
      if (name.ends_with(".answered_before_consent")) {
        EXPECT_EQ(m.at("value").get<double>(), 0.0) << name;
      }
    }
    EXPECT_NE(all.find("HIL0430"), std::string::npos) << "refused for want of consent: " << all;
  }
  // The hot-plug check on the emulated rig: the harness answered its prompt and pulled the reader
  // itself, the reception it pulled it from ended naming the unplug, the next one passed.
  for (const auto& step : record.at("steps")) {
    if (step.at("name") != "reader.hot_plug") continue;
    const std::string details = step.at("details").dump();
    EXPECT_NE(details.find("the harness (emulated rig)"), std::string::npos) << details;
    EXPECT_NE(details.find("fault = \\\"unplug\\\""), std::string::npos) << details;
    EXPECT_TRUE(std::regex_search(details, std::regex("unplugged_reception_ended.*(unplug|attached|vanish)"))) << details;
  }
  EXPECT_EQ(skipped, (std::set<std::string>{"receipt_computer.insurance_card_path"}));
  // The load smoke's thresholds (fixtures/optest/checklist.toml), each a measurement with its limit.
  std::map<std::string, nlohmann::json> load_measurements;
  for (const auto& step : record.at("steps")) {
    if (step.at("name") != "load.smoke") continue;
    for (const auto& m : step.at("measurements")) load_measurements[m.at("name").get<std::string>()] = m;
  }
  for (const char* threshold : {"threshold.reception.p99", "threshold.errors.rate", "threshold.throughput"}) {
    ASSERT_EQ(load_measurements.count(threshold), 1u) << threshold;
    EXPECT_EQ(load_measurements[threshold].at("verdict"), "pass") << load_measurements[threshold];
    EXPECT_FALSE(load_measurements[threshold].at("limits").is_null()) << threshold;
  }
  EXPECT_EQ(load_measurements["receptions"].at("value").get<double>(), 20.0) << "2 s at 10/s";
  EXPECT_EQ(load_measurements["reception_errors"].at("value").get<double>(), 0.0);
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

// A remote ONS that refuses connections, met only *during* a reception (the checklist has no
// connectivity check to find it first): the reception check is an error, exit 3, not failed.
TEST_F(OptestE2e, RefusedConnectionDuringAReceptionIsAnErrorNotAFailure) {
  const fs::path dir = *work_ / "refused-mid-reception";
  fs::create_directories(dir);
  std::ofstream(dir / "rig.toml") << "name = \"refused\"\n[facility]\ncode = \"1312345678\"\n[ons]\nkind = \"remote\"\n"
                                  << "url = \"https://127.0.0.1:9\"\n"
                                  << "server_ca = \"" << (*pki_ / "ons-ca/cert.pem").string() << "\"\n"
                                  << "client_cert = \"" << (*pki_ / "terminals/1312345678/cert.pem").string() << "\"\n"
                                  << "client_key = \"" << (*pki_ / "terminals/1312345678/key.pem").string() << "\"\n";
  const auto r = run_process({ONSHI_CLI, "optest", "--rig", (dir / "rig.toml").string(), "--checklist",
                              (fs::path(ONSHI_OPTEST_DATA_DIR) / "reception-only.toml").string(), "--pki",
                              pki_->string(), "--output", (dir / "out").string(), "--evidence",
                              (dir / "evidence").string()},
                             {.timeout = 300s});
  EXPECT_EQ(r.exit_code, 3) << r.describe() << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("reception\\.pin +error .*the rig is broken: scenario pin-ok, step "
                                                  "qualification_lookup: .*127\\.0\\.0\\.1:9")))
      << r.out;
  const nlohmann::json record = nlohmann::json::parse(read_file(dir / "evidence" / "record.json"));
  EXPECT_EQ(record.at("steps").at(0).at("status"), "error") << record.at("steps").at(0).dump();
}

// An ONS that takes the card inquiry and never answers in time: the check is an error that
// names the rig setting bounding the wait, [ons] timeout_ms, with its value and the rig file.
TEST_F(OptestE2e, AStalledAnswerIsATimeoutNamingTheRigSetting) {
  const fs::path dir = *work_ / "stalled";
  const fs::path rig = fs::path(ONSHI_OPTEST_DATA_DIR) / "stalled-ons.toml";
  const auto r = run_process({ONSHI_CLI, "optest", "--rig", rig.string(), "--checklist",
                              (fs::path(ONSHI_OPTEST_DATA_DIR) / "reception-only.toml").string(), "--pki",
                              pki_->string(), "--output", (dir / "out").string()},
                             {.timeout = 300s});
  EXPECT_EQ(r.exit_code, 3) << r.describe() << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("reception\\.pin +error .*timed out after 400 ms.*\\[ons\\] "
                                                  "timeout_ms = 400 ms in .*stalled-ons\\.toml")))
      << r.out;
}

fs::path data(const std::string& name) { return fs::path(ONSHI_OPTEST_DATA_DIR) / name; }

// A prompt nobody answers: unattended (stdin is not a terminal) and no answers file, the check
// fails at once saying so; with the answers file it passes; at a terminal where nobody types,
// it fails when its timeout (2 s) runs out — never a hang.
TEST_F(OptestE2e, APromptWithNoAnswerFailsItsCheckAttendedOrNot) {
  const fs::path dir = *work_ / "prompts";
  const std::vector<std::string> base = {ONSHI_CLI, "optest", "--checklist", data("witness.toml").string(), "--pki",
                                         pki_->string(), "--output", (dir / "out").string()};
  const auto unattended = run_process(base, {.timeout = 120s});
  EXPECT_EQ(unattended.exit_code, 1) << unattended.describe() << unattended.out;
  EXPECT_TRUE(std::regex_search(unattended.out, std::regex("witness\\.staff_watched +failed .*no answer to the operator "
                                                           "prompt .*unattended")))
      << unattended.out;

  std::vector<std::string> answered = base;
  answered.insert(answered.end(), {"--answers", data("witness-answers.toml").string()});
  const auto with_answers = run_process(answered, {.timeout = 120s});
  EXPECT_EQ(with_answers.exit_code, 0) << with_answers.describe() << with_answers.out;

  // script(1) gives the child a pseudo-terminal as stdin and stdout; nobody types on it.
  std::string command;
  for (const std::string& arg : base) command += (command.empty() ? "" : " ") + ("'" + arg + "'");
  const auto at_terminal = run_process({"script", "-qec", command, "/dev/null"}, {.timeout = 120s});
  EXPECT_FALSE(at_terminal.timed_out) << at_terminal.describe();
  EXPECT_EQ(at_terminal.exit_code, 1) << at_terminal.describe() << at_terminal.out;
  EXPECT_NE(at_terminal.out.find("Did the clinic's staff watch the test?  [y]es / [n]o (within 2 s)"), std::string::npos)
      << at_terminal.out;
  EXPECT_TRUE(std::regex_search(at_terminal.out, std::regex("witness\\.staff_watched +failed .*no answer within 2 s")))
      << at_terminal.out;
}

// kill -9 in the middle of an operational test (in its reception, which the ONS answers only
// after 20 s): record.jsonl's every line is whole JSON, one phase_ended per finished check and
// none for the one killed; the next run into the same folder starts cleanly and its bundle
// verifies.
TEST_F(OptestE2e, ARunKilledMidwayKeepsEveryFinishedCheckAndTheNextRunStartsCleanly) {
  const fs::path dir = *work_ / "killed";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path jsonl = dir / "evidence" / "record.jsonl";
  const auto args = [&](const fs::path& rig, const std::string& checklist) {
    return std::vector<std::string>{ONSHI_CLI,   "optest",      "--rig",  rig.string(), "--checklist",
                                    data(checklist).string(), "--pki", pki_->string(), "--output",
                                    (dir / "out").string(),    "--evidence", (dir / "evidence").string()};
  };
  {
    onshi::testing::ChildProcess run(args(data("slow-ons.toml"), "connectivity-then-reception.toml"), dir / "killed.log");
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    bool in_reception = false;
    while (!in_reception && std::chrono::steady_clock::now() < deadline && run.running()) {
      in_reception = read_file(jsonl).find(R"("phase":"connectivity.search_inquiry","status")") != std::string::npos;
      if (!in_reception) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(in_reception) << "the run never reached its reception; output:\n" << run.output();
    run.send_signal(SIGKILL);
    EXPECT_EQ(run.stop(), 128 + SIGKILL) << run.output();
  }
  const std::vector<nlohmann::json> killed = json_lines(jsonl);
  ASSERT_FALSE(killed.empty());
  EXPECT_EQ(killed.front().value("event", ""), "run_started");
  EXPECT_EQ(ended_phases(killed), (std::vector<std::string>{"connectivity.tcp_connect", "connectivity.tls_handshake",
                                                            "connectivity.search_inquiry"}));
  for (const auto& line : killed) EXPECT_NE(line.value("event", ""), "run_ended") << "the killed run cannot have ended";
  EXPECT_FALSE(fs::exists(dir / "evidence" / "manifest.json")) << "a killed run signs nothing";

  const auto next = run_process(args(rig_file_of_default(), "connectivity-then-reception.toml"), {.timeout = 300s});
  ASSERT_TRUE(next.succeeded()) << next.describe() << next.out;
  const std::vector<nlohmann::json> fresh = json_lines(jsonl);
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(fresh.front().value("event", ""), "run_started") << "the new record starts with the new run";
  EXPECT_EQ(fresh.back().value("event", ""), "run_ended");
  EXPECT_EQ(ended_phases(fresh).size(), 4u);
  const auto verified = evidence_verify(dir / "evidence");
  EXPECT_TRUE(verified.succeeded()) << verified.describe() << verified.out;
}

// Physical test cards are precious: a reader exported by another process (`emulate reader`)
// holds P002's card and the rig reads it as a physical card over USB/IP. A scenario expecting
// P001's card stops before any PIN; a scenario that does not mean to lock the PIN never spends
// the last try (the next reception finds one try left); one that means to lock it asks the
// operator first — unattended without an answer the try is kept, with "lock" in the answers
// file the PIN is locked as the scenario expects.
TEST_F(OptestE2e, APhysicalCardIsCheckedBeforeAnyPinAndItsLastTryIsKept) {
  const fs::path dir = *work_ / "card-guard";
  fs::remove_all(dir);
  fs::create_directories(dir);
  onshi::testing::ChildProcess reader({ONSHI_CLI, "emulate", "reader", "--usbip", "127.0.0.1:0", "--patient", "P002",
                                       "--pki", pki_->string()},
                                      dir / "reader.log");
  std::vector<std::string> port;
  ASSERT_TRUE(reader.wait_for_output(std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid"), 60s, &port));
  std::ofstream(dir / "rig.toml") << "name = \"physical-p002\"\nscenario_catalogue = \""
                                  << data("guard-scenarios.toml").string() << "\"\n[facility]\ncode = \"1312345678\"\n"
                                  << "[card]\nkind = \"physical\"\n[reader]\nkind = \"usbip\"\nserver = \"127.0.0.1:"
                                  << port[1] << "\"\nbusid = \"1-1\"\n";
  const auto run = [&](const std::string& scenario) {
    return run_process({ONSHI_CLI, "run", "--rig", (dir / "rig.toml").string(), "--scenario", scenario, "--pki",
                        pki_->string(), "--output", (dir / "out").string(), "--record",
                        (dir / (scenario + ".json")).string()},
                       {.timeout = 120s});
  };
  const auto wrong_card = run("p001-pin-ok");
  EXPECT_EQ(wrong_card.exit_code, 1) << wrong_card.describe() << wrong_card.out;
  EXPECT_TRUE(std::regex_search(wrong_card.out, std::regex("read_certificate +failed .*not the one scenario p001-pin-ok "
                                                           "expects.*no PIN was sent")))
      << wrong_card.out;

  const auto three_wrong = run("p002-three-wrong");
  EXPECT_EQ(three_wrong.exit_code, 1) << three_wrong.describe() << three_wrong.out;
  EXPECT_TRUE(std::regex_search(three_wrong.out, std::regex("identity_check +failed .*1 user-authentication PIN try "
                                                            "left and entry 3 is not the correct PIN")))
      << three_wrong.out;

  const auto right_pin = run("p002-pin-ok");
  ASSERT_EQ(right_pin.exit_code, 0) << right_pin.describe() << right_pin.out;
  const nlohmann::json record = nlohmann::json::parse(read_file(dir / "p002-pin-ok.json"));
  double tries_before = -1;
  for (const auto& step : record.at("steps")) {
    if (step.at("name") != "identity_check") continue;
    for (const auto& m : step.at("measurements")) {
      if (m.at("name") == "tries_left_before") tries_before = m.at("value").get<double>();
    }
  }
  // The wrong card lost no try, and the wrong-PIN run spent two of three and kept the last.
  EXPECT_EQ(tries_before, 1.0) << right_pin.out;

  // p002-pin-locked: two wrong tries, then the last one asks first.
  const auto optest = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {ONSHI_CLI, "optest", "--rig", (dir / "rig.toml").string(), "--checklist",
                                     data("guard-checklist.toml").string(), "--pki", pki_->string(), "--output",
                                     (dir / "out").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, {.timeout = 120s});
  };
  const auto unattended = optest({});
  EXPECT_EQ(unattended.exit_code, 1) << unattended.describe() << unattended.out;
  EXPECT_TRUE(std::regex_search(unattended.out, std::regex("reception\\.lock +failed .*the operator did not agree to "
                                                           "spend the card's last PIN try")))
      << unattended.out;
  const auto agreed = optest({"--answers", data("guard-lock-answers.toml").string()});
  EXPECT_EQ(agreed.exit_code, 0) << agreed.describe() << agreed.out;
  EXPECT_TRUE(std::regex_search(agreed.out, std::regex("reception\\.lock +passed"))) << agreed.out;
  EXPECT_TRUE(std::regex_search(agreed.out, std::regex("load\\.smoke +skipped .*load generator .*card physical, "
                                                       "reader usbip")))
      << agreed.out;
}

// The hot-plug prompt on a physical rig (a USB/IP reader another process exports): on a
// pseudo-terminal (script(1)) with nobody typing, the prompt is shown and times out into a
// failed check; unattended with the answers file's "done", the reception after the replug runs
// through the physical reader and passes.
TEST_F(OptestE2e, TheHotPlugPromptAsksAPersonOnAPhysicalRig) {
  const fs::path dir = *work_ / "hot-plug";
  fs::remove_all(dir);
  fs::create_directories(dir);
  onshi::testing::ChildProcess reader({ONSHI_CLI, "emulate", "reader", "--usbip", "127.0.0.1:0", "--patient", "P001",
                                       "--pki", pki_->string()},
                                      dir / "reader.log");
  std::vector<std::string> port;
  ASSERT_TRUE(reader.wait_for_output(std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid"), 60s, &port));
  std::ofstream(dir / "rig.toml") << "name = \"physical-hot-plug\"\n[facility]\ncode = \"1312345678\"\n"
                                  << "[card]\nkind = \"physical\"\n[reader]\nkind = \"usbip\"\nserver = \"127.0.0.1:"
                                  << port[1] << "\"\nbusid = \"1-1\"\n";
  const std::vector<std::string> base = {ONSHI_CLI, "optest", "--rig", (dir / "rig.toml").string(), "--checklist",
                                         data("hot-plug.toml").string(), "--pki", pki_->string(), "--output",
                                         (dir / "out").string()};
  std::string command;
  for (const std::string& arg : base) command += (command.empty() ? "" : " ") + ("'" + arg + "'");
  const auto at_terminal = run_process({"script", "-qec", command, "/dev/null"}, {.timeout = 120s});
  EXPECT_FALSE(at_terminal.timed_out) << at_terminal.describe();
  EXPECT_EQ(at_terminal.exit_code, 1) << at_terminal.describe() << at_terminal.out;
  EXPECT_NE(at_terminal.out.find("Pull the card reader's cable out, plug it back in, then press [d]one  [d]one / "
                                 "[n]ot-possible (within 2 s)"),
            std::string::npos)
      << at_terminal.out;
  EXPECT_TRUE(std::regex_search(at_terminal.out, std::regex("reader\\.hot_plug +failed .*no answer within 2 s")))
      << at_terminal.out;

  std::vector<std::string> answered = base;
  answered.insert(answered.end(), {"--answers", data("hot-plug-answers.toml").string()});
  const auto with_answers = run_process(answered, {.timeout = 120s});
  EXPECT_EQ(with_answers.exit_code, 0) << with_answers.describe() << with_answers.out;
  EXPECT_TRUE(std::regex_search(with_answers.out, std::regex("reader\\.hot_plug +passed"))) << with_answers.out;
}

// The receipt-computer link on a rig whose [sut] is the project's reference receipt computer
// (reference-sut/receipt-computer): the face file taken up, its own request answered and taken
// up, its journal accepting every file; the check passes with those phases as its details.
TEST_F(OptestE2e, TheReceiptComputerLinkRunsWhenTheRigHasASut) {
  const fs::path dir = *work_ / "receipt-computer";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "rig.toml") << "name = \"sut-rc\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n"
                                  << "[output]\nkind = \"folder\"\ndir = \"out\"\n[sut]\ncommand = [\"" ONSHI_REFERENCE_RC "\", "
                                  << "\"--folder\", \"{output}\", \"--journal\", \"{output}/rc-journal.jsonl\", \"--encoding\", "
                                  << "\"utf-8\"]\njournal = \"{output}/rc-journal.jsonl\"\nready = { stdout = \"watching\" }\n"
                                  << "requests = true\nconsume_deadline_ms = 20000\n";
  const auto r = run_process({ONSHI_CLI, "optest", "--rig", (dir / "rig.toml").string(), "--checklist",
                              data("receipt-computer-only.toml").string(), "--pki", pki_->string(), "--evidence",
                              (dir / "evidence").string()},
                             {.timeout = 300s});
  EXPECT_EQ(r.exit_code, 0) << r.describe() << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("receipt_computer\\.insurance_card_path +passed"))) << r.out;

  // The SUT's own output is in the bundle, listed and hashed in the manifest, and covered by verify.
  const fs::path stdout_log = dir / "evidence" / "sut" / "receipt_computer.insurance_card_path.stdout.log";
  EXPECT_NE(read_file(stdout_log).find("watching"), std::string::npos) << read_file(stdout_log);
  EXPECT_TRUE(fs::is_regular_file(dir / "evidence" / "sut" / "receipt_computer.insurance_card_path.stderr.log"));
  const nlohmann::json manifest = nlohmann::json::parse(read_file(dir / "evidence" / "manifest.json"));
  std::set<std::string> listed;
  for (const auto& entry : manifest["files"]) listed.insert(entry["path"].get<std::string>());
  EXPECT_EQ(listed.count("sut/receipt_computer.insurance_card_path.stdout.log"), 1U) << manifest.dump(2);
  EXPECT_EQ(listed.count("sut/receipt_computer.insurance_card_path.stderr.log"), 1U) << manifest.dump(2);
  const auto verified = evidence_verify(dir / "evidence");
  EXPECT_EQ(verified.exit_code, 0) << verified.describe() << verified.out << verified.err;
  std::ofstream(stdout_log, std::ios::app) << "a line the SUT never wrote\n";
  const auto tampered = evidence_verify(dir / "evidence");
  EXPECT_NE(tampered.exit_code, 0) << tampered.out;
  EXPECT_NE((tampered.out + tampered.err).find("sut/receipt_computer.insurance_card_path.stdout.log"), std::string::npos)
      << tampered.out << tampered.err;
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
  // A timeline per reception, with the card, reader, flow and ONS-journal lanes.
  const nlohmann::json receptions = nlohmann::json::parse(read_file(evidence() / "receptions.json"));
  ASSERT_GE(receptions.size(), 8u);
  for (const auto& reception : receptions) {
    const std::string name = reception.at("name");
    const std::size_t at = chromium.out.find("<section class=\"timeline\" id=\"timeline-" + name + "\">");
    ASSERT_NE(at, std::string::npos) << "no timeline for " << name;
    const std::string section = chromium.out.substr(at, chromium.out.find("</section>", at) - at);
    for (const char* lane : {"card", "reader", "flow", "ons"}) {
      if (std::string(lane) == "ons" && reception.at("ons_journal").empty()) continue;  // never reached the ONS
      EXPECT_NE(section.find("<tr class=\"lane-" + std::string(lane) + "\">"), std::string::npos)
          << name << " has no " << lane << " lane";
    }
  }
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
