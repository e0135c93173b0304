// The APDU codec: the four ISO 7816-3 cases, short and extended, both directions.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/iso7816/apdu.hpp"

namespace onshi::iso7816 {
namespace {

CommandApdu parse(std::string_view hex) { return CommandApdu::parse(from_hex(hex)); }

CommandApdu make(std::uint8_t ins, Bytes data, std::optional<std::uint32_t> le, bool extended = false) {
  CommandApdu c;
  c.cla = 0x00;
  c.ins = ins;
  c.p1 = 0x01;
  c.p2 = 0x02;
  c.data = std::move(data);
  c.le = le;
  c.extended = extended;
  return c;
}

void expect_malformed(std::string_view hex) {
  try {
    parse(hex);
    ADD_FAILURE() << "parsed: " << hex;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input) << hex;
  }
}

TEST(CommandApduParse, Case1HeaderOnly) {
  const CommandApdu c = parse("00 20 00 80");
  EXPECT_EQ(c.cla, 0x00);
  EXPECT_EQ(c.ins, 0x20);
  EXPECT_EQ(c.p1, 0x00);
  EXPECT_EQ(c.p2, 0x80);
  EXPECT_TRUE(c.data.empty());
  EXPECT_FALSE(c.le);
  EXPECT_FALSE(c.extended);
}

TEST(CommandApduParse, Case2Short) {
  EXPECT_EQ(parse("00 B0 00 00 07").le, 7u);
  EXPECT_EQ(parse("00 B0 00 00 00").le, 256u) << "Le 00 means 256";
  EXPECT_TRUE(parse("00 B0 00 00 00").data.empty());
}

TEST(CommandApduParse, Case3Short) {
  const CommandApdu c = parse("00 A4 02 0C 02 00 0A");
  EXPECT_EQ(c.data, from_hex("00 0A"));
  EXPECT_FALSE(c.le);
  EXPECT_FALSE(c.extended);
}

TEST(CommandApduParse, Case4Short) {
  const CommandApdu c = parse("80 2A 00 80 03 01 02 03 00");
  EXPECT_EQ(c.data, from_hex("01 02 03"));
  EXPECT_EQ(c.le, 256u);
  EXPECT_EQ(parse("80 2A 00 80 01 AA 10").le, 16u);
}

TEST(CommandApduParse, Case3ShortWith255Bytes) {
  Bytes raw = from_hex("00 D6 00 00 FF");
  append(raw, Bytes(255, 0x42));
  const CommandApdu c = CommandApdu::parse(raw);
  EXPECT_EQ(c.data.size(), 255u);
  EXPECT_FALSE(c.le);
}

TEST(CommandApduParse, Case2Extended) {
  const CommandApdu c = parse("00 B0 00 00 00 01 2C");
  EXPECT_EQ(c.le, 300u);
  EXPECT_TRUE(c.extended);
  EXPECT_TRUE(c.data.empty());
  EXPECT_EQ(parse("00 B0 00 00 00 00 00").le, 65536u) << "Le 0000 means 65536";
}

TEST(CommandApduParse, Case3Extended) {
  Bytes raw = from_hex("00 D6 00 00 00 01 00");
  append(raw, Bytes(256, 0x42));
  const CommandApdu c = CommandApdu::parse(raw);
  EXPECT_EQ(c.data.size(), 256u);
  EXPECT_FALSE(c.le);
  EXPECT_TRUE(c.extended);
}

TEST(CommandApduParse, Case4Extended) {
  const CommandApdu c = parse("80 2A 00 80 00 00 02 AA BB 01 00");
  EXPECT_EQ(c.data, from_hex("AA BB"));
  EXPECT_EQ(c.le, 256u);
  EXPECT_TRUE(c.extended);
  EXPECT_EQ(parse("80 2A 00 80 00 00 01 AA 00 00").le, 65536u);
}

TEST(CommandApduParse, TooShort) {
  expect_malformed("");
  expect_malformed("00");
  expect_malformed("00 A4 04");
}

TEST(CommandApduParse, LcMismatch) {
  expect_malformed("00 A4 02 0C 02 00");           // Lc 2, 1 follows
  expect_malformed("00 A4 02 0C 02 00 0A 00 00");  // Lc 2, 4 follow
  expect_malformed("00 A4 02 0C 05 00 0A");        // Lc 5, 2 follow
}

TEST(CommandApduParse, TruncatedExtended) {
  expect_malformed("00 B0 00 00 00 01");                 // Le field cut after one byte
  expect_malformed("00 D6 00 00 00 00 04 01 02");         // extended Lc 4, 2 follow
  expect_malformed("00 D6 00 00 00 00 02 01 02 00");      // 2 data bytes then half an Le
  expect_malformed("00 D6 00 00 00 00 02 01 02 00 00 00");  // one byte too many
  expect_malformed("00 D6 00 00 00 00 00 01");            // extended Lc of zero
}

TEST(CommandApduParse, ErrorNamesTheLengthFieldAndSize) {
  try {
    parse("00 A4 02 0C 05 00 0A");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("Lc=5"), std::string::npos) << e.message();
    EXPECT_EQ(e.context(), "command APDU of 7 bytes");
  }
}

TEST(CommandApduEncode, ShortCases) {
  EXPECT_EQ(make(0x20, {}, std::nullopt).encode(), from_hex("00 20 01 02"));
  EXPECT_EQ(make(0xB0, {}, 7u).encode(), from_hex("00 B0 01 02 07"));
  EXPECT_EQ(make(0xB0, {}, 256u).encode(), from_hex("00 B0 01 02 00"));
  EXPECT_EQ(make(0xA4, from_hex("00 0A"), std::nullopt).encode(), from_hex("00 A4 01 02 02 00 0A"));
  EXPECT_EQ(make(0x2A, from_hex("AA"), 256u).encode(), from_hex("00 2A 01 02 01 AA 00"));
}

TEST(CommandApduEncode, ExtendedWhenAskedOrNeeded) {
  EXPECT_EQ(make(0xB0, {}, 256u, true).encode(), from_hex("00 B0 01 02 00 01 00"));
  EXPECT_EQ(make(0xB0, {}, 65536u).encode(), from_hex("00 B0 01 02 00 00 00"));
  EXPECT_EQ(make(0xB0, {}, 257u).encode(), from_hex("00 B0 01 02 00 01 01"));
  EXPECT_EQ(make(0x2A, from_hex("AA"), 256u, true).encode(), from_hex("00 2A 01 02 00 00 01 AA 01 00"));
  EXPECT_EQ(make(0xD6, from_hex("AA"), std::nullopt, true).encode(), from_hex("00 D6 01 02 00 00 01 AA"));
  Bytes expected = from_hex("00 D6 01 02 00 01 00");
  append(expected, Bytes(256, 0x42));
  EXPECT_EQ(make(0xD6, Bytes(256, 0x42), std::nullopt).encode(), expected);
  // Short data with a long Le: both fields go extended, as ISO requires.
  EXPECT_EQ(make(0x2A, from_hex("AA"), 65536u).encode(), from_hex("00 2A 01 02 00 00 01 AA 00 00"));
}

TEST(CommandApduEncode, RefusesWhatCannotBeEncoded) {
  EXPECT_THROW(make(0xB0, {}, 0u).encode(), Error);
  EXPECT_THROW(make(0xB0, {}, 65537u).encode(), Error);
  EXPECT_THROW(make(0xD6, Bytes(65536, 0), std::nullopt).encode(), Error);
}

TEST(CommandApduRoundTrip, EveryCaseShortAndExtended) {
  const std::vector<CommandApdu> commands = {
      make(0x20, {}, std::nullopt),
      make(0xB0, {}, 1u),
      make(0xB0, {}, 256u),
      make(0xA4, from_hex("D3 92 F0 00 26 01 00 00 00 01"), std::nullopt),
      make(0x2A, Bytes(51, 0x30), 256u),
      make(0x2A, Bytes(255, 0x30), 1u),
      make(0xB0, {}, 1u, true),
      make(0xB0, {}, 65536u, true),
      make(0xD6, Bytes(1, 0x30), std::nullopt, true),
      make(0xD6, Bytes(65535, 0x30), std::nullopt, true),
      make(0x2A, Bytes(300, 0x30), 65536u, true),
      make(0x2A, Bytes(2, 0x30), 256u, true),
  };
  for (const CommandApdu& original : commands) {
    const Bytes raw = original.encode();
    const CommandApdu parsed = CommandApdu::parse(raw);
    EXPECT_EQ(parsed.cla, original.cla);
    EXPECT_EQ(parsed.ins, original.ins);
    EXPECT_EQ(parsed.p1, original.p1);
    EXPECT_EQ(parsed.p2, original.p2);
    EXPECT_EQ(parsed.data, original.data) << to_hex(ByteView(raw).first(std::min<std::size_t>(raw.size(), 12)));
    EXPECT_EQ(parsed.le, original.le);
    EXPECT_EQ(parsed.extended, original.extended);
    EXPECT_EQ(parsed.encode(), raw);
  }
}

TEST(ResponseApdu, ParsesDataAndStatusWord) {
  const ResponseApdu r = ResponseApdu::parse(from_hex("01 02 03 62 82"));
  EXPECT_EQ(r.data, from_hex("01 02 03"));
  EXPECT_EQ(r.sw, 0x6282);
  EXPECT_EQ(r.sw1(), 0x62);
  EXPECT_EQ(r.sw2(), 0x82);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(ResponseApdu::parse(from_hex("90 00")).ok());
  EXPECT_TRUE(ResponseApdu::parse(from_hex("90 00")).data.empty());
}

TEST(ResponseApdu, RoundTrips) {
  ResponseApdu r;
  r.data = Bytes(256, 0x5A);
  r.sw = 0x9000;
  const ResponseApdu back = ResponseApdu::parse(r.encode());
  EXPECT_EQ(back.data, r.data);
  EXPECT_EQ(back.sw, r.sw);
}

TEST(ResponseApdu, ShorterThanAStatusWordIsMalformed) {
  EXPECT_THROW(ResponseApdu::parse(Bytes{}), Error);
  EXPECT_THROW(ResponseApdu::parse(from_hex("90")), Error);
}

}  // namespace
}  // namespace onshi::iso7816
