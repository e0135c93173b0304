// The PC/SC host backend (reader::PcscCardReader) against real middleware: our own pcscd
// with vsmartcard's vpcd reader in a private namespace (onshi/testing/private_pcscd.hpp).
//  - the whole reception flow (WiredRig, rig [reader] kind = "pcsc" + vpcd export) passes,
//    twice in a row (the card leaves and a fresh one arrives between receptions);
//  - the card pulled mid-flow (vpcd socket closed) and pcscd vanishing mid-exchange end in
//    a clear failed step / Error naming the operation and the reader, not a hang;
//  - T=0: the backend does the 6Cxx / 61xx procedures pcsc-lite leaves to applications;
//  - `onshi-hil emulate card --vpcd` as a real child process: a PC/SC client sees the card
//    and `onshi-hil run --rig rigs/pcsc.toml` passes the whole flow against it.
// Skipped, with the reason, when pcscd, ifd-vpcd or namespaces are unavailable.
#include <gtest/gtest.h>

#include <atomic>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "onshi/testing/files.hpp"
#include "onshi/core/error.hpp"
#include "onshi/flow/run_record.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/mocks/reader/vpcd_export.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"
#include "onshi/links/reader/remote_reader_settings.hpp"
#include "onshi/mocks/reader/links/emulated_reader_settings.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/testing/private_pcscd.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/testing/sized_answer_icc.hpp"

namespace onshi::reader {
namespace {

using namespace std::chrono_literals;

const HostPort vpcd_address{"127.0.0.1", mocks::reader::vpcd_default_port};

// Each test body runs inside its own namespace with its own pcscd; outside it only re-runs.
#define ONSHI_IN_PRIVATE_PCSCD()                                                          \
  if (!onshi::testing::inside_private_namespace()) {                                      \
    if (const std::string why = onshi::testing::private_pcscd_unavailable_reason(); !why.empty()) { \
      GTEST_SKIP() << why;                                                                \
    }                                                                                     \
    EXPECT_TRUE(onshi::testing::rerun_current_test_in_private_namespace());               \
    return;                                                                               \
  }                                                                                       \
  onshi::testing::PrivatePcscd pcscd;                                                     \
  ASSERT_TRUE(pcscd.running()) << pcscd.failure()

std::string rig_text(const std::string& extra = "") {
  return "name = \"pcsc-test\"\nscenario = \"pin-ok\"\n[facility]\ncode = \"1312345678\"\n"
         "[reader]\nkind = \"vpcd\"\nname = \"Virtual PCD\"\nvpcd = \"127.0.0.1:35963\"\n" + extra +
         "[ons]\nkind = \"embedded-mock\"\nthreads = 1\n";
}

std::unique_ptr<rig::WiredRig> wire(const std::string& text) {
  const rig::RigConfig config = rig::parse_rig(text, "pcsc-test.toml");
  rig::WireOverrides overrides;
  overrides.output_dir = std::filesystem::temp_directory_path() / ("onshi-pcsc-" + std::to_string(::getpid()));
  return rig::WiredRig::wire(config, overrides);
}

std::string failed_steps(const flow::RunRecord& record) {
  std::string out;
  for (const auto& s : record.steps) {
    if (s.status == flow::StepStatus::failed) out += s.name + ": " + s.reason + "\n";
  }
  return out;
}

std::string detail(const flow::RunRecord& record, const std::string& step, const std::string& key) {
  for (const auto& [k, v] : record.step(step)->details) {
    if (k == key) return v;
  }
  return "";
}

TEST(PcscRigFile, KeysAreCheckedByName) {
  const rig::RigConfig config = rig::parse_rig(rig_text("protocol = \"t1\"\n"), "ok.toml");
  EXPECT_EQ(config.reader.kind, "vpcd");
  const auto& vpcd = config.reader.settings_as<mocks::reader::VpcdReaderSettings>();
  EXPECT_EQ(vpcd.name, "Virtual PCD");
  EXPECT_EQ(vpcd.protocol, "t1");
  EXPECT_EQ(vpcd.vpcd, "127.0.0.1:35963");
  try {
    rig::parse_rig(rig_text("protocol = \"t2\"\n"), "bad.toml");
    ADD_FAILURE() << "protocol t2 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.toml"), std::string::npos) << e.what();
  }
  // A card pulled is only ours to pull when we export it.
  EXPECT_THROW(rig::parse_rig("name = \"p\"\n[facility]\ncode = \"1312345678\"\n[card]\nkind = \"physical\"\n"
                              "[reader]\nkind = \"pcsc\"\nfault = \"pull-card\"\n",
                              "f.toml"),
               Error);
  EXPECT_THROW(rig::parse_rig(rig_text("fault = \"unplug\"\n"), "f.toml"), Error);
  const rig::RigConfig pcsc = rig::load_rig(std::filesystem::path(ONSHI_SOURCE_RIGS_DIR) / "pcsc.toml");
  EXPECT_EQ(pcsc.reader.settings_as<links::PcscReaderSettings>().name, "");
  EXPECT_EQ(rig::load_rig(std::filesystem::path(ONSHI_SOURCE_RIGS_DIR) / "pcsc-vpcd.toml")
                .reader.settings_as<mocks::reader::VpcdReaderSettings>()
                .vpcd,
            "127.0.0.1:35963");
}

TEST(PcscRigFile, TheOldVpcdKeyOfPcscPointsAtTheVpcdKind) {
  try {
    rig::parse_rig("name = \"p\"\n[facility]\ncode = \"1312345678\"\n[card]\nkind = \"physical\"\n"
                   "[reader]\nkind = \"pcsc\"\nvpcd = \"127.0.0.1:35963\"\n",
                   "old.toml");
    ADD_FAILURE() << "pcsc with vpcd accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("old.toml:8: [reader] key 'vpcd'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("kind = \"vpcd\""), std::string::npos) << e.what();
  }
}

TEST(PcscBackend, NoPcscdIsAClearDeviceError) {
  if (!onshi::testing::inside_private_namespace()) {
    if (const std::string why = onshi::testing::private_pcscd_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    EXPECT_TRUE(onshi::testing::rerun_current_test_in_private_namespace());
    return;
  }
  // Inside the namespace, before any pcscd: nothing listens on /run/pcscd.
  const auto mounted = onshi::testing::run_process({"mount", "-t", "tmpfs", "onshi-pcscd", "/run/pcscd"});
  ASSERT_TRUE(mounted.succeeded()) << mounted.describe();
  try {
    PcscCardReader reader({"Virtual PCD", PcscProtocol::any});
    ADD_FAILURE() << "a context without pcscd";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device) << e.what();
    EXPECT_NE(std::string(e.what()).find("pcscd is not running"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SCardEstablishContext"), std::string::npos) << e.what();
  }
}

TEST(PcscBackend, WholeReceptionPassesThroughPcscdAndVpcd) {
  ONSHI_IN_PRIVATE_PCSCD();
  auto rig = wire(rig_text());
  for (int reception = 1; reception <= 2; ++reception) {
    const flow::RunRecord record = rig->run(rig->scenario("pin-ok"));
    EXPECT_TRUE(record.all_steps_passed()) << "reception " << reception << ":\n" << failed_steps(record);
    EXPECT_EQ(detail(record, "card_detect", "reader").rfind("pcsc/Virtual PCD", 0), 0u)
        << detail(record, "card_detect", "reader");
    EXPECT_EQ(record.step("deliver_result")->status, flow::StepStatus::passed);
  }
}

TEST(PcscBackend, CardPulledMidFlowFailsAStepClearly) {
  ONSHI_IN_PRIVATE_PCSCD();
  auto rig = wire(rig_text("fault = \"pull-card\"\nfault_after_exchanges = 3\n"));
  const flow::RunRecord record = rig->run(rig->scenario("pin-ok"));
  EXPECT_FALSE(record.all_steps_passed());
  EXPECT_EQ(record.step("read_certificate")->status, flow::StepStatus::failed) << failed_steps(record);
  const std::string reason = record.step("read_certificate")->reason;
  EXPECT_NE(reason.find("card removed"), std::string::npos) << reason;
  EXPECT_NE(reason.find("SCardTransmit failed"), std::string::npos) << reason;
  EXPECT_NE(reason.find("pcsc/Virtual PCD"), std::string::npos) << reason;
  EXPECT_EQ(record.step("deliver_result")->status, flow::StepStatus::skipped);
}

TEST(PcscBackend, PcscdVanishingMidExchangeIsAClearDeviceError) {
  ONSHI_IN_PRIVATE_PCSCD();
  auto card = std::make_shared<onshi::testing::SizedAnswerIcc>();
  mocks::reader::VpcdExport exported(card, vpcd_address);
  PcscCardReader reader({"Virtual PCD", PcscProtocol::any});
  ASSERT_TRUE(reader.wait_for_card(10s));
  EXPECT_EQ(reader.connect(), card->atr);
  EXPECT_EQ(reader.active_protocol(), "T=1");
  iso7816::CommandApdu read;
  read.ins = 0xB0;
  read.le = 16;
  EXPECT_EQ(reader.channel().transmit(read).data.size(), 16u);
  pcscd.stop(SIGKILL);  // the middleware and its reader are gone
  try {
    reader.channel().transmit(read);
    ADD_FAILURE() << "transmit after pcscd died did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device) << e.what();
    EXPECT_NE(std::string(e.what()).find("SCardTransmit failed"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("pcsc/Virtual PCD"), std::string::npos) << e.what();
  }
  EXPECT_THROW(reader.wait_for_card(1s), Error);  // no silent "no card": the service is gone
}

TEST(PcscBackend, NoMatchingReaderIsNamedAndWaitingEnds) {
  ONSHI_IN_PRIVATE_PCSCD();
  PcscCardReader reader({"SONY FeliCa", PcscProtocol::any});
  EXPECT_FALSE(reader.wait_for_card(500ms));  // bounded: returns when the time is up
  try {
    reader.connect();
    ADD_FAILURE() << "connect without a matching reader did not throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("SONY FeliCa"), std::string::npos) << e.what();
  }
  const auto readers = reader.list_readers();  // ifd-vpcd offers two slots (ports 35963, 35964)
  ASSERT_FALSE(readers.empty());
  for (const std::string& r : readers) EXPECT_NE(r.find("Virtual PCD"), std::string::npos) << r;
}

// A T=0-only card: answers case-2/4 commands with 61xx and delivers on GET RESPONSE, and
// answers a wrong Le with 6Cxx, as T=0 cards do.
class T0Icc final : public iso7816::Icc {
 public:
  Bytes power_on() override { return from_hex("3B00"); }  // TS, T0 = no interface bytes: T=0 only
  void power_off() override {}
  Bytes transmit(ByteView command) override {
    if (command.size() >= 5 && command[1] == 0xC0) {  // GET RESPONSE
      Bytes out = pending_;
      pending_.clear();
      out.push_back(0x90);
      out.push_back(0x00);
      return out;
    }
    if (command.size() == 5 && command[1] == 0xB0 && command[4] != 8) return from_hex("6C08");
    if (command.size() == 5 && command[1] == 0xB0) return from_hex("01020304050607089000");
    pending_ = from_hex("A1A2A3");
    return from_hex("6103");
  }

 private:
  Bytes pending_;
};

TEST(PcscBackend, T0ProceduresAreDoneForTheApplication) {
  ONSHI_IN_PRIVATE_PCSCD();
  mocks::reader::VpcdExport exported(std::make_shared<T0Icc>(), vpcd_address);
  PcscCardReader reader({"Virtual PCD", PcscProtocol::t0});
  ASSERT_TRUE(reader.wait_for_card(10s));
  reader.connect();
  EXPECT_EQ(reader.active_protocol(), "T=0");
  iso7816::CommandApdu select;
  select.ins = 0xA4;
  select.p1 = 0x04;
  select.data.assign(jpki::aid::jpki.begin(), jpki::aid::jpki.end());
  select.le = 256;
  const iso7816::ResponseApdu fci = reader.channel().transmit(select);
  EXPECT_EQ(fci.sw, 0x9000);
  EXPECT_EQ(fci.data, from_hex("A1A2A3"));
  iso7816::CommandApdu read;
  read.ins = 0xB0;
  read.le = 256;  // wrong: the card says 6C08
  const iso7816::ResponseApdu binary = reader.channel().transmit(read);
  EXPECT_EQ(binary.sw, 0x9000);
  EXPECT_EQ(binary.data, from_hex("0102030405060708"));
  reader.disconnect();
}

// A T=0 card that answers a SELECT with 61 10 and every GET RESPONSE with 16 bytes and 61 10
// again, for ever; other commands it answers at once.
class EndlessGetResponseIcc final : public iso7816::Icc {
 public:
  Bytes power_on() override { return from_hex("3B00"); }
  void power_off() override {}
  Bytes transmit(ByteView command) override {
    if (command.size() >= 2 && command[1] == 0xC0) {
      ++get_responses;
      Bytes out(16, 0xEE);
      out.push_back(0x61);
      out.push_back(0x10);
      return out;
    }
    if (command.size() >= 2 && command[1] == 0xA4) return from_hex("6110");
    return from_hex("0102039000");
  }
  std::atomic<unsigned> get_responses{0};
};

TEST(PcscBackend, AnEndless61xxChainIsANamedErrorAfterABoundAndTheNextCommandWorks) {
  ONSHI_IN_PRIVATE_PCSCD();
  auto card = std::make_shared<EndlessGetResponseIcc>();
  mocks::reader::VpcdExport exported(card, vpcd_address);
  PcscCardReader reader({"Virtual PCD", PcscProtocol::t0});
  ASSERT_TRUE(reader.wait_for_card(10s));
  reader.connect();
  iso7816::CommandApdu select;
  select.ins = 0xA4;
  select.p1 = 0x04;
  select.data.assign(jpki::aid::jpki.begin(), jpki::aid::jpki.end());
  select.le = 256;
  try {
    reader.channel().transmit(select);
    FAIL() << "an endless 61xx chain was followed to its end";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::protocol) << e.what();
    EXPECT_NE(std::string(e.what()).find("6110 16 more response bytes (GET RESPONSE) after 256 GET RESPONSEs"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(card->get_responses.load(), 256u);
  iso7816::CommandApdu read;
  read.ins = 0xB0;
  read.le = 3;
  const iso7816::ResponseApdu binary = reader.channel().transmit(read);
  EXPECT_EQ(binary.sw, 0x9000);
  EXPECT_EQ(binary.data, from_hex("010203"));
  reader.disconnect();
}

using onshi::testing::read_file;

TEST(EmulateCardCli, PcscClientAndWholeFlowUseTheExportedCard) {
  ONSHI_IN_PRIVATE_PCSCD();
  const char* pki = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki, nullptr);
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() / ("onshi-emulate-card-" + std::to_string(::getpid()) + ".log");
  const std::string binary = ONSHI_HIL_BINARY;
  onshi::testing::ChildProcess child({binary, "emulate", "card", "--vpcd", "127.0.0.1:35963", "--pki", pki}, log);
  EXPECT_TRUE(child.wait_for_output(std::regex("runs until"), 30s));
  std::string out = child.output();
  EXPECT_NE(out.find("serving: virtual card to vpcd at 127.0.0.1:35963"), std::string::npos) << out;
  EXPECT_NE(out.find("P001"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("test PIN .*: [0-9]{4}"))) << out;

  {  // a plain PC/SC client: the reader, the card, the JPKI AP
    PcscCardReader reader({"Virtual PCD", PcscProtocol::any});
    ASSERT_TRUE(reader.wait_for_card(10s)) << read_file(log);
    const Bytes atr = reader.connect();
    EXPECT_FALSE(atr.empty());
    iso7816::CommandApdu select;
    select.ins = 0xA4;
    select.p1 = 0x04;
    select.p2 = 0x0C;
    select.data.assign(jpki::aid::jpki.begin(), jpki::aid::jpki.end());
    EXPECT_EQ(reader.channel().transmit(select).sw, 0x9000);
    reader.disconnect();
  }

  // The whole reception, as a user runs it, in another process through pcscd.
  const std::filesystem::path record =
      std::filesystem::temp_directory_path() / ("onshi-pcsc-record-" + std::to_string(::getpid()) + ".json");
  const onshi::testing::ProcessResult run =
      onshi::testing::run_process({binary, "run", "--rig", std::string(ONSHI_SOURCE_RIGS_DIR) + "/pcsc.toml", "--pki", pki,
                                   "--record", record.string(), "--output",
                                   (std::filesystem::temp_directory_path() / "onshi-pcsc-cli").string()},
                                  {.timeout = 60s, .merge_stderr = true});
  EXPECT_TRUE(run.succeeded()) << run.describe();
  const std::string record_text = read_file(record);
  EXPECT_NE(record_text.find("Virtual PCD"), std::string::npos) << record_text.substr(0, 2000);
  std::filesystem::remove(record);

  const int stopped = child.stop();  // SIGTERM: it stops cleanly and says how much it served
  out = child.output();
  EXPECT_EQ(stopped, 0) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("stopped after [1-9][0-9]* APDUs"))) << out;
  std::filesystem::remove(log);
}

}  // namespace
}  // namespace onshi::reader
