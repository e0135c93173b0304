// kill -9 loses nothing (docs/records.md): a run killed while it waits for a slow ONS leaves
// an events file whose every line is whole JSON and holds each phase that had ended; the next
// run on the same PKI, output folder and events file succeeds (no stale lock, the PKI as it
// was) and appends after the killed run's lines.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "onshi/testing/files.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/json_lines.hpp"
#include "onshi/testing/process.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using onshi::testing::ended_phases;
using onshi::testing::json_lines;
using onshi::testing::read_file;

class KilledRun : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto shared = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(shared.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    dir_ = fs::temp_directory_path() / ("onshi-killed-run-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(*shared, dir_ / "pki", fs::copy_options::recursive);  // its own lock, beside its own copy
    // Every ONS answer held 20 s: the run sits in qualification_lookup until it is killed.
    std::ofstream(dir_ / "slow.json")
        << R"({"seed": 1, "rules": [{"kind": "latency", "probability": 1.0, "latency": {"shape": "fixed", "fixed_ms": 20000}}]})";
    std::ofstream(dir_ / "slow.toml") << "name = \"slow-ons\"\nscenario = \"pin-ok\"\n\n[facility]\ncode = \"1312345678\"\n\n"
                                         "[ons]\nkind = \"embedded-mock\"\nfaults = \"slow.json\"\n";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::vector<std::string> run_args(const std::string& rig) const {
    return {ONSHI_CLI,  "run",      "--rig",    (dir_ / rig).string(),      "--pki", (dir_ / "pki").string(),
            "--output", (dir_ / "out").string(), "--events", events().string()};
  }
  fs::path events() const { return dir_ / "events.jsonl"; }

  fs::path dir_;
};

TEST_F(KilledRun, EveryFinishedPhaseIsReadableAndTheNextRunWorks) {
  {
    onshi::testing::ChildProcess run(run_args("slow.toml"), dir_ / "killed.log");
    // Wait until the phases before the lookup are in the file: the run is then in the slow lookup.
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    bool in_lookup = false;
    while (!in_lookup && std::chrono::steady_clock::now() < deadline && run.running()) {
      const std::string text = read_file(events());
      in_lookup = text.find(R"("phase":"consent","status")") != std::string::npos;  // consent's phase_ended
      if (!in_lookup) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(in_lookup) << "the run never reached qualification_lookup; output:\n" << run.output();
    run.send_signal(SIGKILL);
    EXPECT_EQ(run.stop(), 128 + SIGKILL) << run.output();
  }

  const std::vector<nlohmann::json> killed = json_lines(events());
  ASSERT_FALSE(killed.empty());
  EXPECT_EQ(killed.front().value("event", ""), "run_started");
  EXPECT_EQ(ended_phases(killed), (std::vector<std::string>{"card_detect", "read_certificate", "identity_check", "consent"}));
  for (const auto& line : killed) {
    EXPECT_NE(line.value("event", ""), "run_ended") << "the killed run cannot have ended";
    if (line.value("event", "") == "phase_ended") {
      EXPECT_EQ(line.value("status", ""), "passed") << line.dump();
    }
  }

  // The next run: same PKI (accepted as it is: no stale lock, nothing half-written), same
  // output folder, same events file, an ONS without the delay.
  std::ofstream(dir_ / "fast.toml") << "name = \"fast-ons\"\nscenario = \"pin-ok\"\n\n[facility]\ncode = \"1312345678\"\n\n"
                                       "[ons]\nkind = \"embedded-mock\"\n";
  const std::string manifest_before = read_file(dir_ / "pki" / "manifest.json");
  const auto next = onshi::testing::run_process(run_args("fast.toml"), {.timeout = 120s, .merge_stderr = true});
  ASSERT_TRUE(next.succeeded()) << next.describe() << "\n" << next.out;
  EXPECT_EQ(read_file(dir_ / "pki" / "manifest.json"), manifest_before) << "the PKI was regenerated";

  const std::vector<nlohmann::json> all = json_lines(events());
  ASSERT_GT(all.size(), killed.size());
  for (std::size_t i = 0; i < killed.size(); ++i) EXPECT_EQ(all[i], killed[i]) << "line " << i + 1 << " changed";
  EXPECT_EQ(all[killed.size()].value("event", ""), "run_started");
  EXPECT_EQ(all.back().value("event", ""), "run_ended");
  EXPECT_EQ(all.back().value("met_expectation", false), true);
  const std::vector<std::string> next_phases =
      ended_phases(std::vector<nlohmann::json>(all.begin() + static_cast<std::ptrdiff_t>(killed.size()), all.end()));
  EXPECT_EQ(next_phases, (std::vector<std::string>{"card_detect", "read_certificate", "identity_check", "consent",
                                                   "qualification_lookup", "deliver_result"}));
}

}  // namespace
}  // namespace onshi
