#include <gtest/gtest.h>

#include "onshi/iso7816/status_word.hpp"

namespace onshi::iso7816::sw {
namespace {

TEST(StatusWord, VerifyFailedCarriesTriesLeft) {
  EXPECT_EQ(verify_failed(2), 0x63C2);
  EXPECT_TRUE(is_verify_failed(0x63C0));
  EXPECT_FALSE(is_verify_failed(0x6300));
  EXPECT_EQ(describe(0x63C1), "63C1 verification failed, 1 tries left");
}

TEST(StatusWord, DescribesByHexAndMeaning) {
  EXPECT_EQ(describe(0x6A82), "6A82 file or application not found");
  EXPECT_EQ(describe(0x6984), "6984 reference data not usable (blocked)");
  EXPECT_EQ(describe(0x1234), "1234 unknown status");
}

// The procedure bytes a broken card may answer for ever are named with their count (0 = 256).
TEST(StatusWord, NamesMoreDataAndWrongLeWithTheirCount) {
  EXPECT_EQ(describe(0x6110), "6110 16 more response bytes (GET RESPONSE)");
  EXPECT_EQ(describe(0x6C00), "6C00 wrong Le: the card has 256 bytes");
}

}  // namespace
}  // namespace onshi::iso7816::sw
