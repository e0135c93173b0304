// Readers as CTest resources, as a lab engineer uses them (docs/rig-resources.md): readers
// exported with `onshi-hil emulate reader`, a spec written by `onshi-hil rig scan
// --ctest-resources FILE`, and the real rig tests run by a real ctest. The rig tests are
// registered exactly as the build registered them: a scratch test directory whose
// CTestTestfile.cmake includes their discovered list, so the inner ctest keeps its logs out
// of the build tree the outer ctest is writing to.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "onshi/rig/reader_resource.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class CTestResources : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pki = std::getenv("ONSHI_TEST_PKI");
    ASSERT_NE(pki, nullptr);
    pki_ = pki;
    dir_ = fs::temp_directory_path() / ("onshi-rig-resources-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "ctest");
    std::ofstream(dir_ / "ctest" / "CTestTestfile.cmake") << "include(\"" << ONSHI_RIG_TESTS_INCLUDE << "\")\n";
  }
  void TearDown() override {
    readers_.clear();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Starts `onshi-hil emulate reader` for a patient; returns its "127.0.0.1:PORT".
  std::string export_reader(const std::string& patient) {
    readers_.push_back(std::make_unique<onshi::testing::ChildProcess>(
        std::vector<std::string>{ONSHI_HIL_BINARY, "emulate", "reader", "--usbip", "127.0.0.1:0", "--patient", patient,
                                 "--pki", pki_.string()},
        dir_ / ("emulate-" + patient + ".log")));
    std::vector<std::string> groups;
    EXPECT_TRUE(readers_.back()->wait_for_output(std::regex("usbip: +(127\\.0\\.0\\.1:[0-9]+) busid 1-1"), 60s, &groups));
    return groups.size() > 1 ? groups[1] : "";
  }

  onshi::testing::ProcessResult scan(const std::vector<std::string>& hosts, const fs::path& spec) {
    std::vector<std::string> argv = {ONSHI_HIL_BINARY, "rig", "scan", "--ctest-resources", spec.string()};
    for (const auto& h : hosts) argv.insert(argv.end(), {"--usbip", h});
    return onshi::testing::run_process(argv, {.timeout = 60s, .merge_stderr = true});
  }

  // `ctest -L rig -j 2 -V` on the rig tests, with the spec when one is given.
  onshi::testing::ProcessResult run_rig_tests(const std::optional<fs::path>& spec) {
    std::vector<std::string> argv = {ONSHI_CTEST_COMMAND, "--test-dir", (dir_ / "ctest").string(), "-L", "rig",
                                     "-j", "2", "-V"};
    if (spec) argv.insert(argv.end(), {"--resource-spec-file", spec->string()});
    // A reader named by hand would bypass the allocation this test is about.
    return onshi::testing::run_process(argv, {.timeout = 240s, .environment = {{"ONSHI_RIG_READER", ""}},
                                              .merge_stderr = true});
  }

  // The readers the rig tests said they were given ("reader: usbip HOST:PORT busid 1-1").
  static std::vector<std::string> readers_used(const std::string& output) {
    std::vector<std::string> used;
    const std::regex line("reader: (usbip [0-9.:]+ busid [0-9.-]+)");
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line); it != std::sregex_iterator(); ++it) {
      used.push_back((*it)[1].str());
    }
    return used;
  }

  fs::path pki_;
  fs::path dir_;
  std::vector<std::unique_ptr<onshi::testing::ChildProcess>> readers_;
};

TEST_F(CTestResources, ScanWritesOneSlotPerExportedReader) {
  const std::string a = export_reader("P001");
  const std::string b = export_reader("P002");
  const fs::path spec = dir_ / "spec.json";
  const auto scanned = scan({a, b}, spec);
  ASSERT_TRUE(scanned.succeeded()) << scanned.describe() << scanned.out;
  EXPECT_TRUE(std::regex_search(scanned.out, std::regex("ctest resources: .*spec\\.json: 2 ccid_readers"))) << scanned.out;
  const auto j = nlohmann::json::parse(onshi::testing::read_file(spec), nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << onshi::testing::read_file(spec);
  EXPECT_EQ(j["version"]["major"], 1);
  EXPECT_EQ(j["version"]["minor"], 0);
  ASSERT_EQ(j["local"].size(), 1u);
  const auto& slots = j["local"][0]["ccid_reader"];
  ASSERT_EQ(slots.size(), 2u) << j.dump(2);
  std::set<std::string> described;
  for (const auto& slot : slots) {
    EXPECT_EQ(slot["slots"], 1);
    EXPECT_TRUE(std::regex_match(slot["id"].get<std::string>(), std::regex("[a-z0-9_]+"))) << slot;
    described.insert(onshi::rig::reader_from_ctest_resource_id(slot["id"].get<std::string>()).describe());
  }
  EXPECT_EQ(described, (std::set<std::string>{"usbip " + a + " busid 1-1", "usbip " + b + " busid 1-1"}));
}

TEST_F(CTestResources, TwoRigTestsRunInParallelEachOnItsOwnReader) {
  const std::string a = export_reader("P001");
  const std::string b = export_reader("P002");
  const fs::path spec = dir_ / "spec.json";
  const auto scanned = scan({a, b}, spec);
  ASSERT_TRUE(scanned.succeeded()) << scanned.describe();
  const auto ran = run_rig_tests(spec);
  EXPECT_TRUE(ran.succeeded()) << ran.describe() << "\n" << ran.out;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("100% tests passed, 0 tests failed out of 2"))) << ran.out;
  const auto used = readers_used(ran.out);
  ASSERT_EQ(used.size(), 2u) << ran.out;
  EXPECT_NE(used[0], used[1]) << "both rig tests were given one reader:\n" << ran.out;
  EXPECT_EQ(std::set<std::string>(used.begin(), used.end()),
            (std::set<std::string>{"usbip " + a + " busid 1-1", "usbip " + b + " busid 1-1"}));
}

TEST_F(CTestResources, OneReaderIsNeverGivenToTwoTestsAtOnce) {
  // -j 2 with one reader: CTest runs the two rig tests one after the other. Were they given
  // the reader together, the second import would be refused (the export serves one importer).
  const std::string a = export_reader("P001");
  const fs::path spec = dir_ / "spec.json";
  ASSERT_TRUE(scan({a}, spec).succeeded());
  const auto ran = run_rig_tests(spec);
  EXPECT_TRUE(ran.succeeded()) << ran.describe() << "\n" << ran.out;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("100% tests passed, 0 tests failed out of 2"))) << ran.out;
  EXPECT_EQ(readers_used(ran.out), (std::vector<std::string>(2, "usbip " + a + " busid 1-1"))) << ran.out;
}

TEST_F(CTestResources, WithoutASpecRigTestsSkipWithTheReason) {
  const auto ran = run_rig_tests(std::nullopt);
  EXPECT_TRUE(ran.succeeded()) << ran.describe() << "\n" << ran.out;
  EXPECT_TRUE(readers_used(ran.out).empty()) << ran.out;
  const std::regex reason("no reader allocated to this test: run it with ctest --resource-spec-file");
  const auto reasons = std::distance(std::sregex_iterator(ran.out.begin(), ran.out.end(), reason), std::sregex_iterator());
  EXPECT_GE(reasons, 2) << ran.out;
  const std::regex skipped("\\*\\*\\*Skipped");
  EXPECT_EQ(std::distance(std::sregex_iterator(ran.out.begin(), ran.out.end(), skipped), std::sregex_iterator()), 2)
      << ran.out;
  EXPECT_FALSE(std::regex_search(ran.out, std::regex("\\bPassed\\b"))) << ran.out;
}

}  // namespace
