#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/links/sut_backend.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::rig {
namespace {

const std::string kHead = "name = \"r\"\n[facility]\ncode = \"1312345678\"\n";

std::string error_of(const std::string& text) {
  try {
    parse_rig(text, "/srv/rigs/site.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SutRig, ARigWithoutSutHasNone) { EXPECT_TRUE(parse_rig(kHead, "/srv/rigs/site.toml").sut.kind.empty()); }

TEST(SutRig, ACommandIsLaunchedWithItsReadyConditionAndTimeouts) {
  const RigConfig rig = parse_rig(kHead + "[sut]\ncommand = [\"../bin/rc\", \"--folder\", \"{output}\"]\n"
                                          "env = { RC_MODE = \"test\" }\nready = { stdout = \"watching\" }\n"
                                          "ready_timeout = 2.5\nstop_timeout = 3\nconsume_deadline_ms = 1500\n"
                                          "journal = \"{output}/j.jsonl\"\nrequests = false\n",
                                  "/srv/rigs/site.toml");
  EXPECT_EQ(rig.sut.kind, "launched");
  const auto& s = rig.sut.settings_as<links::SutSettings>();
  EXPECT_FALSE(s.external);
  ASSERT_EQ(s.launch.command.size(), 3u);
  EXPECT_EQ(s.launch.command[0], "/srv/bin/rc");  // relative to the rig file, like every path in a rig
  EXPECT_EQ(s.launch.command[2], "{output}");     // filled when the link is opened
  ASSERT_EQ(s.launch.env.size(), 1u);
  EXPECT_EQ(s.launch.env[0].second, "test");
  EXPECT_EQ(s.launch.ready.kind, sut::ReadyCondition::Kind::stdout_match);
  EXPECT_EQ(s.launch.ready_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(s.launch.stop_timeout, std::chrono::milliseconds(3000));
  EXPECT_EQ(s.consume_deadline, std::chrono::milliseconds(1500));
  EXPECT_EQ(s.journal, "{output}/j.jsonl");
  EXPECT_FALSE(s.requests);
  const auto link = links::open_sut_link(rig.sut, {"/data/out", "/data/pki", "/srv/rigs", "here"});
  EXPECT_EQ(link->describe(), "launched: /srv/bin/rc --folder /data/out");
  EXPECT_EQ(link->settings().journal, "/data/out/j.jsonl");
}

TEST(SutRig, ExternalTrueMeansAnExternalSutWithoutLaunchKeys) {
  const RigConfig rig = parse_rig(kHead + "[sut]\nexternal = true\nconsume_deadline_ms = 500\n", "/srv/rigs/site.toml");
  EXPECT_EQ(rig.sut.kind, "external");
  EXPECT_TRUE(rig.sut.settings_as<links::SutSettings>().external);
  const auto link = links::open_sut_link(rig.sut, {"/data/out", "/data/pki", "/srv/rigs", "here"});
  EXPECT_FALSE(link->launched());
  EXPECT_FALSE(link->stop().has_value());
  const std::string e = error_of(kHead + "[sut]\nexternal = true\ncommand = [\"rc\"]\n");
  EXPECT_NE(e.find("unknown key 'command' for sut kind 'external'"), std::string::npos) << e;
}

TEST(SutRig, MistakesNameTheFileLineAndKey) {
  std::string e = error_of(kHead + "[sut]\nready = { file = \"x\" }\n");
  EXPECT_NE(e.find("missing key 'command'"), std::string::npos) << e;
  EXPECT_NE(e.find("/srv/rigs/site.toml:4: [sut]"), std::string::npos) << e;
  e = error_of(kHead + "[sut]\ncommand = [\"rc\"]\nready = { socket = \"/x\" }\n");
  EXPECT_NE(e.find("[sut] key 'ready'"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown ready condition 'socket'"), std::string::npos) << e;
  e = error_of(kHead + "[sut]\ncommand = [\"rc\"]\nready_timeout = -1\n");
  EXPECT_NE(e.find("[sut] key 'ready_timeout'"), std::string::npos) << e;
  e = error_of(kHead + "[sut]\ncommand = []\n");
  EXPECT_NE(e.find("expected a non-empty list of strings"), std::string::npos) << e;
  e = error_of(kHead + "[sut]\nkind = \"launched\"\nexternal = true\ncommand = [\"rc\"]\n");
  EXPECT_NE(e.find("external = true with kind \"launched\""), std::string::npos) << e;
}

}  // namespace
}  // namespace onshi::rig
