// The checklist loader: the shipped checklist loads; a bad file is refused with an error that
// names the file, the line and the key.
#include <gtest/gtest.h>

#include "onshi/optest/checklist.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::optest {
namespace {

using onshi::testing::error_of;

constexpr const char* kHead = "schema = \"onshi-hil/optest-checklist/1\"\nname = \"t\"\n";

TEST(Checklist, ShippedChecklistHasEveryPhaseAndReceptionsNameCatalogueScenarios) {
  const Checklist c = load_checklist(default_checklist_file());
  EXPECT_EQ(c.name, "operational-test");
  std::set<std::string> phases;
  std::set<std::string> scenarios;
  for (const auto& check : c.checks) {
    phases.insert(check.phase);
    if (check.kind == CheckKind::reception) scenarios.insert(check.scenario);
  }
  EXPECT_EQ(phases, (std::set<std::string>{"preflight", "connectivity", "receptions", "receipt-computer",
                                           "information-viewing", "load"}));
  for (const char* s : {"pin-ok", "face-match", "face-miss-then-pin", "camera-fault-visual", "consent-refused",
                        "new-qualification-exists", "pin-locked", "expired-auth-certificate"}) {
    EXPECT_EQ(scenarios.count(s), 1u) << s;
  }
}

TEST(Checklist, ReadsEveryKeyOfACheck) {
  const Checklist c = parse_checklist(std::string(kHead) +
                                          "[[check]]\nname = \"r\"\nphase = \"receptions\"\nkind = \"reception\"\n"
                                          "scenario = \"pin-ok\"\nrequired = false\n"
                                          "budgets_ms = { identity_check = 2500 }\n",
                                      "c.toml");
  ASSERT_EQ(c.checks.size(), 1u);
  EXPECT_EQ(c.checks[0].kind, CheckKind::reception);
  EXPECT_FALSE(c.checks[0].required);
  EXPECT_EQ(c.checks[0].budgets_ms.at("identity_check"), 2500);
  EXPECT_EQ(c.checks[0].line, 3);
}

TEST(Checklist, UnknownKeyNamesFileLineAndKey) {
  const Error e = error_of([] {
    parse_checklist(std::string(kHead) + "[[check]]\nname = \"a\"\nphase = \"connectivity\"\nkind = \"tcp-connect\"\n"
                                         "limt_ms = 5\n",
                    "site-checklist.toml");
  });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(std::string(e.what()).find("site-checklist.toml:7"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("limt_ms"), std::string::npos) << e.what();
}

TEST(Checklist, UnknownKindListsTheKnownOnes) {
  const Error e = error_of([] {
    parse_checklist(std::string(kHead) + "[[check]]\nname = \"a\"\nphase = \"connectivity\"\nkind = \"ping\"\n", "c.toml");
  });
  EXPECT_NE(std::string(e.what()).find("c.toml:6"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("kind"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("tls-handshake"), std::string::npos) << e.what();
}

TEST(Checklist, ReceptionWithoutScenarioIsRefused) {
  const Error e = error_of([] {
    parse_checklist(std::string(kHead) + "[[check]]\nname = \"a\"\nphase = \"receptions\"\nkind = \"reception\"\n",
                    "c.toml");
  });
  EXPECT_NE(std::string(e.what()).find("c.toml:3"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("scenario"), std::string::npos) << e.what();
}

TEST(Checklist, DuplicateNameBadBudgetStepAndWrongSchemaAreRefused) {
  const std::string check = "[[check]]\nname = \"a\"\nphase = \"connectivity\"\nkind = \"tcp-connect\"\n";
  const Error duplicate = error_of([&] { parse_checklist(std::string(kHead) + check + check, "c.toml"); });
  EXPECT_NE(std::string(duplicate.what()).find("c.toml:8"), std::string::npos) << duplicate.what();
  EXPECT_NE(std::string(duplicate.what()).find("duplicate check name 'a'"), std::string::npos) << duplicate.what();

  const Error budget = error_of([] {
    parse_checklist(std::string(kHead) + "[[check]]\nname = \"r\"\nphase = \"receptions\"\nkind = \"reception\"\n"
                                         "scenario = \"pin-ok\"\nbudgets_ms = { pin_entry = 5 }\n",
                    "c.toml");
  });
  EXPECT_NE(std::string(budget.what()).find("c.toml:8"), std::string::npos) << budget.what();
  EXPECT_NE(std::string(budget.what()).find("budgets_ms.pin_entry"), std::string::npos) << budget.what();

  const Error schema = error_of([] { parse_checklist("schema = \"x\"\nname = \"t\"\n", "c.toml"); });
  EXPECT_NE(std::string(schema.what()).find("c.toml:1"), std::string::npos) << schema.what();
  EXPECT_NE(std::string(schema.what()).find("schema"), std::string::npos) << schema.what();
}

TEST(Checklist, ALoadSmokeReadsItsRunAndThresholds) {
  const Checklist shipped = load_checklist(default_checklist_file());
  bool found = false;
  for (const auto& check : shipped.checks) {
    if (check.kind != CheckKind::load_smoke) continue;
    found = true;
    EXPECT_FALSE(check.load_thresholds.empty()) << check.name << ": a smoke run without a verdict";
  }
  EXPECT_TRUE(found);
  const Checklist c = parse_checklist(std::string(kHead) +
                                          "[[check]]\nname = \"l\"\nphase = \"load\"\nkind = \"load-smoke\"\n"
                                          "rate_per_s = 4\nduration_s = 1.5\nreaders = 3\n"
                                          "thresholds = [\"reception.p99 < 2s\", \"throughput >= 2/s\"]\n",
                                      "c.toml");
  ASSERT_EQ(c.checks.size(), 1u);
  EXPECT_EQ(c.checks[0].load_rate_per_s, 4.0);
  EXPECT_EQ(c.checks[0].load_duration_s, 1.5);
  EXPECT_EQ(c.checks[0].load_readers, 3u);
  EXPECT_EQ(c.checks[0].load_thresholds, (std::vector<std::string>{"reception.p99 < 2s", "throughput >= 2/s"}));
}

TEST(Checklist, ABadLoadSmokeIsRefusedNamingTheKey) {
  const std::string load = "[[check]]\nname = \"l\"\nphase = \"load\"\nkind = \"load-smoke\"\n";
  const Error threshold = error_of([&] {
    parse_checklist(std::string(kHead) + load + "thresholds = [\"reception.p99 < fast\"]\n", "c.toml");
  });
  EXPECT_NE(std::string(threshold.what()).find("c.toml:7"), std::string::npos) << threshold.what();
  EXPECT_NE(std::string(threshold.what()).find("thresholds"), std::string::npos) << threshold.what();
  const Error readers = error_of([&] { parse_checklist(std::string(kHead) + load + "readers = 0\n", "c.toml"); });
  EXPECT_NE(std::string(readers.what()).find("readers"), std::string::npos) << readers.what();
  const Error rate = error_of([&] { parse_checklist(std::string(kHead) + load + "rate_per_s = -1\n", "c.toml"); });
  EXPECT_NE(std::string(rate.what()).find("rate_per_s"), std::string::npos) << rate.what();
  const Error elsewhere = error_of([] {
    parse_checklist(std::string(kHead) + "[[check]]\nname = \"a\"\nphase = \"connectivity\"\nkind = \"tcp-connect\"\n"
                                         "readers = 2\n",
                    "c.toml");
  });
  EXPECT_NE(std::string(elsewhere.what()).find("load-smoke check only"), std::string::npos) << elsewhere.what();
}

TEST(Checklist, MissingFileIsNotFound) {
  EXPECT_EQ(error_of([] { load_checklist("/nonexistent/checklist.toml"); }).code(), ErrorCode::not_found);
}

}  // namespace
}  // namespace onshi::optest

namespace onshi::optest {
namespace {

// A hot-plug check without a prompt or scenario gets the default prompt (a physical act the
// harness does on an emulated rig) and the pin-ok reception; a scenario elsewhere is refused.
TEST(Checklist, AHotPlugCheckHasItsDefaultPromptAndScenario) {
  const Checklist c = parse_checklist(
      std::string(kHead) + "[[check]]\nname = \"reader.hot_plug\"\nphase = \"receptions\"\nkind = \"hot-plug\"\n", "c.toml");
  ASSERT_EQ(c.checks.size(), 1u);
  EXPECT_EQ(c.checks[0].kind, CheckKind::hot_plug);
  EXPECT_EQ(c.checks[0].scenario, "pin-ok");
  ASSERT_TRUE(c.checks[0].prompt);
  EXPECT_EQ(c.checks[0].prompt->id, "reader.hot_plug");
  EXPECT_TRUE(c.checks[0].prompt->physical_act);
  EXPECT_EQ(c.checks[0].prompt->answers.front(), "done");
  EXPECT_NE(c.checks[0].prompt->text.find("pull the card reader"), std::string::npos);

  const Error elsewhere = error_of([] {
    parse_checklist(std::string(kHead) + "[[check]]\nname = \"a\"\nphase = \"connectivity\"\nkind = \"tcp-connect\"\n"
                                         "scenario = \"pin-ok\"\n",
                    "c.toml");
  });
  EXPECT_NE(std::string(elsewhere.what()).find("only a reception, hot-plug or information-viewing check runs a scenario"), std::string::npos)
      << elsewhere.what();
}

}  // namespace
}  // namespace onshi::optest
