// A whole reception the way a vendor's rig runs it: the suite exports the emulated CCID
// reader (holding P001's virtual My Number Card) over USB/IP on loopback, the mock ONS runs
// with a latency fault, and a rig file wires the harness to both as if they were a real
// reader and a real ONS ([reader] kind = "usbip", [ons] kind = "remote").
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "onshi/flow/run_record.hpp"
#include "onshi/mocks/card/patient_card.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/reader_identity.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/population/population.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/testing/mock_ons_fixture.hpp"

namespace vendor {
namespace {

using onshi::mocks::ons::MockLogEntry;

class ExportedReaderReceptionTest : public onshi::testing::MockOnsTest {
 protected:
  void customise(onshi::mocks::ons::OnsMockOptions& options) override {
    options.faults = onshi::mocks::ons::parse_fault_plan(
        R"({"seed": 7, "rules": [{"kind": "latency", "latency": {"shape": "fixed", "fixed_ms": 20}}]})", "vendor plan");
  }

  void SetUp() override {
    MockOnsTest::SetUp();
    if (HasFatalFailure()) return;
    const onshi::population::Population population = onshi::population::load_population();
    auto reader = std::make_shared<onshi::mocks::reader::EmulatedCcidReader>(
        onshi::mocks::reader::reader_identity_by_name("generic-ccid"));
    reader->insert_card(onshi::mocks::card::make_patient_card(population.patient("P001"), test_pki()));
    exported_ = std::make_unique<onshi::mocks::reader::UsbipServer>(reader);  // 127.0.0.1, ephemeral port
    exported_->start();
  }
  void TearDown() override {
    if (exported_) exported_->stop();
    MockOnsTest::TearDown();
  }

  // The rig a site would write for this bench, pointing at what SetUp started.
  std::string rig_text() const {
    const std::string facility = onshi::testing::kTestFacility;
    return "name = \"vendor-bench\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"" + facility +
           "\"\n[card]\nkind = \"physical\"\n[reader]\nkind = \"usbip\"\nserver = \"127.0.0.1:" +
           std::to_string(exported_->port()) + "\"\nbusid = \"" + exported_->options().busid +
           "\"\n[ons]\nkind = \"remote\"\nurl = \"https://127.0.0.1:" + std::to_string(port()) +
           "\"\nserver_ca = \"" + paths().ons_ca_cert().string() + "\"\nclient_cert = \"" +
           paths().terminal_cert(facility).string() + "\"\nclient_key = \"" + paths().terminal_key(facility).string() +
           "\"\n[output]\nkind = \"folder\"\ndir = \"out\"\n";
  }

  std::unique_ptr<onshi::mocks::reader::UsbipServer> exported_;
};

TEST_F(ExportedReaderReceptionTest, APinReceptionPassesThroughTheExportedReaderDespiteTheSlowLine) {
  const auto rig_file = write_temp("vendor-bench.toml", rig_text());
  onshi::rig::WireOverrides overrides;
  overrides.pki_dir = paths().root();
  const auto rig = onshi::rig::WiredRig::wire(onshi::rig::load_rig(rig_file), overrides);

  const onshi::flow::RunRecord record = rig->run(rig->scenario("pin-ok"));
  for (const auto& step : record.steps) EXPECT_TRUE(step.passed()) << step.name << ": " << step.reason;
  EXPECT_TRUE(record.met_expectation());
  EXPECT_GT(exported_->urbs_handled(), 0u) << "the rig never used the exported reader";

  MockLogEntry inquiry;
  ASSERT_TRUE(wait_for_journal_entry(
      [](const MockLogEntry& e) { return e.target == onshi::ons::kCardInquiryPath && e.patient_id == "P001"; },
      "P001's card inquiry", &inquiry));
  EXPECT_EQ(inquiry.status, 200u);
  EXPECT_EQ(inquiry.qualification_validity, "1");
  EXPECT_NE(inquiry.fault.find("latency"), std::string::npos) << inquiry.fault;
}

}  // namespace
}  // namespace vendor
