#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "onshi/testing/echo_icc.hpp"
#include "onshi/ccid/host_driver.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/usb/in_process_transport.hpp"

namespace onshi::ccid {
namespace {

using namespace std::chrono_literals;
using mocks::reader::EmulatedCcidReader;

class HostDriverTest : public ::testing::Test {
 protected:
  std::shared_ptr<EmulatedCcidReader> reader = std::make_shared<EmulatedCcidReader>();
  usb::InProcessTransport transport{reader};
  std::shared_ptr<onshi::testing::EchoIcc> card = std::make_shared<onshi::testing::EchoIcc>();
};

TEST_F(HostDriverTest, FindsTheCcidInterfaceFromTheConfiguration) {
  HostDriver driver(transport);
  EXPECT_EQ(driver.class_descriptor().exchange_level(), feature::exchange_short_apdu);
  EXPECT_EQ(driver.class_descriptor().max_ccid_message_length, 271u);
}

TEST_F(HostDriverTest, PowerOnAndTransmit) {
  reader->insert_card(card);
  HostDriver driver(transport);
  EXPECT_EQ(driver.power_on(), card->atr);
  const iso7816::ResponseApdu r = driver.transmit(iso7816::CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 4u});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.data, from_hex("00B0000004"));  // the echo card returns the command
  driver.power_off();
  EXPECT_EQ(driver.slot_status().icc, IccStatus::present_inactive);
}

TEST_F(HostDriverTest, PowerOnWithoutCardNamesIccMute) {
  HostDriver driver(transport);
  try {
    driver.power_on();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(std::string(e.what()).find("ICC_MUTE"), std::string::npos) << e.what();
  }
}

TEST_F(HostDriverTest, CardRemovedAfterPowerOnFailsTheNextApdu) {
  reader->insert_card(card);
  HostDriver driver(transport);
  driver.power_on();
  reader->remove_card();
  EXPECT_THROW(driver.transmit_raw(from_hex("00B0000004")), Error);
  EXPECT_EQ(driver.slot_status().icc, IccStatus::absent);
}

TEST_F(HostDriverTest, UnpluggedReaderIsADeviceError) {
  reader->insert_card(card);
  HostDriver driver(transport);
  reader->unplug();
  try {
    driver.power_on();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
  }
}

TEST_F(HostDriverTest, SeesInsertionOnInterruptIn) {
  HostDriver driver(transport);
  EXPECT_FALSE(driver.wait_for_slot_change(10ms));
  reader->insert_card(card);
  const auto change = driver.wait_for_slot_change(1s);
  ASSERT_TRUE(change);
  EXPECT_TRUE(change->present);
  EXPECT_TRUE(change->changed);
}

TEST_F(HostDriverTest, ApduLongerThanReaderLimitIsRefusedBeforeSending) {
  reader->insert_card(card);
  HostDriver driver(transport);
  driver.power_on();
  EXPECT_THROW(driver.transmit_raw(Bytes(300, 0)), Error);
  EXPECT_EQ(driver.transmit_raw(from_hex("00A40000")), from_hex("00A400009000"));
}

// A reader whose transport answers with a frame for another sequence number.
class ScriptedTransport final : public usb::UsbTransport {
 public:
  explicit ScriptedTransport(std::shared_ptr<EmulatedCcidReader> r) : inner_(std::move(r)) {}
  Bytes control_in(const usb::SetupPacket& s, Duration t) override { return inner_.control_in(s, t); }
  void control_out(const usb::SetupPacket& s, ByteView d, Duration t) override { inner_.control_out(s, d, t); }
  void bulk_out(std::uint8_t, ByteView, Duration) override {}
  Bytes bulk_in(std::uint8_t, std::size_t, Duration) override { return reply; }
  Bytes interrupt_in(std::uint8_t, std::size_t, Duration) override { return {}; }
  std::string describe() const override { return "scripted"; }
  Bytes reply;

 private:
  usb::InProcessTransport inner_;
};

TEST_F(HostDriverTest, MismatchedSequenceIsAProtocolError) {
  ScriptedTransport scripted(reader);
  scripted.reply = slot_status(0, 42, 0, 0).encode();
  HostDriver driver(scripted);
  try {
    driver.slot_status();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::protocol);
    EXPECT_NE(std::string(e.what()).find("seq 42"), std::string::npos) << e.what();
  }
}

TEST_F(HostDriverTest, EndlessTimeExtensionIsBounded) {
  ScriptedTransport scripted(reader);
  scripted.reply = data_block(0, 0, make_status(IccStatus::present_active, CommandStatus::time_extension), 1, {})
                       .encode();
  HostDriverOptions options;
  options.max_time_extensions = 5;
  HostDriver driver(scripted, options);
  try {
    driver.transmit_raw(from_hex("00A40000"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
  }
}

TEST_F(HostDriverTest, GarbledResponseFrameIsMalformedInput) {
  ScriptedTransport scripted(reader);
  scripted.reply = from_hex("8105000000000000");  // 8 bytes: shorter than a header, never completes
  HostDriver driver(scripted);
  EXPECT_THROW(driver.slot_status(), Error);
}

}  // namespace
}  // namespace onshi::ccid
