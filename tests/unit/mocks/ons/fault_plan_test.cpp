// Fault plans as data: parsing names the bad key, and the injector's decisions are seeded,
// bounded by first_n and windows, and one action per request.
#include <gtest/gtest.h>

#include "onshi/testing/error_of.hpp"
#include "onshi/mocks/ons/fault_injector.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"

namespace onshi::testing {
namespace {

using namespace onshi::mocks::ons;

TEST(FaultPlan, ParsesEveryKindAndRoundTripsThroughJson) {
  const FaultPlan plan = parse_fault_plan(R"({"seed": 7, "rules": [
      {"kind": "latency", "probability": 0.5, "latency": {"shape": "log_normal", "median_ms": 40, "sigma": 0.6}},
      {"kind": "latency", "latency": {"shape": "ipsec"}},
      {"kind": "http_error", "status": 502, "first_n": 3},
      {"kind": "ons_error", "error_code": "EQ0001", "error_message": "x"},
      {"kind": "reset"}, {"kind": "stall", "stall_ms": 50}, {"kind": "tls_alert", "alert": "access_denied"},
      {"kind": "slow_drip", "chunk_bytes": 8, "interval_ms": 1},
      {"kind": "maintenance", "after_ms": 10, "for_ms": 20, "retry_after_s": 3600},
      {"kind": "throttle", "retry_after_s": 30}, {"kind": "processing", "path": "/onshi"}]})",
                                          "test");
  ASSERT_EQ(plan.rules.size(), 11u);
  EXPECT_EQ(plan.seed, 7u);
  EXPECT_EQ(plan.rules[0].latency.shape, LatencyShape::log_normal);
  EXPECT_EQ(plan.rules[2].status, 502u);
  EXPECT_EQ(plan.rules[2].first_n, 3u);
  EXPECT_EQ(plan.rules[3].status, 200u);  // ONS errors come in a 200 by default
  EXPECT_EQ(plan.rules[6].alert, "access_denied");
  EXPECT_EQ(plan.rules[8].after, std::chrono::milliseconds(10));
  const FaultPlan again = parse_fault_plan(to_json(plan), "round trip");
  EXPECT_EQ(to_json(again), to_json(plan));
}

TEST(FaultPlan, BadInputNamesTheRuleAndKey) {
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"rules":[{"kind":"explode"}]})", "f.json"); }, ErrorCode::config,
                           "f.json: rules[0].kind", "unknown fault kind"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"rules":[{"kind":"reset","probability":2}]})", "f.json"); },
                           ErrorCode::config, "f.json: rules[0].probability"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"rules":[{"kind":"reset","colour":1}]})", "f.json"); },
                           ErrorCode::config, "f.json: rules[0].colour", "unknown key"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"rules":[{"kind":"latency"}]})", "f.json"); }, ErrorCode::config,
                           "f.json: rules[0].latency"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"rules":[{"kind":"tls_alert","alert":"nope"}]})", "f.json"); },
                           ErrorCode::config, "f.json: rules[0].alert"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan("{not json", "f.json"); }, ErrorCode::config, "f.json"));
}

std::vector<std::string> decisions(FaultInjector& injector, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    const FaultDecision d = injector.on_request("/onshi/v1/qualification/card");
    out.push_back(d.applied + "/" + std::to_string(d.delay.count()));
  }
  return out;
}

TEST(FaultInjector, SameSeedSameDecisionsOtherSeedOtherDecisions) {
  const std::string rules = R"("rules":[{"kind":"throttle","probability":0.3},
      {"kind":"latency","probability":0.5,"latency":{"shape":"uniform","min_ms":1,"max_ms":50}}]})";
  FaultInjector a(parse_fault_plan("{\"seed\":1," + rules, "a"));
  FaultInjector b(parse_fault_plan("{\"seed\":1," + rules, "b"));
  FaultInjector c(parse_fault_plan("{\"seed\":2," + rules, "c"));
  const auto da = decisions(a, 200);
  EXPECT_EQ(da, decisions(b, 200));
  EXPECT_NE(da, decisions(c, 200));
  const auto throttled = std::count_if(da.begin(), da.end(), [](const std::string& s) { return s.find("throttle") == 0; });
  EXPECT_GT(throttled, 20);  // p = 0.3 of 200: far from 0 and from 200
  EXPECT_LT(throttled, 120);
}

TEST(FaultInjector, FirstNLimitsARuleAndInstallResetsIt) {
  FaultInjector injector(parse_fault_plan(R"({"rules":[{"kind":"http_error","status":502,"first_n":2}]})", "t"));
  EXPECT_TRUE(injector.on_request("/x").action.has_value());
  EXPECT_TRUE(injector.on_request("/x").action.has_value());
  EXPECT_FALSE(injector.on_request("/x").action.has_value());
  injector.install(injector.plan());
  EXPECT_TRUE(injector.on_request("/x").action.has_value());
  injector.clear();
  EXPECT_FALSE(injector.on_request("/x").any());
}

TEST(FaultInjector, PathWindowAndProbabilityZeroKeepARuleQuiet) {
  FaultInjector injector(parse_fault_plan(R"({"rules":[{"kind":"reset","path":"/admin-only"},
      {"kind":"stall","after_ms":3600000},{"kind":"throttle","probability":0}]})", "t"));
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(injector.on_request("/onshi/v1/qualification/card").any());
  EXPECT_EQ(injector.on_request("/admin-only/x").action->kind, FaultKind::reset);
}

TEST(FaultInjector, LatenciesAddUpAndOneActionWins) {
  FaultInjector injector(parse_fault_plan(R"({"rules":[
      {"kind":"latency","latency":{"shape":"fixed","fixed_ms":5}},
      {"kind":"throttle"}, {"kind":"maintenance"},
      {"kind":"latency","latency":{"shape":"fixed","fixed_ms":7}}]})", "t"));
  const FaultDecision d = injector.on_request("/x");
  EXPECT_EQ(d.delay, std::chrono::milliseconds(12));
  ASSERT_TRUE(d.action.has_value());
  EXPECT_EQ(d.action->kind, FaultKind::throttle);
  EXPECT_EQ(d.applied, "latency:fixed,throttle,latency:fixed");
}

TEST(FaultInjector, TlsAlertsAreConnectionLevelOnly) {
  FaultInjector injector(parse_fault_plan(R"({"rules":[{"kind":"tls_alert","alert":"handshake_failure"}]})", "t"));
  EXPECT_FALSE(injector.on_request("/x").any());
  EXPECT_EQ(injector.on_connection(), 40);
}

TEST(LatencyDraws, LineProfilesAndLogNormalStayPlausible) {
  std::mt19937_64 rng(3);
  LatencySpec vpn;
  vpn.shape = LatencyShape::ip_vpn;
  LatencySpec ipsec;
  ipsec.shape = LatencyShape::ipsec;
  std::vector<long> v;
  std::vector<long> s;
  for (int i = 0; i < 2001; ++i) {
    v.push_back(draw_latency(vpn, rng).count());
    s.push_back(draw_latency(ipsec, rng).count());
  }
  std::nth_element(v.begin(), v.begin() + 1000, v.end());
  std::nth_element(s.begin(), s.begin() + 1000, s.end());
  EXPECT_NEAR(static_cast<double>(v[1000]), 6000.0, 1000.0);   // median 6 ms
  EXPECT_NEAR(static_cast<double>(s[1000]), 18000.0, 3000.0);  // median 18 ms
  LatencySpec uniform;
  uniform.shape = LatencyShape::uniform;
  uniform.min_ms = 2;
  uniform.max_ms = 3;
  for (int i = 0; i < 100; ++i) {
    const auto d = draw_latency(uniform, rng).count();
    EXPECT_GE(d, 2000);
    EXPECT_LE(d, 3000);
  }
}

}  // namespace
}  // namespace onshi::testing
