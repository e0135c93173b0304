// report compare and report merge on real runs of `onshi-hil load` (child processes):
// - compare stays quiet on two runs of the same build and finds the regression a latency
//   fault plan on the mock ONS injects (150 ms on every answer), naming the step; the three
//   runs go at the same time so that the machine's other load falls on all of them;
// - two shards (--shard 0/2, 1/2) run at the same time as two processes against one
//   standalone mock ONS (`onshi-hil mock ons`), merged, equal the whole run in every count.
// Counts and verdicts only: no wall-clock figure is asserted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>

#include <nlohmann/json.hpp>

#include "onshi/testing/json_lines.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::load {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

nlohmann::json summary_of(const fs::path& dir) { return testing::json_file(dir / "summary.json"); }

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
}

// Half-second intervals: a 3 s run has the 5 interval medians compare's interval test needs.
std::vector<std::string> load_args(const std::string& rig, const fs::path& out, const char* pki) {
  return {ONSHI_CLI, "load", "--rig", rig, "--rate", "10", "--duration", "3", "--readers", "4", "--interval", "0.5",
          "--out", out.string(), "--pki", pki};
}

TEST(LoadCompare, FindsAnInjectedLatencyAndStaysQuietOnTheSameBuild) {
  const fs::path dir = fs::path(ONSHI_E2E_LOAD_OUT) / "compare";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  write(dir / "slow.json", R"({"seed": 1, "rules": [{"kind": "latency", "probability": 1.0,
                                 "latency": {"shape": "fixed", "fixed_ms": 150}}]})");
  write(dir / "slow-rig.toml", "name = \"emulated-slow-ons\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n"
                               "[card]\nkind = \"virtual\"\n[reader]\nkind = \"emulated\"\n"
                               "[ons]\nkind = \"embedded-mock\"\nfaults = \"slow.json\"\n");
  const std::string default_rig = std::string(ONSHI_SOURCE_DIR) + "/rigs/emulated.toml";
  {
    // All three at once, so whatever else loads the machine (a sanitizer build, other tests)
    // slows them alike: run one after another, a busier minute for one run alone looked like
    // a 1.45x regression of the same build.
    std::vector<std::unique_ptr<testing::ChildProcess>> runs;
    for (const auto& [name, rig] : {std::pair{"base", default_rig}, std::pair{"same", default_rig},
                                    std::pair{"slow", (dir / "slow-rig.toml").string()}}) {
      runs.push_back(std::make_unique<testing::ChildProcess>(load_args(rig, dir / name, pki), dir / (std::string(name) + ".log")));
    }
    for (const auto& run : runs) EXPECT_EQ(run->wait_for_exit(180s), 0) << run->output();
  }
  // A different machine would say so; these three ran on one.
  const auto quiet = testing::run_process({ONSHI_CLI, "report", "compare", (dir / "base").string(), (dir / "same").string()});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.describe() << "\n" << quiet.out;
  EXPECT_NE(quiet.out.find("no regression"), std::string::npos) << quiet.out;
  EXPECT_EQ(quiet.out.find("rig fingerprints differ"), std::string::npos) << quiet.out;
  EXPECT_EQ(quiet.out.find("judged over receptions alone"), std::string::npos) << quiet.out;  // the interval test ran

  const auto slow = testing::run_process({ONSHI_CLI, "report", "compare", (dir / "base").string(), (dir / "slow").string()});
  EXPECT_EQ(slow.exit_code, 1) << slow.describe() << "\n" << slow.out;
  EXPECT_TRUE(std::regex_search(slow.out, std::regex("\nqualification_lookup .* REGRESSION\n"))) << slow.out;
  EXPECT_TRUE(std::regex_search(slow.out, std::regex("\nreception .* REGRESSION\n"))) << slow.out;
  EXPECT_NE(slow.out.find("\nREGRESSION: "), std::string::npos) << slow.out;
  // The other way round it is faster, not a regression.
  const auto faster = testing::run_process({ONSHI_CLI, "report", "compare", (dir / "slow").string(), (dir / "base").string()});
  EXPECT_EQ(faster.exit_code, 0) << faster.describe() << "\n" << faster.out;

  const auto mixed = testing::run_process({ONSHI_CLI, "report", "compare", (dir / "base").string(), (dir / "slow.json").string()});
  EXPECT_EQ(mixed.exit_code, 2) << mixed.describe();
  EXPECT_NE(mixed.err.find("both be load runs or both Google Benchmark JSON"), std::string::npos) << mixed.err;
}

TEST(LoadCompare, ReadsGoogleBenchmarkJson) {
  const fs::path dir = fs::path(ONSHI_E2E_LOAD_OUT) / "compare-gbench";
  fs::create_directories(dir);
  auto bench = [](const std::vector<double>& times) {
    nlohmann::json j;
    j["context"] = {{"host_name", "rig"}, {"num_cpus", 2}};
    for (const double t : times) {
      j["benchmarks"].push_back({{"name", "BM_Record"}, {"run_name", "BM_Record"}, {"run_type", "iteration"},
                                 {"real_time", t}, {"time_unit", "ns"}});
    }
    j["benchmarks"].push_back({{"name", "BM_Record_mean"}, {"run_name", "BM_Record"}, {"run_type", "aggregate"},
                               {"real_time", 1.0}, {"time_unit", "ns"}});
    return j.dump();
  };
  write(dir / "base.json", bench({10.0, 10.2, 9.9, 10.1, 10.0}));
  write(dir / "slow.json", bench({20.0, 20.5, 19.8, 20.1, 20.3}));
  const auto r = testing::run_process({ONSHI_CLI, "report", "compare", (dir / "base.json").string(), (dir / "slow.json").string()});
  EXPECT_EQ(r.exit_code, 1) << r.describe() << "\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("BM_Record .* 2.0[0-9]x .* REGRESSION"))) << r.out;
  const auto same = testing::run_process({ONSHI_CLI, "report", "compare", (dir / "base.json").string(), (dir / "base.json").string()});
  EXPECT_EQ(same.exit_code, 0) << same.describe() << "\n" << same.out;
}

TEST(LoadShards, TwoShardsAgainstOneStandaloneMockMergeIntoTheWhole) {
  const fs::path dir = fs::path(ONSHI_E2E_LOAD_OUT) / "shards";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const char* pki_env = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki_env, nullptr);
  const fs::path pki = pki_env;
  testing::ChildProcess mock({ONSHI_CLI, "mock", "ons", "--pki", pki.string(), "--port", "0"}, dir / "mock.log");
  std::vector<std::string> port;
  ASSERT_TRUE(mock.wait_for_output(std::regex("listening on https://[^:]+:([0-9]+)"), 60s, &port));
  write(dir / "remote-rig.toml",
        "name = \"remote-mock\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n[card]\nkind = \"virtual\"\n"
        "[reader]\nkind = \"emulated\"\n[ons]\nkind = \"remote\"\nurl = \"https://127.0.0.1:" + port[1] + "\"\n"
        "server_ca = \"" + (pki / "ons-ca" / "cert.pem").string() + "\"\n"
        "client_cert = \"" + (pki / "terminals" / "1312345678" / "cert.pem").string() + "\"\n"
        "client_key = \"" + (pki / "terminals" / "1312345678" / "key.pem").string() + "\"\n");
  write(dir / "mix.toml", "name = \"shard-mix\"\nreaders = 2\nseed = 5\nthresholds = [\"errors.count == 0\"]\n"
                          "[[segment]]\nkind = \"constant\"\nrate_per_s = 10\nduration_s = 3\n"
                          "[[mix]]\nscenario = \"pin-ok\"\nweight = 2\n[[mix]]\nscenario = \"face-match\"\nweight = 1\n");
  auto args = [&](const std::string& out, const std::string& shard) {
    std::vector<std::string> a{ONSHI_CLI, "load", "--rig", (dir / "remote-rig.toml").string(), "--profile",
                               (dir / "mix.toml").string(), "--out", (dir / out).string(), "--pki", pki.string()};
    if (!shard.empty()) a.insert(a.end(), {"--shard", shard});
    return a;
  };
  {
    testing::ChildProcess shard0(args("shard0", "0/2"), dir / "shard0.log");
    testing::ChildProcess shard1(args("shard1", "1/2"), dir / "shard1.log");
    EXPECT_EQ(shard0.wait_for_exit(180s), 0) << shard0.output();
    EXPECT_EQ(shard1.wait_for_exit(180s), 0) << shard1.output();
  }
  const auto whole = testing::run_process(args("whole", ""), {.timeout = 180s});
  ASSERT_TRUE(whole.succeeded()) << whole.describe() << "\n" << whole.out;
  const auto merge = testing::run_process({ONSHI_CLI, "report", "merge", (dir / "shard0").string(), (dir / "shard1").string(),
                                           "--out", (dir / "merged").string()});
  ASSERT_TRUE(merge.succeeded()) << merge.describe();

  const nlohmann::json s0 = summary_of(dir / "shard0");
  const nlohmann::json w = summary_of(dir / "whole");
  const nlohmann::json m = summary_of(dir / "merged");
  EXPECT_EQ(s0.at("shard"), "0/2");
  EXPECT_EQ(s0.at("arrivals").at("scheduled"), 15);
  EXPECT_EQ(w.at("arrivals").at("scheduled"), 30);
  EXPECT_EQ(m.at("arrivals"), w.at("arrivals"));
  EXPECT_EQ(m.at("receptions").at("count"), w.at("receptions").at("count"));
  EXPECT_EQ(m.at("receptions").at("errors"), 0);
  EXPECT_EQ(m.at("mix"), w.at("mix"));  // every arrival ran the same scenario in its shard as in the whole
  for (const auto& [step, tally] : w.at("steps").items()) {
    ASSERT_TRUE(m.at("steps").contains(step)) << step;
    EXPECT_EQ(m.at("steps").at(step).at("count"), tally.at("count")) << step;
  }
  EXPECT_EQ(m.at("schedule").at("readers"), 4);
  ASSERT_EQ(m.at("thresholds").size(), 1u);
  EXPECT_EQ(m.at("thresholds").at(0).at("pass"), true);
  EXPECT_EQ(m.at("verdict"), "passed");
  std::int64_t completions = 0;
  for (const auto& per_second : m.at("throughput_per_s")) completions += std::llround(per_second.get<double>() * m.at("interval_s").get<double>());
  EXPECT_EQ(completions, 30);
  // The remote mock's journal is not ours to read: whom it answered comes from the lookups.
  std::int64_t answered = 0;
  for (const auto& [patient, count] : m.at("patients").items()) answered += count.get<std::int64_t>();
  EXPECT_EQ(answered, 30) << m.at("patients");
  EXPECT_EQ(m.at("patients"), w.at("patients"));
  EXPECT_TRUE(fs::exists(dir / "merged" / "histograms.hlog"));
  EXPECT_TRUE(fs::exists(dir / "merged" / "report.html"));
  EXPECT_TRUE(fs::exists(dir / "merged" / "summary.md"));
  mock.stop();
}

}  // namespace
}  // namespace onshi::load
