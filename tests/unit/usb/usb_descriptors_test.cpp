#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/setup_packet.hpp"
#include "sample_configuration.hpp"

namespace onshi::usb {
namespace {

ConfigurationDescriptor sample() { return ccid_like_configuration(); }

TEST(UsbDescriptors, ConfigurationRoundTripsWithClassSpecificBlock) {
  const Bytes raw = sample().encode();
  EXPECT_EQ(load_le16(raw, 2), raw.size());  // wTotalLength
  const ConfigurationDescriptor back = ConfigurationDescriptor::parse(raw);
  ASSERT_EQ(back.interfaces.size(), 1u);
  EXPECT_EQ(back.interfaces[0].class_specific, (Bytes{4, 0x21, 0xAA, 0xBB}));
  EXPECT_EQ(back.interfaces[0].find_endpoint(TransferType::interrupt, true)->address, 0x81);
  EXPECT_EQ(back.interfaces[0].find_endpoint(TransferType::bulk, false)->address, 0x03);
}

TEST(UsbDescriptors, TruncatedConfigurationNamesOffset) {
  Bytes raw = sample().encode();
  raw[9 + 9] = 60;  // class-specific block claims to run past the end
  try {
    ConfigurationDescriptor::parse(raw);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.context().find("offset 18"), std::string::npos) << e.what();
  }
}

TEST(UsbDescriptors, StringDescriptorsCarryUtf16) {
  const Bytes raw = encode_string_descriptor("読取機 R1");
  EXPECT_EQ(raw[1], 0x03);
  EXPECT_EQ(raw[0], 2 + 2 * 6);
  EXPECT_EQ(decode_string_descriptor(raw), "読取機 R1");
}

TEST(UsbDescriptors, DeviceDescriptorRoundTrips) {
  DeviceDescriptor d;
  d.vendor_id = 0x08E6;
  d.product_id = 0x4433;
  const DeviceDescriptor back = DeviceDescriptor::parse(d.encode());
  EXPECT_EQ(back.vendor_id, 0x08E6);
  EXPECT_EQ(back.product_id, 0x4433);
}

TEST(SetupPacket, IsEightBytesLittleEndian) {
  const SetupPacket s = get_descriptor_request(descriptor_type::configuration, 0, 0x0109);
  EXPECT_EQ(to_hex(s.encode()), "8006000200000901");
  EXPECT_THROW(SetupPacket::parse(Bytes{1, 2, 3}), Error);
}

}  // namespace
}  // namespace onshi::usb
