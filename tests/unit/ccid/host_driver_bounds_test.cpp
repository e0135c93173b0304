// The host driver against readers whose descriptors or notifications are out of shape:
// found by fuzzing (issue 14). Each fails with a named error instead of reading past a
// buffer or looping for as long as the reader answers.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "onshi/ccid/host_driver.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/testing/echo_icc.hpp"
#include "onshi/testing/error_of.hpp"
#include "onshi/usb/in_process_transport.hpp"

namespace onshi::ccid {
namespace {

using namespace std::chrono_literals;
using mocks::reader::EmulatedCcidReader;
using mocks::reader::ReaderIdentity;

TEST(HostDriverBounds, ShortNotifySlotChangeForAHighSlotIsAProtocolError) {
  // bMaxSlotIndex 4: slot 4's state is in byte 2, but the reader sends 2-byte notifications.
  ReaderIdentity id;
  id.class_descriptor.max_slot_index = 4;
  auto reader = std::make_shared<EmulatedCcidReader>(id);
  usb::InProcessTransport transport{reader};
  HostDriverOptions options;
  options.slot = 4;
  HostDriver driver(transport, options);
  reader->insert_card(std::make_shared<onshi::testing::EchoIcc>());
  try {
    driver.wait_for_slot_change(1s);
    FAIL() << "a 2-byte NotifySlotChange was read for slot 4";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::protocol);
    EXPECT_NE(std::string(e.what()).find("lacks slot 4's state (byte 2)"), std::string::npos) << e.what();
  }
}

TEST(HostDriverBounds, ExtendedLevelReaderWithNoRoomPerBlockIsRefused) {
  ReaderIdentity id;
  id.class_descriptor.features =
      (id.class_descriptor.features & ~feature::exchange_level_mask) | feature::exchange_extended_apdu;
  id.class_descriptor.max_ccid_message_length = 10;
  auto reader = std::make_shared<EmulatedCcidReader>(id);
  usb::InProcessTransport transport{reader};
  try {
    HostDriver driver(transport);
    FAIL() << "a 10-byte dwMaxCCIDMessageLength at the extended level was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(std::string(e.what()).find("dwMaxCCIDMessageLength 10 is below the 271 bytes"), std::string::npos)
        << e.what();
  }
}

TEST(HostDriverBounds, ExtendedLevelReaderAtTheMinimumStillChains) {
  ReaderIdentity id;
  id.class_descriptor.features =
      (id.class_descriptor.features & ~feature::exchange_level_mask) | feature::exchange_extended_apdu;
  id.class_descriptor.max_ccid_message_length = 271;
  auto reader = std::make_shared<EmulatedCcidReader>(id);
  reader->insert_card(std::make_shared<onshi::testing::EchoIcc>());
  usb::InProcessTransport transport{reader};
  HostDriver driver(transport);
  driver.power_on();
  Bytes big = from_hex("00B00000");
  big.push_back(0x00);
  big.push_back(0x02);
  big.push_back(0x00);  // Lc 512, extended
  big.resize(big.size() + 512, 0x5A);
  EXPECT_NO_THROW(driver.transmit_raw(big));
}

}  // namespace
}  // namespace onshi::ccid
