// `onshi-hil terminal` end to end: its own process, its rig's embedded mock ONS on loopback,
// a temporary output folder. The test plays the receipt computer.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "onshi/testing/files.hpp"
#include "onshi/config/data_paths.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/terminal/request_name.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using onshi::testing::read_file;
std::string sample(const std::string& name) { return read_file(config::fixtures_dir() / "requests" / name); }

class TerminalE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pki = std::getenv("ONSHI_TEST_PKI");
    ASSERT_NE(pki, nullptr) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    dir_ = fs::temp_directory_path() /
           ("onshi-terminal-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "staging");
    pki_ = pki;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // A rig whose ONS is the embedded mock and whose output folder is dir_/out.
  fs::path write_rig(const std::string& encoding) const {
    const fs::path rig = dir_ / "terminal.toml";
    std::ofstream(rig) << "name = \"e2e-terminal\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n"
                          "[card]\nkind = \"virtual\"\n[reader]\nkind = \"emulated\"\ntransport = \"in-process\"\n"
                          "[ons]\nkind = \"embedded-mock\"\n[pki]\ndir = \""
                       << pki_.string() << "\"\n[output]\nkind = \"folder\"\ndir = \"out\"\nencoding = \"" << encoding
                       << "\"\n";
    return rig;
  }
  fs::path req() const { return dir_ / "out" / "req"; }
  fs::path res(const std::string& request) const { return dir_ / "out" / "res" / terminal::response_name(request); }

  // A careful receipt computer: write elsewhere, rename into req/.
  void drop_by_rename(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / "staging" / name, std::ios::binary) << bytes;
    fs::rename(dir_ / "staging" / name, req() / name);
  }
  // A careless one: write straight into req/, in two halves with a pause between.
  void write_in_place(const std::string& name, const std::string& bytes) const {
    std::ofstream out(req() / name, std::ios::binary);
    out << bytes.substr(0, bytes.size() / 2) << std::flush;
    std::this_thread::sleep_for(200ms);
    out << bytes.substr(bytes.size() / 2) << std::flush;
  }
  // Waits (bounded) until `file` exists; answers are renamed in whole, so existing is complete.
  static ::testing::AssertionResult appears(const fs::path& file, std::chrono::seconds within = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(file)) return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(50ms);
    }
    return ::testing::AssertionFailure() << file << " did not appear within " << within.count() << " s";
  }
  static void expect_well_formed(const fs::path& file) {
    const auto r = testing::run_process({"xmllint", "--noout", file.string()});
    EXPECT_TRUE(r.succeeded()) << r.describe();
  }
  std::vector<std::string> cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {ONSHI_CLI, "terminal", "--rig", (dir_ / "terminal.toml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  fs::path dir_;
  fs::path pki_;
};

TEST_F(TerminalE2eTest, AnswersRenamedAndInPlaceRequestsSurvivesBadOnesAndStopsOnSigterm) {
  write_rig("utf-8");
  testing::ChildProcess terminal(cli({"--settle-ms", "1000"}), dir_ / "terminal.log");
  ASSERT_TRUE(terminal.wait_for_output(std::regex("watching .*req/"), 60s));

  const std::string good = sample("search-P001.xml");
  drop_by_rename("OQSsiquc01req_20261201_0001.xml", "<?xml version=\"1.0\"?>\r\n<XmlMsg><MessageHeader>");
  drop_by_rename("OQSsiquc01req_20261201_0002.xml", good);
  write_in_place("OQSsiquc01req_20261201_0003.xml", good);
  for (const char* name : {"OQSsiquc01req_20261201_0001.xml", "OQSsiquc01req_20261201_0002.xml",
                           "OQSsiquc01req_20261201_0003.xml"}) {
    ASSERT_TRUE(appears(res(name))) << terminal.output();
    expect_well_formed(res(name));
  }

  const ons::QualificationResult bad = ons::decode_result(read_file(res("OQSsiquc01req_20261201_0001.xml")));
  EXPECT_EQ(bad.header.segment_of_result, ons::SegmentOfResult::abnormal_end);
  EXPECT_EQ(bad.body.processing_result_status, ons::ProcessingResultStatus::error);
  EXPECT_NE(bad.header.error_message->find("req/OQSsiquc01req_20261201_0001.xml"), std::string::npos);
  for (const char* name : {"OQSsiquc01req_20261201_0002.xml", "OQSsiquc01req_20261201_0003.xml"}) {
    SCOPED_TRACE(name);
    // The in-place file was read whole: an early read would have been answered as malformed.
    const std::string bytes = read_file(res(name));
    EXPECT_NE(bytes.find("<CharacterCodeIdentifier>0</CharacterCodeIdentifier>"), std::string::npos);
    const ons::QualificationResult r = ons::decode_result(bytes);
    EXPECT_EQ(r.body.processing_result_status, ons::ProcessingResultStatus::normal_end);
    EXPECT_EQ(r.body.qualification_validity, ons::QualificationValidity::valid);
  }

  terminal.send_signal(SIGTERM);
  const std::optional<int> code = terminal.wait_for_exit(30s);
  ASSERT_TRUE(code.has_value()) << "still running after SIGTERM: " << terminal.output();
  EXPECT_EQ(*code, 0) << terminal.output() << terminal.errors();

  // One journal line per request, each a JSON object; req/ left empty.
  std::ifstream journal(dir_ / "out" / "terminal-journal.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(journal, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].at("event"), "error");
  EXPECT_TRUE(fs::is_empty(req()));
}

TEST_F(TerminalE2eTest, ShiftJisRigAnswersInCp932ThatIndependentToolsRead) {
  write_rig("shift_jis");
  testing::ChildProcess terminal(cli({"--settle-ms", "300"}), dir_ / "terminal.log");
  ASSERT_TRUE(terminal.wait_for_output(std::regex("watching .*req/"), 60s));
  drop_by_rename("OQSsiquc01req_20261201_0001.xml", sample("search-P001-sjis.xml"));
  drop_by_rename("OQSsiquc01req_20261201_0002.xml", sample("search-P001.xml"));
  for (const char* name : {"OQSsiquc01req_20261201_0001.xml", "OQSsiquc01req_20261201_0002.xml"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(appears(res(name))) << terminal.output();
    expect_well_formed(res(name));
    const auto utf8 = testing::run_process({"iconv", "-f", "CP932", "-t", "UTF-8", res(name).string()});
    ASSERT_TRUE(utf8.succeeded()) << utf8.describe();
    EXPECT_NE(utf8.out.find("encoding=\"Shift_JIS\""), std::string::npos);
    EXPECT_NE(utf8.out.find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>"), std::string::npos);
    EXPECT_NE(utf8.out.find("試験"), std::string::npos) << utf8.out;  // P001's name, 試験　花子
    const ons::QualificationResult r =
        ons::decode_result(ons::to_canonical(read_file(res(name)), ons::WireSyntax::xml).xml);
    EXPECT_EQ(r.body.qualification_validity, ons::QualificationValidity::valid);
  }
  // CP932's own characters: 髙 (an IBM extension, FB FC) and ～ (U+FF5E, 81 60). A strict
  // Shift_JIS parser such as xmllint's rejects 髙 (docs/terminal.md, "Encodings"), so iconv's
  // CP932 judges this file.
  std::string cp932 = sample("search-P001.xml");
  cp932.replace(cp932.find("見本-資格確認-P001"), std::string("見本-資格確認-P001").size(), "髙～受付");
  drop_by_rename("OQSsiquc01req_20261201_0003.xml", cp932);
  const std::string name = "OQSsiquc01req_20261201_0003.xml";
  ASSERT_TRUE(appears(res(name))) << terminal.output();
  const auto utf8 = testing::run_process({"iconv", "-f", "CP932", "-t", "UTF-8", res(name).string()});
  ASSERT_TRUE(utf8.succeeded()) << utf8.describe();
  EXPECT_NE(utf8.out.find("<ArbitraryFileIdentifier>髙～受付</ArbitraryFileIdentifier>"), std::string::npos) << utf8.out;
  EXPECT_EQ(terminal.stop(), 0) << terminal.output();
}

TEST_F(TerminalE2eTest, OnceAnswersWhatIsThereAndExits) {
  write_rig("utf-8");
  fs::create_directories(req());
  drop_by_rename("OQSsiquc01req_20261201_0001.xml", sample("search-P001.xml"));
  std::ofstream(req() / "OQSsiquc01req_20261201_0002.xml", std::ios::binary) << sample("search-P001.xml");
  std::ofstream(req() / ".OQSsiquc01req_20261201_0003.xml.tmp", std::ios::binary) << "<half";
  const auto r = testing::run_process(cli({"--once", "--settle-ms", "200"}), {.timeout = 120s});
  ASSERT_TRUE(r.succeeded()) << r.describe();
  EXPECT_NE(r.out.find("answered 2 request file(s)"), std::string::npos) << r.out;
  for (const char* name : {"OQSsiquc01req_20261201_0001.xml", "OQSsiquc01req_20261201_0002.xml"}) {
    ASSERT_TRUE(fs::exists(res(name)));
    expect_well_formed(res(name));
  }
  EXPECT_TRUE(fs::exists(req() / ".OQSsiquc01req_20261201_0003.xml.tmp"));  // not a request: left alone
}

TEST_F(TerminalE2eTest, AnUnknownOutputEncodingIsARigErrorNamingTheKey) {
  write_rig("euc-jp");
  const auto r = testing::run_process(cli({"--once"}), {.timeout = 60s});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("[output] key 'encoding'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("shift_jis"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace onshi
