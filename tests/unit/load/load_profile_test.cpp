// Profiles as data: the shipped morning rush parses and gives the same arrivals every run; a
// ramp's arrivals follow its linearly rising rate; bad profiles are refused naming file,
// line and key.
#include <gtest/gtest.h>

#include "onshi/config/data_paths.hpp"
#include "onshi/core/error.hpp"
#include "onshi/load/load_profile.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::load {
namespace {

using namespace std::chrono_literals;

TEST(LoadProfile, MorningRushParsesIntoItsSegments) {
  const LoadProfile p = load_profile(config::fixtures_dir() / "load" / "morning-rush.toml");
  EXPECT_EQ(p.name, "morning-rush");
  EXPECT_EQ(p.scenario, "pin-ok");
  EXPECT_EQ(p.readers, 2u);
  ASSERT_EQ(p.segments.size(), 3u);
  EXPECT_EQ(p.segments[1].kind, "poisson");
  EXPECT_EQ(p.duration(), 80s);
  const auto a = profile_arrivals(p);
  EXPECT_EQ(profile_arrivals(p), a);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_LT(a.back(), 80s);
  // Ramps: (0.5 + 4) / 2 × 20 = 45 and (4 + 0.5) / 2 × 30 = 67.5 expected; Poisson around 120.
  EXPECT_GT(a.size(), 180u);
  EXPECT_LT(a.size(), 290u);
}

TEST(LoadProfile, FlatRampIsAConstantRate) {
  const auto a = ramp_arrivals(2.0, 2.0, 3s);
  ASSERT_EQ(a.size(), 6u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], std::chrono::milliseconds(500 * i));
}

TEST(LoadProfile, RisingRampPlacesArrivalsWhereTheExpectedCountReachesThem) {
  // 0 -> 4 per second over 2 s: expected count t^2, so arrival k at sqrt(k).
  const auto a = ramp_arrivals(0.0, 4.0, 2s);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0], 0ns);
  EXPECT_EQ(a[1], 1s);
  EXPECT_NEAR(std::chrono::duration<double>(a[2]).count(), 1.41421356, 1e-6);
  EXPECT_NEAR(std::chrono::duration<double>(a[3]).count(), 1.73205081, 1e-6);
}

TEST(LoadProfile, BadProfilesNameFileLineAndKey) {
  const Error kind = testing::error_of([] {
    parse_load_profile("name = \"x\"\n[[segment]]\nkind = \"bursty\"\nduration_s = 1\n", "bad.toml");
  });
  EXPECT_NE(std::string(kind.what()).find("bad.toml:2"), std::string::npos) << kind.what();
  EXPECT_NE(std::string(kind.what()).find("unknown segment kind 'bursty'"), std::string::npos) << kind.what();
  const Error rate = testing::error_of([] {
    parse_load_profile("name = \"x\"\n[[segment]]\nkind = \"constant\"\nrate_per_s = 5000\nduration_s = 1\n", "r.toml");
  });
  EXPECT_NE(std::string(rate.what()).find("rate_per_s"), std::string::npos) << rate.what();
  EXPECT_EQ(testing::error_of([] { parse_load_profile("name = \"x\"\n", "none.toml"); }).code(), ErrorCode::config);
  EXPECT_EQ(testing::error_of([] {
              parse_load_profile("name = \"x\"\nrate = 1\n[[segment]]\nkind = \"constant\"\nrate_per_s = 1\nduration_s = 1\n",
                                 "typo.toml");
            }).code(),
            ErrorCode::config);
}

TEST(LoadProfile, MixAndThresholdsAreReadAndChecked) {
  const LoadProfile p = parse_load_profile(
      "name = \"mixed\"\nthresholds = [\"reception.p99 < 3s\", \"errors.rate < 1%\"]\n"
      "[[segment]]\nkind = \"constant\"\nrate_per_s = 1\nduration_s = 1\n"
      "[[mix]]\nscenario = \"pin-ok\"\nweight = 3\n[[mix]]\nscenario = \"face-ok\"\n",
      "mixed.toml");
  ASSERT_EQ(p.mix.size(), 2u);
  EXPECT_EQ(p.mix[0].scenario, "pin-ok");
  EXPECT_DOUBLE_EQ(p.mix[0].weight, 3.0);
  EXPECT_DOUBLE_EQ(p.mix[1].weight, 1.0);
  EXPECT_EQ(p.thresholds, (std::vector<std::string>{"reception.p99 < 3s", "errors.rate < 1%"}));
  const Error bad = testing::error_of([] {
    parse_load_profile("name = \"x\"\nthresholds = [\"reception.p99 < 3x\"]\n"
                       "[[segment]]\nkind = \"constant\"\nrate_per_s = 1\nduration_s = 1\n",
                       "bad.toml");
  });
  EXPECT_EQ(bad.code(), ErrorCode::config);
  EXPECT_NE(std::string(bad.what()).find("bad.toml:2"), std::string::npos) << bad.what();
  EXPECT_NE(std::string(bad.what()).find("threshold 'reception.p99 < 3x' at position 18"), std::string::npos) << bad.what();
  const Error both = testing::error_of([] {
    parse_load_profile("name = \"x\"\nscenario = \"pin-ok\"\n[[segment]]\nkind = \"constant\"\nrate_per_s = 1\n"
                       "duration_s = 1\n[[mix]]\nscenario = \"face-ok\"\n",
                       "both.toml");
  });
  EXPECT_NE(std::string(both.what()).find("either one scenario or a [[mix]]"), std::string::npos) << both.what();
  EXPECT_EQ(testing::error_of([] {
              parse_load_profile("name = \"x\"\n[[segment]]\nkind = \"constant\"\nrate_per_s = 1\nduration_s = 1\n"
                                 "[[mix]]\nscenario = \"a\"\nweight = 0\n",
                                 "w.toml");
            }).code(),
            ErrorCode::config);
}

TEST(LoadProfile, MixDrawsEachScenarioInProportionToItsWeightTheSameWayEveryTime) {
  const std::vector<MixEntry> mix{{"pin-ok", 6.0}, {"face-ok", 3.0}, {"pin-locked", 1.0}};
  const auto picks = mix_per_arrival(mix, 10000, 42);
  EXPECT_EQ(mix_per_arrival(mix, 10000, 42), picks);
  EXPECT_NE(mix_per_arrival(mix, 10000, 43), picks);
  std::size_t counts[3] = {0, 0, 0};
  for (const std::size_t k : picks) ++counts[k];
  // Binomial standard deviations are about 49, 46 and 30: 5 of them either side.
  EXPECT_NEAR(static_cast<double>(counts[0]), 6000.0, 250.0);
  EXPECT_NEAR(static_cast<double>(counts[1]), 3000.0, 230.0);
  EXPECT_NEAR(static_cast<double>(counts[2]), 1000.0, 150.0);
  EXPECT_EQ(testing::error_of([] { mix_per_arrival({}, 1, 1); }).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace onshi::load
