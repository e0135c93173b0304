// 保険者番号 check digits (docs/domain/number-formats.md).
#include <gtest/gtest.h>

#include "onshi/ons/insurer_number.hpp"

namespace onshi::testing {
namespace {

TEST(InsurerNumber, CheckDigitFollowsTheWeights21Rule) {
  EXPECT_EQ(ons::insurer_check_digit("12345"), '5');  // docs/domain/number-formats.md's worked example: 123455
  EXPECT_EQ(ons::insurer_check_digit("0613201"), '3');
  EXPECT_EQ(ons::insurer_check_digit("3913001"), '8');
}

TEST(InsurerNumber, AcceptsValidNumbersInEveryPadding) {
  for (const char* n : {"123455", "  123455", "00123455", "06132013", "39130018", "138149", "01130012"}) {
    EXPECT_EQ(ons::insurer_number_problem(n), "") << n;
  }
}

TEST(InsurerNumber, SaysWhatIsWrong) {
  EXPECT_EQ(ons::insurer_number_problem("123456"), "check digit 6 should be 5");
  EXPECT_EQ(ons::insurer_number_problem("1234"), "must be 6 or 8 digits");
  EXPECT_EQ(ons::insurer_number_problem("12A455"), "must be 6 or 8 digits");
  EXPECT_EQ(ons::insurer_number_problem(""), "must be 6 or 8 digits");
}

}  // namespace
}  // namespace onshi::testing
