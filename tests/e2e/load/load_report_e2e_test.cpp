// The done-means run of docs/load.md: 40 arrivals/s for 5 s through 4 readers, each arrival
// drawing its scenario from a mix (PIN, face match, a locked PIN), as a real child process on
// the emulated rig. Every report file is written, the counts are right, and report.html opened
// in headless Chromium (Debian's chromium) draws its four charts: the page's own script counts
// the painted pixels of each canvas after Chart.js drew it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>

#include <nlohmann/json.hpp>

#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::load {
namespace {

TEST(LoadReport, FortyPerSecondThroughFourReadersWithAMixRendersInChromium) {
  const std::filesystem::path out = std::filesystem::path(ONSHI_E2E_LOAD_OUT) / "report";
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  const std::filesystem::path profile = out / "mix.toml";
  {
    std::ofstream file(profile);
    file << "name = \"mix40\"\nreaders = 4\nseed = 3\n"
            "thresholds = [\"reception.p99.9 < 10min\", \"errors.rate < 0.1%\", \"throughput > 0/s\"]\n"
            "[[segment]]\nkind = \"constant\"\nrate_per_s = 40\nduration_s = 5\n"
            "[[mix]]\nscenario = \"pin-ok\"\nweight = 3\n[[mix]]\nscenario = \"face-match\"\nweight = 1\n"
            "[[mix]]\nscenario = \"pin-locked\"\nweight = 1\n";
  }
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr) << "the test_pki fixture sets ONSHI_TEST_PKI";
  const auto r = testing::run_process({ONSHI_CLI, "load", "--profile", profile.string(), "--out", out.string(), "--pki", pki},
                                      {.timeout = std::chrono::seconds(240)});
  ASSERT_TRUE(r.succeeded()) << r.describe() << "\n" << r.out;

  std::ifstream summary_file(out / "summary.json");
  ASSERT_TRUE(summary_file);
  const nlohmann::json summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(summary.at("receptions").at("count"), 200);
  EXPECT_EQ(summary.at("receptions").at("errors"), 0);  // pin-locked fails identity_check as it expects
  EXPECT_EQ(summary.at("scenario"), "mix");
  std::int64_t mixed = 0;
  for (const char* scenario : {"pin-ok", "face-match", "pin-locked"}) {
    ASSERT_TRUE(summary.at("mix").contains(scenario)) << summary.at("mix");
    EXPECT_GT(summary.at("mix").at(scenario).get<std::int64_t>(), 0) << scenario;
    mixed += summary.at("mix").at(scenario).get<std::int64_t>();
  }
  EXPECT_EQ(mixed, 200);
  // A locked PIN stops at identity_check: the later steps ran only for the other scenarios.
  EXPECT_EQ(summary.at("steps").at("card_detect").at("count"), 200);
  EXPECT_EQ(summary.at("steps").at("identity_check").at("errors"), summary.at("mix").at("pin-locked"));
  EXPECT_EQ(summary.at("steps").at("deliver_result").at("count").get<std::int64_t>(),
            200 - summary.at("mix").at("pin-locked").get<std::int64_t>());
  ASSERT_EQ(summary.at("thresholds").size(), 3u);
  for (const auto& t : summary.at("thresholds")) EXPECT_EQ(t.at("pass"), true) << t;
  EXPECT_EQ(summary.at("verdict"), "passed");
  EXPECT_TRUE(std::filesystem::exists(out / "histograms.hlog"));

  const std::string md = onshi::testing::read_file(out / "summary.md");
  EXPECT_NE(md.find("## onshi-hil load: ✅ PASSED"), std::string::npos) << md;
  EXPECT_NE(md.find("| step | count | errors | p50 ms |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **reception** | 200 | 0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `errors.rate < 0.1%` | 0% | ✅ pass |"), std::string::npos) << md;

  const std::string html = onshi::testing::read_file(out / "report.html");
  EXPECT_NE(html.find("Chart.js v3"), std::string::npos) << "Chart.js is not inlined";
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "the page must work offline";
  const std::filesystem::path profile_dir = out / "chromium-profile";
  const auto page = testing::run_process({"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--user-data-dir=" + profile_dir.string(), "--virtual-time-budget=15000",
                                          "--dump-dom", "file://" + (out / "report.html").string()},
                                         {.timeout = std::chrono::seconds(120)});
  ASSERT_TRUE(page.succeeded()) << page.describe() << "\n" << page.err;
  EXPECT_EQ(page.out.find("data-chart-error"), std::string::npos) << page.out.substr(0, 2000);
  EXPECT_NE(page.out.find("data-charts-rendered=\"4\""), std::string::npos) << page.out.substr(0, 2000);
  const std::regex painted("id=\"chart-[a-z]+\"[^>]*data-painted=\"([0-9]+)\"|data-painted=\"([0-9]+)\"[^>]*id=\"chart-");
  int canvases = 0;
  for (auto it = std::sregex_iterator(page.out.begin(), page.out.end(), painted); it != std::sregex_iterator(); ++it) {
    const std::string count = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    EXPECT_GT(std::stol(count), 1000) << "a chart painted almost nothing";
    ++canvases;
  }
  EXPECT_EQ(canvases, 4);
  // The tables the script builds from the embedded summary.
  EXPECT_NE(page.out.find("<td>qualification_lookup</td>"), std::string::npos);
  EXPECT_NE(page.out.find("<td>errors.rate &lt; 0.1%</td>"), std::string::npos);
}

}  // namespace
}  // namespace onshi::load
