// The whole reception flow (WiredRig: virtual card, emulated reader, embedded mock ONS) over
// each reader transport the rig file can pick — in-process and USB/IP on loopback — plus the
// card pulled and the reader vanishing mid-flow: a clear failed step, never a hang.
#include <gtest/gtest.h>

#include <filesystem>

#include "onshi/core/error.hpp"
#include "onshi/flow/run_record.hpp"
#include "onshi/links/reader/remote_reader_settings.hpp"
#include "onshi/mocks/reader/links/emulated_reader_settings.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::rig {
namespace {

std::string rig_text(const std::string& transport, const std::string& extra = "") {
  return "name = \"t-" + transport + "\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n"
         "[reader]\nkind = \"emulated\"\ntransport = \"" + transport + "\"\n" + extra +
         "[ons]\nkind = \"embedded-mock\"\nthreads = 1\n";
}

flow::RunRecord run_rig(const std::string& text) {
  const RigConfig config = parse_rig(text, "test-rig.toml");
  WireOverrides overrides;
  overrides.output_dir = std::filesystem::temp_directory_path() / ("onshi-reader-link-" + config.name);
  auto rig = WiredRig::wire(config, overrides);
  return rig->run(rig->scenario("pin-ok"));
}

std::string failed_steps(const flow::RunRecord& record) {
  std::string out;
  for (const auto& s : record.steps) {
    if (s.status == flow::StepStatus::failed) out += s.name + ": " + s.reason + "\n";
  }
  return out;
}

class ReaderTransports : public ::testing::TestWithParam<std::string> {};

TEST_P(ReaderTransports, ReceptionPassesEndToEnd) {
  const flow::RunRecord record = run_rig(rig_text(GetParam()));
  EXPECT_TRUE(record.all_steps_passed()) << failed_steps(record);
  EXPECT_FALSE(record.result_file.empty());
}

TEST_P(ReaderTransports, CardPulledMidFlowFailsAStepClearly) {
  // Exchange 3 falls in read_certificate (SELECT AP, SELECT EF, READ BINARY...).
  const flow::RunRecord record = run_rig(rig_text(GetParam(), "fault = \"pull-card\"\nfault_after_exchanges = 3\n"));
  EXPECT_FALSE(record.all_steps_passed());
  const std::string failed = failed_steps(record);
  EXPECT_NE(failed.find("ICC_MUTE"), std::string::npos) << failed;
  EXPECT_EQ(record.step("deliver_result")->status, flow::StepStatus::skipped);
}

TEST_P(ReaderTransports, ReaderVanishingMidFlowFailsAStepClearly) {
  const flow::RunRecord record = run_rig(rig_text(GetParam(), "fault = \"unplug\"\nfault_after_exchanges = 3\n"));
  EXPECT_FALSE(record.all_steps_passed());
  const std::string failed = failed_steps(record);
  EXPECT_TRUE(failed.find("vanished") != std::string::npos || failed.find("no longer attached") != std::string::npos)
      << failed;
  EXPECT_EQ(record.step("deliver_result")->status, flow::StepStatus::skipped);
}

INSTANTIATE_TEST_SUITE_P(Transports, ReaderTransports, ::testing::Values("in-process", "usbip"),
                         [](const auto& p) { return p.param == "in-process" ? std::string("in_process") : p.param; });

const mocks::reader::EmulatedReaderSettings& emulated(const RigConfig& rig) {
  return rig.reader.settings_as<mocks::reader::EmulatedReaderSettings>();
}

TEST(ReaderLinkRigFile, NewReaderKeysAreCheckedByName) {
  EXPECT_EQ(emulated(parse_rig(rig_text("usbip"), "ok.toml")).transport, "usbip");
  const RigConfig remote = parse_rig(
      "name = \"r\"\n[facility]\ncode = \"1312345678\"\n[card]\nkind = \"physical\"\n"
      "[reader]\nkind = \"usbip\"\nserver = \"lab:3240\"\nbusid = \"1-2\"\n",
      "remote.toml");
  EXPECT_EQ(remote.reader.kind, "usbip");
  EXPECT_EQ(remote.reader.settings_as<links::UsbipReaderSettings>().busid, "1-2");
  EXPECT_EQ(remote.reader.settings_as<links::UsbipReaderSettings>().server, "lab:3240");
  try {
    parse_rig(rig_text("carrier-pigeon"), "bad.toml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("carrier-pigeon"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.toml"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_rig("name = \"r\"\n[facility]\ncode = \"1312345678\"\n[card]\nkind = \"physical\"\n"
                         "[reader]\nkind = \"usbip\"\n",
                         "x.toml"),
               Error);  // server and busid required
  EXPECT_THROW(parse_rig(rig_text("usbip", "fault = \"gremlins\"\n"), "f.toml"), Error);
  EXPECT_THROW(parse_rig(rig_text("usbip", "fault = \"pull-card\"\nfault_after_exchanges = 0\n"), "f.toml"), Error);
  EXPECT_THROW(parse_rig(rig_text("usbip", "fault_after_exchanges = 3\n"), "f.toml"), Error);  // no fault named
}

TEST(ReaderLinkRigFile, ShippedUsbipRigLoads) {
  const RigConfig rig = load_rig(std::filesystem::path(ONSHI_SOURCE_RIGS_DIR) / "usbip.toml");
  EXPECT_EQ(emulated(rig).transport, "usbip");
  EXPECT_EQ(load_rig(std::filesystem::path(ONSHI_SOURCE_RIGS_DIR) / "site-template.toml").reader.kind, "usbip");
}

}  // namespace
}  // namespace onshi::rig
