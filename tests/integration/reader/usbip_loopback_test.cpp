// The emulated reader exported by our USB/IP server and driven through our userspace USB/IP
// client on loopback TCP: enumeration, CCID exchanges (chained), held interrupt URBs with
// unlink on timeout, card pulled mid-exchange and the reader vanishing — each ends in a clear
// error, never a hang.
#include <gtest/gtest.h>

#include <thread>

#include "onshi/ccid/host_driver.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/usb/usbip_transport.hpp"
#include "onshi/testing/sized_answer_icc.hpp"

namespace onshi::mocks::reader {
namespace {

using namespace std::chrono_literals;

class UsbipLoopback : public ::testing::Test {
 protected:
  void start(ReaderIdentity identity = {}) {
    device = std::make_shared<EmulatedCcidReader>(std::move(identity));
    device->insert_card(card);
    server = std::make_unique<UsbipServer>(device);
    server->start();
  }
  HostPort address() const { return {"127.0.0.1", server->port()}; }
  void TearDown() override {
    if (server) server->stop();
  }

  std::shared_ptr<onshi::testing::SizedAnswerIcc> card = std::make_shared<onshi::testing::SizedAnswerIcc>();
  std::shared_ptr<EmulatedCcidReader> device;
  std::unique_ptr<UsbipServer> server;
};

TEST_F(UsbipLoopback, DevlistShowsTheReaderWithItsCcidInterface) {
  start();
  const auto devices = usb::usbip_list_devices(address());
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].busid, "1-1");
  EXPECT_EQ(devices[0].vendor_id, 0x08E6);
  EXPECT_EQ(devices[0].product_id, 0x4433);
  ASSERT_EQ(devices[0].interfaces.size(), 1u);
  EXPECT_EQ(devices[0].interfaces[0].interface_class, 0x0B);
}

TEST_F(UsbipLoopback, ImportedReaderExchangesApdus) {
  start();
  auto transport = usb::UsbipTransport::import(address(), "1-1");
  EXPECT_EQ(transport->describe(), "usbip:127.0.0.1:" + std::to_string(server->port()) + "/1-1");
  EXPECT_TRUE(server->imported());
  EXPECT_TRUE(usb::usbip_list_devices(address()).empty());  // an imported device is not offered again
  EXPECT_THROW(usb::UsbipTransport::import(address(), "1-1"), Error);
  onshi::reader::CcidCardReader reader(std::move(transport));
  EXPECT_TRUE(reader.card_present());
  EXPECT_EQ(reader.connect(), card->atr);
  const Bytes response = reader.channel().transmit(iso7816::CommandApdu::parse(from_hex("00B0000000"))).data;
  EXPECT_EQ(response.size(), 256u);  // Le 00: a full short response over 64-byte packets
  reader.disconnect();
}

TEST_F(UsbipLoopback, ExtendedLevelChainsOverUsbip) {
  ReaderIdentity id;
  id.class_descriptor.features =
      (id.class_descriptor.features & ~ccid::feature::exchange_level_mask) | ccid::feature::exchange_extended_apdu;
  id.time_extensions_per_exchange = 1;
  start(id);
  onshi::reader::CcidCardReader reader(usb::UsbipTransport::import(address(), "1-1"));
  reader.connect();
  const Bytes big = onshi::testing::extended_apdu(2000, 5000);
  const Bytes response = reader.channel().transmit(iso7816::CommandApdu::parse(big)).data;
  EXPECT_EQ(card->last_command, big);
  EXPECT_EQ(response.size(), 5000u);
}

TEST_F(UsbipLoopback, InterruptUrbIsHeldUntilInsertionAndUnlinkedOnTimeout) {
  start();
  auto transport = usb::UsbipTransport::import(address(), "1-1");
  ccid::HostDriver driver(*transport);
  while (driver.wait_for_slot_change(100ms)) {
  }  // drain the insertion notice of start()
  EXPECT_FALSE(driver.wait_for_slot_change(100ms).has_value());  // held, then unlinked
  std::thread remover([this] {
    std::this_thread::sleep_for(100ms);
    device->remove_card();
  });
  const auto change = driver.wait_for_slot_change(5s);
  remover.join();
  ASSERT_TRUE(change.has_value());
  EXPECT_FALSE(change->present);
  EXPECT_TRUE(change->changed);
  EXPECT_EQ(driver.slot_status().icc, ccid::IccStatus::absent);  // the connection still works after unlinks
}

TEST_F(UsbipLoopback, CardPulledMidExchangeIsAClearDeviceError) {
  start();
  onshi::reader::CcidCardReader reader(usb::UsbipTransport::import(address(), "1-1"));
  reader.connect();
  device->pull_card_during_next_exchange();
  try {
    reader.channel().transmit(iso7816::CommandApdu::parse(from_hex("00B0000004")));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(e.message().find("ICC_MUTE"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("usbip:"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(reader.card_present());
}

TEST_F(UsbipLoopback, ReaderVanishingIsAClearDeviceErrorNotAHang) {
  start();
  onshi::reader::CcidCardReader reader(usb::UsbipTransport::import(address(), "1-1"));
  reader.connect();
  device->unplug();
  try {
    reader.channel().transmit(iso7816::CommandApdu::parse(from_hex("00B0000004")));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(e.message().find("vanished"), std::string::npos) << e.what();
  }
  EXPECT_THROW(reader.card_present(), Error);  // stays failed, quickly
}

TEST_F(UsbipLoopback, UnknownBusidAndDeadServerAreNamed) {
  start();
  try {
    usb::UsbipTransport::import(address(), "9-9");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_NE(e.message().find("9-9"), std::string::npos);
  }
  const std::uint16_t port = server->port();
  server->stop();
  server.reset();
  EXPECT_THROW(usb::usbip_list_devices({"127.0.0.1", port}, 1s), Error);
}

TEST_F(UsbipLoopback, GarbageFromAClientDoesNotStopTheServer) {
  start();
  {
    usb::TcpStream s = usb::TcpStream::connect(address(), 1s);
    s.write_all(from_hex("DEADBEEF00000000"));
    EXPECT_THROW(s.read_exact(1, 2s), Error);  // the server hangs up
  }
  EXPECT_EQ(usb::usbip_list_devices(address()).size(), 1u);
}

}  // namespace
}  // namespace onshi::mocks::reader
