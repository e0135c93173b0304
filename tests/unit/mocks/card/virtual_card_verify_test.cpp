// VERIFY on the virtual card: tries, lock, blocked status word per profile, persistence.
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

using mocks::card::CardProfile;

using VirtualCardVerifyTest = VirtualCardTest;

TEST_F(VirtualCardVerifyTest, QueryReportsThreeTriesAndConsumesNone) {
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C3);
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, RightPinIsAccepted) {
  select_pin();
  EXPECT_EQ(sw(verify_right), 0x9000);
  EXPECT_TRUE(send(verify_right).data.empty());
}

TEST_F(VirtualCardVerifyTest, QueryAfterVerificationAnswers9000) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  EXPECT_EQ(sw(verify_query), 0x9000);
}

TEST_F(VirtualCardVerifyTest, ThreeWrongPinsBlockWith6984) {
  select_pin();
  EXPECT_EQ(sw(verify_wrong), 0x63C2);
  EXPECT_EQ(sw(verify_wrong), 0x63C1);
  EXPECT_EQ(sw(verify_wrong), 0x63C0);
  EXPECT_EQ(sw(verify_wrong), 0x6984);
  EXPECT_EQ(sw(verify_right), 0x6984) << "the right PIN cannot unblock";
  EXPECT_EQ(sw(verify_query), 0x6984);
}

TEST_F(VirtualCardVerifyTest, IsoProfileBlocksWith6983) {
  card_ = make_card(CardProfile::iso_blocked_status());
  select_pin();
  for (int i = 0; i < 3; ++i) sw(verify_wrong);
  EXPECT_EQ(sw(verify_wrong), 0x6983);
  EXPECT_EQ(sw(verify_right), 0x6983);
  EXPECT_EQ(sw(verify_query), 0x6983);
}

TEST_F(VirtualCardVerifyTest, ProfileSetsTheNumberOfTries) {
  CardProfile profile;
  profile.auth_pin_max_tries = 5;
  card_ = make_card(profile);
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C5);
  EXPECT_EQ(sw(verify_wrong), 0x63C4);
}

TEST_F(VirtualCardVerifyTest, RightPinRestoresTheCounter) {
  select_pin();
  ASSERT_EQ(sw(verify_wrong), 0x63C2);
  ASSERT_EQ(sw(verify_wrong), 0x63C1);
  ASSERT_EQ(sw(verify_right), 0x9000);
  card_->power_off();
  card_->power_on();
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, WrongPinAfterSuccessDropsTheVerifiedState) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(verify_wrong), 0x63C2);
  EXPECT_EQ(sw(verify_query), 0x63C2);
}

TEST_F(VirtualCardVerifyTest, CountersSurvivePowerCycle) {
  select_pin();
  ASSERT_EQ(sw(verify_wrong), 0x63C2);
  card_->power_off();
  card_->power_on();
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C2);
}

TEST_F(VirtualCardVerifyTest, BlockedStateSurvivesPowerCycle) {
  select_pin();
  for (int i = 0; i < 3; ++i) sw(verify_wrong);
  card_->power_off();
  card_->power_on();
  select_pin();
  EXPECT_EQ(sw(verify_right), 0x6984);
}

TEST_F(VirtualCardVerifyTest, VerifiedStateIsLostOnPowerCycle) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  card_->power_off();
  card_->power_on();
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, VerifiedStateIsLostOnApplicationReselect) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, VerifiedStateSurvivesEfSelection) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  ASSERT_EQ(sw(select_auth_pin), 0x9000);
  EXPECT_EQ(sw(verify_query), 0x9000);
}

TEST_F(VirtualCardVerifyTest, ResetForFixtureRestoresCounters) {
  select_pin();
  for (int i = 0; i < 3; ++i) sw(verify_wrong);
  card_->reset_for_fixture();
  EXPECT_TRUE(card_->powered());
  EXPECT_EQ(sw(verify_query), 0x6986) << "selection cleared too";
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C3);
  EXPECT_EQ(sw(verify_right), 0x9000);
}

TEST_F(VirtualCardVerifyTest, WrongLengthPinIsRefusedWithoutCostingATry) {
  select_pin();
  EXPECT_EQ(sw("00 20 00 80 03 31 32 33"), 0x6700);
  EXPECT_EQ(sw("00 20 00 80 05 31 32 33 34 35"), 0x6700);
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, NonDigitPinIsRefusedWithoutCostingATry) {
  select_pin();
  EXPECT_EQ(sw("00 20 00 80 04 31 32 33 41"), 0x6A80);
  EXPECT_EQ(sw("00 20 00 80 04 01 02 03 04"), 0x6A80) << "BCD, not ASCII";
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, BlockedPinAnswersBlockedEvenForMalformedValues) {
  select_pin();
  for (int i = 0; i < 3; ++i) sw(verify_wrong);
  EXPECT_EQ(sw("00 20 00 80 03 31 32 33"), 0x6984);
}

TEST_F(VirtualCardVerifyTest, WrongP1OrP2) {
  select_pin();
  EXPECT_EQ(sw("00 20 01 80 04 31 32 33 34"), 0x6A86);
  EXPECT_EQ(sw("00 20 00 00 04 31 32 33 34"), 0x6A86);
  EXPECT_EQ(sw("00 20 00 01 04 31 32 33 34"), 0x6A86);
  EXPECT_EQ(sw("00 20 00 9F 04 31 32 33 34"), 0x6A86) << "SFI 31 is reserved";
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

TEST_F(VirtualCardVerifyTest, NoCurrentPinEfIsCommandNotAllowed) {
  EXPECT_EQ(sw(verify_right), 0x6986) << "no application";
  enter_jpki();
  EXPECT_EQ(sw(verify_right), 0x6986) << "no EF";
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  EXPECT_EQ(sw(verify_right), 0x6986) << "current EF is not a PIN";
}

TEST_F(VirtualCardVerifyTest, ShortFileIdentifierInP2VerifiesWithoutSelect) {
  enter_jpki();
  EXPECT_EQ(sw("00 20 00 98"), 0x63C3);
  EXPECT_EQ(sw("00 20 00 98 04 31 32 33 34"), 0x9000);
  ASSERT_EQ(sw(select_auth_pin), 0x9000);
  EXPECT_EQ(sw(verify_query), 0x9000);
}

TEST_F(VirtualCardVerifyTest, ShortFileIdentifierOfNoPinIsNotFound) {
  EXPECT_EQ(sw("00 20 00 98"), 0x6A82) << "no application";
  enter_jpki();
  EXPECT_EQ(sw("00 20 00 8A"), 0x6A82) << "EF 000A is not a PIN";
  EXPECT_EQ(sw("00 20 00 8C"), 0x6A82) << "no EF 000C at all";
  EXPECT_EQ(sw("00 20 00 9B"), 0x63C5) << "the sign password by SFI";
}

TEST_F(VirtualCardVerifyTest, EachCardKeepsItsOwnCounters) {
  auto other = make_card();
  select_pin();
  ASSERT_EQ(sw(verify_wrong), 0x63C2);
  ASSERT_EQ(send_to(*other, select_jpki).sw, 0x9000);
  ASSERT_EQ(send_to(*other, select_auth_pin).sw, 0x9000);
  EXPECT_EQ(send_to(*other, verify_query).sw, 0x63C3);
}

TEST_F(VirtualCardVerifyTest, CardsBuiltFromTheSameIdentityDoNotShareCounters) {
  select_pin();
  for (int i = 0; i < 3; ++i) sw(verify_wrong);
  card_ = make_card();
  select_pin();
  EXPECT_EQ(sw(verify_query), 0x63C3);
}

}  // namespace
}  // namespace onshi::testing
