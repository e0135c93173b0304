// A seeded fault plan injects the same faults on every platform: the draws come from
// std::mt19937_64 (whose output the standard fixes) through our own mappings, not from
// std:: distributions (which libstdc++ and libc++ implement differently). The expected
// values were computed outside C++ (an independent mt19937_64 and the same formulas:
// top 53 bits / 2^53, Box-Muller), so a change of mapping or of engine shows here.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "onshi/mocks/ons/fault_injector.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"

namespace onshi::testing {
namespace {

using namespace onshi::mocks::ons;
using std::chrono::microseconds;

std::vector<std::int64_t> draws(const LatencySpec& spec, std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(draw_latency(spec, rng).count());
  return out;
}

TEST(FaultSeedPortability, TheEngineIsTheStandardOne) {
  std::mt19937_64 rng;  // default seed 5489: the standard fixes its 10000th output
  rng.discard(9999);
  EXPECT_EQ(rng(), 9981545732273789042ULL);
}

TEST(FaultSeedPortability, UniformLatencyDrawsArePinned) {
  LatencySpec spec;
  spec.shape = LatencyShape::uniform;
  spec.min_ms = 10;
  spec.max_ms = 20;
  EXPECT_EQ(draws(spec, 42, 4), (std::vector<std::int64_t>{17552, 16390, 17521, 11363}));
}

TEST(FaultSeedPortability, LogNormalLatencyDrawsArePinned) {
  LatencySpec spec;
  spec.shape = LatencyShape::log_normal;
  spec.median_ms = 40;
  spec.sigma = 0.6;
  EXPECT_EQ(draws(spec, 42, 4), (std::vector<std::int64_t>{20959, 77138, 117415, 23141}));
}

TEST(FaultSeedPortability, WhichRequestsAProbabilisticRuleHitsIsPinned) {
  FaultInjector faults(parse_fault_plan(R"({"seed":7,"rules":[{"kind":"http_error","probability":0.5}]})", "test"));
  std::string hits;
  for (int i = 0; i < 12; ++i) hits += faults.on_request("/onshi").action ? '1' : '0';
  EXPECT_EQ(hits, "001011001000");
}

}  // namespace
}  // namespace onshi::testing
