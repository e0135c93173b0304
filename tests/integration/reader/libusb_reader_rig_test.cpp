// A physical CCID reader through libusb and the harness's CCID host driver: enumeration,
// class descriptor, slot status, and — with a card in it — power on and an APDU exchange.
// Label `rig`: skipped, never passed, when no reader is attached.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "onshi/ccid/constants.hpp"
#include "onshi/core/error.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/usb/libusb_transport.hpp"

namespace onshi::usb {
namespace {

std::optional<LibusbSelector> attached_reader(std::string& why) {
  if (const char* env = std::getenv("ONSHI_RIG_READER"); env != nullptr && *env != '\0') {
    return parse_libusb_selector(env);
  }
  try {
    for (const LibusbDevice& d : libusb_list_devices(false)) {
      if (d.configuration.find_interface_by_class(ccid::interface_class) != nullptr) {
        LibusbSelector s;
        s.vendor_id = d.device.vendor_id;
        s.product_id = d.device.product_id;
        return s;
      }
    }
    why = "no CCID reader on this machine's USB (set ONSHI_RIG_READER=VID:PID[:SERIAL] to pick one)";
  } catch (const Error& e) {
    why = std::string("libusb cannot list devices here: ") + e.what();
  }
  return std::nullopt;
}

TEST(PhysicalReader, EnumeratesAndExchangesThroughLibusb) {
  std::string why;
  const auto selector = attached_reader(why);
  if (!selector) GTEST_SKIP() << why;
  onshi::reader::CcidCardReader reader(LibusbTransport::open(*selector));
  const auto& descriptor = reader.driver().class_descriptor();
  EXPECT_GE(descriptor.max_ccid_message_length, 271u);
  if (!reader.card_present()) GTEST_SKIP() << "reader " << selector->to_string() << " has no card in it";
  const Bytes atr = reader.connect();
  EXPECT_FALSE(atr.empty());
  if (descriptor.exchange_level() == ccid::feature::exchange_short_apdu ||
      descriptor.exchange_level() == ccid::feature::exchange_extended_apdu) {
    // SELECT the JPKI AP: 9000 on a My Number Card, some other status word on other cards.
    const auto response = reader.channel().transmit(iso7816::CommandApdu::parse(from_hex("00A4040C0AD392F000260100000001")));
    EXPECT_NE(response.sw, 0u);
  }
  reader.disconnect();
}

}  // namespace
}  // namespace onshi::usb
