// A virtual card's PIN counter survives kill -9 (issue 14, item 7): `onshi-hil emulate reader
// --card-state FILE` as a real child process, a wrong PIN typed through USB/IP and the host
// driver, the emulator SIGKILLed between two tries and started again on the same file: the card
// has the tries the killed one left (as a plastic card would), never a fresh counter, and the
// file stays whole JSON. Without --card-state the card starts fresh, as before.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "onshi/ccid/host_driver.hpp"
#include "onshi/core/bytes.hpp"
#include "onshi/iso7816/apdu.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One `emulate reader` child on an ephemeral port, and a host driver on its USB/IP export.
class Emulator {
 public:
  Emulator(const fs::path& log, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {ONSHI_HIL_BINARY, "emulate", "reader", "--usbip", "127.0.0.1:0",
                                     "--pki", std::getenv("ONSHI_TEST_PKI")};
    args.insert(args.end(), extra.begin(), extra.end());
    child_ = std::make_unique<testing::ChildProcess>(args, log);
    if (!child_->wait_for_output(std::regex("stop with"), 60s)) return;
    std::smatch m;
    const std::string out = child_->output();
    if (!std::regex_search(out, m, std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid 1-1"))) return;
    port_ = static_cast<std::uint16_t>(std::stoul(m[1].str()));
    if (std::regex_search(out, m, std::regex("test PIN .*: ([0-9]{4})"))) pin_ = m[1].str();
    transport_ = usb::UsbipTransport::import({"127.0.0.1", port_}, "1-1");
    driver_ = std::make_unique<ccid::HostDriver>(*transport_);
    driver_->power_on();
    select_auth_pin();
  }
  bool up() const { return driver_ != nullptr; }
  std::string output() const { return child_->output(); }
  std::string wrong_pin() const { return pin_ == "9999" ? "1111" : "9999"; }
  std::uint16_t verify(const std::string& pin) {
    Bytes apdu = from_hex("00 20 00 80");
    if (!pin.empty()) {
      apdu.push_back(static_cast<std::uint8_t>(pin.size()));
      apdu.insert(apdu.end(), pin.begin(), pin.end());
    }
    return iso7816::ResponseApdu::parse(driver_->transmit_raw(apdu)).sw;
  }
  int kill() {
    driver_.reset();
    transport_.reset();
    child_->send_signal(SIGKILL);
    return child_->stop();
  }

 private:
  void select_auth_pin() {
    for (const char* hex : {"00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", "00 A4 02 0C 02 00 18"}) {
      EXPECT_EQ(iso7816::ResponseApdu::parse(driver_->transmit_raw(from_hex(hex))).sw, 0x9000) << hex;
    }
  }
  std::unique_ptr<testing::ChildProcess> child_;
  std::uint16_t port_ = 0;
  std::string pin_;
  std::unique_ptr<usb::UsbipTransport> transport_;
  std::unique_ptr<ccid::HostDriver> driver_;
};

TEST(CardStateOverKill, TheTriesAKilledEmulatorSpentStaySpent) {
  ASSERT_NE(std::getenv("ONSHI_TEST_PKI"), nullptr) << "the test_pki fixture sets ONSHI_TEST_PKI";
  const fs::path dir = fs::temp_directory_path() / ("onshi-card-state-kill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path state = dir / "card.json";
  {
    Emulator first(dir / "first.log", {"--card-state", state.string()});
    ASSERT_TRUE(first.up()) << first.output();
    EXPECT_EQ(first.verify(""), 0x63C3) << "a fresh card has three tries";
    EXPECT_EQ(first.verify(first.wrong_pin()), 0x63C2);
    EXPECT_EQ(first.kill(), 128 + SIGKILL);  // between two tries
  }
  {
    Emulator second(dir / "second.log", {"--card-state", state.string()});
    ASSERT_TRUE(second.up()) << second.output();
    EXPECT_EQ(second.verify(""), 0x63C2) << "the killed emulator's try was given back";
    EXPECT_EQ(second.verify(second.wrong_pin()), 0x63C1);
    EXPECT_EQ(second.kill(), 128 + SIGKILL);
  }
  const nlohmann::json saved = nlohmann::json::parse(testing::read_file(state));
  EXPECT_EQ(saved.value("schema", ""), "onshi-hil/card-state/1");
  {
    Emulator third(dir / "third.log", {"--card-state", state.string()});
    ASSERT_TRUE(third.up()) << third.output();
    EXPECT_EQ(third.verify(""), 0x63C1);
    EXPECT_EQ(third.kill(), 128 + SIGKILL);
  }
  {
    Emulator without(dir / "without.log", {});
    ASSERT_TRUE(without.up()) << without.output();
    EXPECT_EQ(without.verify(""), 0x63C3) << "without --card-state the card starts fresh";
    without.kill();
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace onshi
