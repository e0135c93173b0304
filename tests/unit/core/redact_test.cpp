// Secrets in logs and records: a PIN never shows, not even its length; a number shows only
// its last two digits.
#include <gtest/gtest.h>

#include "onshi/core/redact.hpp"

namespace onshi {
namespace {

TEST(Redact, PinsBecomeFourStarsWhateverTheirLength) {
  EXPECT_EQ(redact_pin("1234"), "****");
  EXPECT_EQ(redact_pin("12345678"), "****");
  EXPECT_EQ(redact_pin("SIGNPASS1"), "****");
  EXPECT_EQ(redact_pin(""), "");  // nothing typed stays visibly nothing
}

TEST(Redact, NumbersKeepOnlyTheirLastTwoDigits) {
  EXPECT_EQ(redact_number("621498320257"), "**********57");
  EXPECT_EQ(redact_number("123"), "*23");
  EXPECT_EQ(redact_number("12"), "**");
  EXPECT_EQ(redact_number("7"), "*");
  EXPECT_EQ(redact_number(""), "");
}

}  // namespace
}  // namespace onshi
