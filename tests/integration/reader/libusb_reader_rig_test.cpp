// A reader of the rig, driven by the harness's CCID host driver: enumeration, class descriptor,
// slot status and — with a card in it — power on and an APDU exchange, then the JPKI
// user-authentication certificate's header. Label `rig`, RESOURCE_GROUPS "ccid_reader:1":
// `ctest --resource-spec-file FILE -L rig -j N` gives each test its own reader from FILE
// (`onshi-hil rig scan --ctest-resources FILE`: libusb readers and USB/IP exports alike,
// docs/rig-resources.md). Without a spec CTest ignores the resource groups, so these tests
// skip, never pass and never grab a reader another test may hold; ONSHI_RIG_READER=
// VID:PID[:SERIAL] names one libusb reader by hand instead.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "onshi/ccid/constants.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/rig/reader_resource.hpp"
#include "onshi/usb/libusb_transport.hpp"
#include "onshi/usb/usbip_protocol.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi::usb {
namespace {

using namespace std::chrono_literals;

std::optional<rig::ReaderResource> rig_reader(std::string& why) {
  if (auto allocated = rig::ctest_allocated_reader()) return allocated;
  if (const char* env = std::getenv("ONSHI_RIG_READER"); env != nullptr && *env != '\0') {
    return rig::ReaderResource{rig::ReaderResource::Source::libusb, env, ""};
  }
  why = "no reader allocated to this test: run it with ctest --resource-spec-file FILE -L rig (FILE from "
        "onshi-hil rig scan --ctest-resources FILE), or set ONSHI_RIG_READER=VID:PID[:SERIAL]";
  return std::nullopt;
}

std::unique_ptr<UsbTransport> open_reader(const rig::ReaderResource& reader) {
  if (reader.source == rig::ReaderResource::Source::usbip) {
    // A USB/IP server offers the device again once it has seen the previous importer (the test
    // CTest ran before this one on the same reader) disconnect: retry a refused import a while.
    const HostPort server = parse_host_port(reader.address, usbip::default_port);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    for (;;) {
      try {
        return UsbipTransport::import(server, reader.busid, 10s);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::not_found || std::chrono::steady_clock::now() > deadline) throw;
      }
      std::this_thread::sleep_for(100ms);
    }
  }
  return LibusbTransport::open(parse_libusb_selector(reader.address));
}

bool apdu_level(const ccid::ClassDescriptor& descriptor) {
  return descriptor.exchange_level() == ccid::feature::exchange_short_apdu ||
         descriptor.exchange_level() == ccid::feature::exchange_extended_apdu;
}

TEST(PhysicalReader, EnumeratesAndExchanges) {
  std::string why;
  const auto reader_resource = rig_reader(why);
  if (!reader_resource) GTEST_SKIP() << why;
  std::cout << "reader: " << reader_resource->describe() << std::endl;
  onshi::reader::CcidCardReader reader(open_reader(*reader_resource));
  const auto& descriptor = reader.driver().class_descriptor();
  EXPECT_GE(descriptor.max_ccid_message_length, 271u);
  if (!reader.card_present()) GTEST_SKIP() << "reader " << reader_resource->describe() << " has no card in it";
  const Bytes atr = reader.connect();
  EXPECT_FALSE(atr.empty());
  if (apdu_level(descriptor)) {
    // SELECT the JPKI AP: 9000 on a My Number Card, some other status word on other cards.
    const auto response = reader.channel().transmit(iso7816::CommandApdu::parse(from_hex("00A4040C0AD392F000260100000001")));
    EXPECT_NE(response.sw, 0u);
  }
  reader.disconnect();
}

TEST(PhysicalReader, ReadsTheUserAuthenticationCertificateHeader) {
  std::string why;
  const auto reader_resource = rig_reader(why);
  if (!reader_resource) GTEST_SKIP() << why;
  std::cout << "reader: " << reader_resource->describe() << std::endl;
  onshi::reader::CcidCardReader reader(open_reader(*reader_resource));
  if (!apdu_level(reader.driver().class_descriptor())) GTEST_SKIP() << "reader is not at APDU exchange level";
  if (!reader.card_present()) GTEST_SKIP() << "reader " << reader_resource->describe() << " has no card in it";
  reader.connect();
  auto& channel = reader.channel();
  const auto selected = channel.transmit(iso7816::CommandApdu::parse(from_hex("00A4040C0AD392F000260100000001")));
  if (selected.sw != 0x9000) GTEST_SKIP() << "the card in the reader has no JPKI AP (SELECT answered " << std::hex << selected.sw << ")";
  // EF 000A, 利用者証明用電子証明書: a DER certificate, SEQUENCE with a two-byte length.
  EXPECT_EQ(channel.transmit(iso7816::CommandApdu::parse(from_hex("00A4020C02000A"))).sw, 0x9000);
  const auto header = channel.transmit(iso7816::CommandApdu::parse(from_hex("00B0000004")));
  ASSERT_EQ(header.sw, 0x9000);
  ASSERT_EQ(header.data.size(), 4u);
  EXPECT_EQ(header.data[0], 0x30);
  EXPECT_EQ(header.data[1], 0x82);
  reader.disconnect();
}

}  // namespace
}  // namespace onshi::usb
