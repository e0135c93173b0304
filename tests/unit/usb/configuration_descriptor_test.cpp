// The one configuration-descriptor parser (usb::ConfigurationDescriptor::parse), fed what a
// broken or hostile device could send: every rule names the offset at fault, and no input
// crashes, hangs or reads past the buffer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "onshi/core/error.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/setup_packet.hpp"
#include "sample_configuration.hpp"

namespace onshi::usb {
namespace {

Bytes valid_configuration() { return ccid_like_configuration().encode(); }  // 43 bytes

void set_total_length(Bytes& raw, std::size_t total) {
  raw[2] = static_cast<std::uint8_t>(total & 0xFF);
  raw[3] = static_cast<std::uint8_t>(total >> 8);
}

// Parses `raw`, expecting Error(malformed_input) at `offset` whose message contains `says`.
void expect_malformed(const Bytes& raw, std::size_t offset, const std::string& says) {
  try {
    ConfigurationDescriptor::parse(raw);
    ADD_FAILURE() << "accepted " << to_hex(raw, " ");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input) << e.what();
    EXPECT_EQ(e.context(), "configuration descriptor at offset " + std::to_string(offset)) << e.what();
    EXPECT_NE(e.message().find(says), std::string::npos) << e.what();
  }
}

TEST(ConfigurationDescriptorRules, BufferShorterThanTheHeader) {
  expect_malformed(Bytes{9, 2, 9, 0, 1}, 0, "5 bytes, shorter than the 9-byte configuration header");
  expect_malformed(Bytes{}, 0, "0 bytes");
}

TEST(ConfigurationDescriptorRules, HeaderOfAnotherTypeOrTooShort) {
  Bytes raw = valid_configuration();
  raw[1] = descriptor_type::device;
  expect_malformed(raw, 0, "bDescriptorType 1 is not CONFIGURATION");
  raw = valid_configuration();
  raw[0] = 5;
  expect_malformed(raw, 0, "bLength 5 is shorter than the 9-byte header");
}

TEST(ConfigurationDescriptorRules, TotalLengthMustFitTheBufferAndCoverTheHeader) {
  Bytes raw = valid_configuration();
  set_total_length(raw, raw.size() + 1);
  expect_malformed(raw, 2, "wTotalLength 44 exceeds the 43 bytes read");
  set_total_length(raw, 4);
  expect_malformed(raw, 2, "wTotalLength 4 is shorter than the header's bLength 9");
}

TEST(ConfigurationDescriptorRules, ZeroOrOneByteLengthStopsTheWalk) {
  // bLength 0 would make a naive walker spin on one offset forever.
  for (std::uint8_t length : {std::uint8_t{0}, std::uint8_t{1}}) {
    Bytes raw = valid_configuration();
    raw[9] = length;
    expect_malformed(raw, 9, "bLength " + std::to_string(length) + " is shorter than a descriptor header");
  }
}

TEST(ConfigurationDescriptorRules, DescriptorRunningPastTotalLength) {
  Bytes raw = valid_configuration();
  raw[18] = 60;  // the class-specific block claims 60 bytes
  expect_malformed(raw, 18, "bLength 60 runs past wTotalLength 43");
  // Inside the buffer but past wTotalLength is just as wrong.
  raw = valid_configuration();
  raw.resize(raw.size() + 16, 0xEE);
  raw[36] = 20;  // the last endpoint (7 bytes at 36) claims 20: within the buffer, past wTotalLength
  expect_malformed(raw, 36, "runs past wTotalLength 43");
}

TEST(ConfigurationDescriptorRules, OneStrayByteBeforeTotalLength) {
  Bytes raw = valid_configuration();
  raw.push_back(0x07);
  set_total_length(raw, raw.size());
  expect_malformed(raw, 43, "1 byte left before wTotalLength 44");
}

TEST(ConfigurationDescriptorRules, InterfaceAndEndpointMinimumLengths) {
  Bytes raw = valid_configuration();
  // Interface at 9 says 7 bytes: its own fields would overlap the next descriptor.
  raw[9] = 7;
  expect_malformed(raw, 9, "interface descriptor bLength 7 is shorter than 9");
  raw = valid_configuration();
  raw[22] = 5;  // first endpoint
  expect_malformed(raw, 22, "endpoint descriptor bLength 5 is shorter than 7");
}

TEST(ConfigurationDescriptorRules, EndpointBeforeAnyInterface) {
  Bytes raw{9, descriptor_type::configuration, 0, 0, 0, 1, 0, 0x80, 50, 7, descriptor_type::endpoint, 0x81, 3, 8, 0, 16};
  set_total_length(raw, raw.size());
  expect_malformed(raw, 9, "endpoint descriptor before any interface descriptor");
}

TEST(ConfigurationDescriptorRules, BytesAfterTotalLengthAreIgnored) {
  Bytes raw = valid_configuration();
  raw.insert(raw.end(), {0, 0, 0xFF});  // a buffer larger than the configuration
  const ConfigurationDescriptor c = ConfigurationDescriptor::parse(raw);
  ASSERT_EQ(c.interfaces.size(), 1u);
  EXPECT_EQ(c.interfaces[0].endpoints.size(), 3u);
}

TEST(ConfigurationDescriptorRules, LongerDescriptorsKeepTheirStandardFields) {
  // An interface of 10 bytes (one vendor byte) and an endpoint of 9 (audio-style): the standard
  // fields are read, the extra bytes skipped (USB 2.0 §9.5).
  Bytes raw{9, descriptor_type::configuration, 0, 0, 1, 1, 0, 0x80, 50,
            10, descriptor_type::interface, 0, 0, 1, 0x0B, 0, 0, 0, 0x5A,
            9,  descriptor_type::endpoint, 0x82, 2, 64, 0, 0, 0x11, 0x22};
  set_total_length(raw, raw.size());
  const ConfigurationDescriptor c = ConfigurationDescriptor::parse(raw);
  ASSERT_EQ(c.interfaces.size(), 1u);
  EXPECT_EQ(c.interfaces[0].interface_class, 0x0B);
  ASSERT_EQ(c.interfaces[0].endpoints.size(), 1u);
  EXPECT_EQ(c.interfaces[0].endpoints[0].address, 0x82);
  EXPECT_TRUE(c.interfaces[0].class_specific.empty());
}

TEST(ConfigurationDescriptorRules, ClassBlockAfterTheEndpointsBelongsToTheInterface) {
  // Some readers put the CCID class descriptor after the endpoints (libccid copes).
  Bytes raw{9, descriptor_type::configuration, 0, 0, 1, 1, 0, 0x80, 50,
            9, descriptor_type::interface, 0, 0, 1, 0x0B, 0, 0, 0,
            7, descriptor_type::endpoint, 0x82, 2, 64, 0, 0,
            4, 0x21, 0xAA, 0xBB};
  set_total_length(raw, raw.size());
  const ConfigurationDescriptor c = ConfigurationDescriptor::parse(raw);
  ASSERT_NE(c.find_interface_by_class(0x0B), nullptr);
  EXPECT_EQ(c.find_interface_by_class(0x0B)->class_specific, (Bytes{4, 0x21, 0xAA, 0xBB}));
}

TEST(ConfigurationDescriptorRules, EveryTruncationAndEveryByteValueEndsInAnAnswer) {
  // Any prefix, and any single byte set to 0, 1, 2, 9 or 0xFF: parsed or refused with
  // Error(malformed_input), never a crash or an out-of-range read (ASan/UBSan builds see it).
  const Bytes good = valid_configuration();
  for (std::size_t size = 0; size < good.size(); ++size) {
    const Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_THROW(ConfigurationDescriptor::parse(cut), Error) << "prefix of " << size;
  }
  std::size_t refused = 0;
  for (std::size_t at = 0; at < good.size(); ++at) {
    for (std::uint8_t value : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{9}, std::uint8_t{0xFF}}) {
      Bytes raw = good;
      raw[at] = value;
      try {
        ConfigurationDescriptor::parse(raw);
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::malformed_input) << e.what();
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 0u);
}

TEST(ReadConfigurationDescriptor, AsksForTheHeaderThenTotalLength) {
  const Bytes device = valid_configuration();
  std::vector<std::uint16_t> asked;
  const ConfigurationDescriptor c = read_configuration_descriptor([&](std::uint16_t length) {
    asked.push_back(length);
    return Bytes(device.begin(), device.begin() + std::min<std::ptrdiff_t>(length, static_cast<std::ptrdiff_t>(device.size())));
  });
  EXPECT_EQ(asked, (std::vector<std::uint16_t>{9, 43}));
  ASSERT_EQ(c.interfaces.size(), 1u);
}

TEST(ReadConfigurationDescriptor, ShortAnswersAreMalformed) {
  try {
    read_configuration_descriptor([](std::uint16_t) { return Bytes{9, 2}; });
    FAIL() << "accepted a 2-byte header";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input);
    EXPECT_NE(e.message().find("answered 2 bytes for the 9-byte header"), std::string::npos) << e.what();
  }
  // The header promises 43 bytes, the second answer brings 20.
  const Bytes device = valid_configuration();
  try {
    read_configuration_descriptor([&](std::uint16_t length) {
      return Bytes(device.begin(), device.begin() + (length == 9 ? 9 : 20));
    });
    FAIL() << "accepted a truncated configuration";
  } catch (const Error& e) {
    EXPECT_EQ(e.context(), "configuration descriptor at offset 2") << e.what();
    EXPECT_NE(e.message().find("wTotalLength 43 exceeds the 20 bytes read"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace onshi::usb
