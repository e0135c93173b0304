// Findings as the doctor reports them: the summary's verdict, the text, the JSON schema.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "onshi/doctor/doctor.hpp"

namespace onshi::doctor {
namespace {

std::vector<Finding> sample() {
  return {
      {"ons.tls_handshake", Finding::Severity::ok, "TLSv1.3", "", {run::Measurement::of("tls_handshake_ms", 3.5, "ms")}},
      {"terminal_certificate.validity", Finding::Severity::warning, "expires in 10 days", "renew it", {}},
      {"reader.present", Finding::Severity::failed, "no reader", "plug it in", {}},
  };
}

TEST(DoctorFindings, WarningsDoNotMakeARigUnhealthyFailuresDo) {
  auto findings = sample();
  const Summary all = summarize(findings);
  EXPECT_EQ(all.ok, 1U);
  EXPECT_EQ(all.warnings, 1U);
  EXPECT_EQ(all.failed, 1U);
  EXPECT_FALSE(all.healthy());
  findings.pop_back();
  EXPECT_TRUE(summarize(findings).healthy());
}

TEST(DoctorFindings, TextNamesEachCheckAndItsFix) {
  std::ostringstream out;
  print_findings(out, sample());
  const std::string text = out.str();
  EXPECT_NE(text.find("failed  reader.present: no reader\n        fix: plug it in\n"), std::string::npos) << text;
  EXPECT_NE(text.find("doctor: 1 ok, 1 warning, 1 failed"), std::string::npos) << text;
}

TEST(DoctorFindings, JsonCarriesSeverityFixAndTypedMeasurements) {
  const auto j = nlohmann::json::parse(findings_json(sample(), "rigs/x.toml"));
  EXPECT_EQ(j["schema"], "onshi-hil/doctor/1");
  EXPECT_EQ(j["rig"], "rigs/x.toml");
  EXPECT_EQ(j["summary"]["healthy"], false);
  ASSERT_EQ(j["findings"].size(), 3U);
  EXPECT_EQ(j["findings"][2]["severity"], "failed");
  EXPECT_EQ(j["findings"][2]["fix"], "plug it in");
  EXPECT_EQ(j["findings"][0]["measurements"][0]["name"], "tls_handshake_ms");
  EXPECT_EQ(j["findings"][0]["measurements"][0]["value"], 3.5);
  EXPECT_EQ(j["findings"][0]["measurements"][0]["unit"], "ms");
}

}  // namespace
}  // namespace onshi::doctor
