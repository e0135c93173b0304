// The kenhojo/kenkaku record codecs and the My Number check digit, without a card.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/jpki/my_number.hpp"

namespace onshi::jpki {
namespace {

TEST(MyNumber, CheckDigitFollowsTheWeights) {
  EXPECT_EQ(my_number_check_digit("62149832025"), '7');
  EXPECT_TRUE(is_valid_my_number("621498320257"));
  EXPECT_FALSE(is_valid_my_number("621498320258"));
  EXPECT_FALSE(is_valid_my_number("62149832025"));
  EXPECT_FALSE(is_valid_my_number("62149832025A"));
  EXPECT_TRUE(is_valid_my_number("100000000013"));
  EXPECT_THROW(my_number_check_digit("123"), Error);
}

TEST(CardInfo, BasicFourRoundTripsWithLongValues) {
  BasicFourInfo info{"試験　花子", std::string(200, 'a'), "19850412", "2"};
  const Bytes file = encode_basic_four(info);
  EXPECT_EQ(file[0], 0xFF);
  EXPECT_EQ(file[1], 0x20);
  EXPECT_EQ(parse_basic_four(file), info);
}

TEST(CardInfo, OffsetsPointAtEachElement) {
  const Bytes file = encode_basic_four({"N", "A", "19850412", "1"});
  const auto outer = parse_tlvs(file, "t");
  const auto inner = parse_tlvs(outer[0].value, "t");
  const Bytes& offsets = inner[0].value;
  ASSERT_EQ(offsets.size(), 8u);
  const ByteView value(outer[0].value);
  EXPECT_EQ(value[load_be16(offsets, 0)], 0xDF);
  EXPECT_EQ(value[load_be16(offsets, 0) + 1], 0x22);
  EXPECT_EQ(value[load_be16(offsets, 6) + 1], 0x25);
}

TEST(CardInfo, MyNumberFileRoundTrips) {
  EXPECT_EQ(encode_my_number_file("621498320257"), from_hex("D0 0C 36 32 31 34 39 38 33 32 30 32 35 37"));
  EXPECT_EQ(parse_my_number_file(from_hex("D0 0C 36 32 31 34 39 38 33 32 30 32 35 37 FF FF FF")), "621498320257");
  EXPECT_THROW(encode_my_number_file("12345"), Error);
}

TEST(CardInfo, MalformedRecordsNameTheFault) {
  EXPECT_THROW(parse_basic_four(from_hex("FF 20 05 DF 22")), Error);
  EXPECT_THROW(parse_basic_four(from_hex("30 00")), Error);
  EXPECT_THROW(parse_my_number_file(from_hex("D0 03 31 32 33")), Error);
  try {
    parse_tlvs(from_hex("DF 22 84 00 00 00 01"), "kenhojo EF 0002");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("kenhojo EF 0002"), std::string::npos);
  }
}

TEST(CardInfo, CollationNumberBIsBirthYymmddExpiryYearAndCode) {
  EXPECT_EQ(collation_number_b("19850412", "20341231", "4321"), "85041220344321");
  EXPECT_THROW(collation_number_b("1985041", "20341231", "4321"), Error);
  EXPECT_THROW(collation_number_b("19850412", "20341231", "43a1"), Error);
}

}  // namespace
}  // namespace onshi::jpki
