#include <gtest/gtest.h>

#include "onshi/ccid/class_descriptor.hpp"
#include "onshi/core/error.hpp"

namespace onshi::ccid {
namespace {

TEST(ClassDescriptor, EncodesFiftyFourBytesOfType21) {
  const Bytes raw = ClassDescriptor{}.encode();
  ASSERT_EQ(raw.size(), 54u);
  EXPECT_EQ(raw[0], 0x36);
  EXPECT_EQ(raw[1], 0x21);
  EXPECT_EQ(load_le16(raw, 2), 0x0110);   // bcdCCID
  EXPECT_EQ(load_le32(raw, 44), 271u);    // dwMaxCCIDMessageLength
}

TEST(ClassDescriptor, RoundTrips) {
  ClassDescriptor d;
  d.features = feature::exchange_extended_apdu | feature::auto_voltage;
  d.max_ccid_message_length = 65544 + 10;
  d.pin_support = 3;
  const ClassDescriptor back = ClassDescriptor::parse(d.encode());
  EXPECT_EQ(back.features, d.features);
  EXPECT_EQ(back.exchange_level(), feature::exchange_extended_apdu);
  EXPECT_EQ(back.max_ccid_message_length, d.max_ccid_message_length);
  EXPECT_EQ(back.pin_support, 3);
}

TEST(ClassDescriptor, RejectsWrongTypeOrLength) {
  Bytes raw = ClassDescriptor{}.encode();
  raw[1] = 0x24;
  EXPECT_THROW(ClassDescriptor::parse(raw), Error);
  EXPECT_THROW(ClassDescriptor::parse(ByteView(ClassDescriptor{}.encode()).first(40)), Error);
}

}  // namespace
}  // namespace onshi::ccid
