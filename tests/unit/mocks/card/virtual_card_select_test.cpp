// SELECT, class/instruction dispatch, malformed APDUs, power and ATR of the virtual card.
#include "onshi/core/error.hpp"
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

using mocks::card::CardProfile;

std::uint8_t xor_from_t0(const Bytes& atr) {
  std::uint8_t x = 0;
  for (std::size_t i = 1; i < atr.size(); ++i) x = static_cast<std::uint8_t>(x ^ atr[i]);
  return x;
}

TEST_F(VirtualCardTest, PowerOnAnswersTheContactAtrByDefault) {
  EXPECT_EQ(card_->power_on(), from_hex("3B E0 00 FF 81 31 FE 45 14"));
  EXPECT_EQ(xor_from_t0(card_->power_on()), 0) << "TCK must make T0..TCK XOR to zero";
}

TEST_F(VirtualCardTest, ContactlessProfileAnswersThePseudoAtrWithAValidTck) {
  auto card = make_card(CardProfile::contactless());
  const Bytes atr = card->power_on();
  EXPECT_EQ(atr, from_hex("3B 88 80 01 00 00 41 E0 B3 81 A1 00 3B"));
  EXPECT_EQ(xor_from_t0(atr), 0);
}

TEST_F(VirtualCardTest, TransmitWhileUnpoweredThrowsStateError) {
  card_->power_off();
  EXPECT_FALSE(card_->powered());
  try {
    card_->transmit(from_hex(select_jpki));
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::state);
  }
}

TEST_F(VirtualCardTest, SelectsEachMyNumberCardApplication) {
  EXPECT_EQ(sw(select_jpki), 0x9000);
  EXPECT_EQ(sw("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08"), 0x9000);  // 券面事項入力補助AP
  EXPECT_EQ(sw("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02"), 0x9000);  // 券面AP
}

TEST_F(VirtualCardTest, SelectAnswersNoDataWithP2Of0C) { EXPECT_TRUE(send(select_jpki).data.empty()); }

TEST_F(VirtualCardTest, UnknownAidIsNotFound) { EXPECT_EQ(sw("00 A4 04 0C 05 A0 00 00 00 03"), 0x6A82); }

TEST_F(VirtualCardTest, PartialAidIsNotFound) { EXPECT_EQ(sw("00 A4 04 0C 05 D3 92 F0 00 26"), 0x6A82); }

TEST_F(VirtualCardTest, SelectByAidWithoutDataIsWrongLength) { EXPECT_EQ(sw("00 A4 04 0C"), 0x6700); }

TEST_F(VirtualCardTest, SelectByAidLongerThan16BytesIsWrongLength) {
  EXPECT_EQ(sw("00 A4 04 0C 11 D3 92 F0 00 26 01 00 00 00 01 00 00 00 00 00 00 00"), 0x6700);
}

TEST_F(VirtualCardTest, SelectWithFciRequestedIsWrongP1P2) {
  EXPECT_EQ(sw("00 A4 04 00 0A D3 92 F0 00 26 01 00 00 00 01 00"), 0x6A86);
}

TEST_F(VirtualCardTest, SelectMfOrByPathIsWrongP1P2) {
  EXPECT_EQ(sw("00 A4 00 0C 02 3F 00"), 0x6A86);
  EXPECT_EQ(sw("00 A4 08 0C 02 00 0A"), 0x6A86);
}

TEST_F(VirtualCardTest, SelectEfInsideJpki) {
  enter_jpki();
  for (const auto fid : {"000A", "000B", "0006", "0008", "0017", "0018"}) {
    EXPECT_EQ(sw(std::string("00 A4 02 0C 02 ") + fid), 0x9000) << fid;
  }
}

TEST_F(VirtualCardTest, SelectEfWithNoApplicationSelectedIsNotFound) { EXPECT_EQ(sw(select_auth_cert), 0x6A82); }

TEST_F(VirtualCardTest, UnknownEfIsNotFound) {
  enter_jpki();
  EXPECT_EQ(sw("00 A4 02 0C 02 00 0C"), 0x6A82);
  EXPECT_EQ(sw("00 A4 02 0C 02 12 34"), 0x6A82);
}

TEST_F(VirtualCardTest, EfsBelongToTheirOwnApplication) {
  ASSERT_EQ(sw("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08"), 0x9000);  // kenhojo
  EXPECT_EQ(sw("00 A4 02 0C 02 00 11"), 0x9000);
  EXPECT_EQ(sw("00 A4 02 0C 02 00 0A"), 0x6A82);  // the auth certificate lives in the JPKI AP
  ASSERT_EQ(sw("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02"), 0x9000);  // kenkaku
  EXPECT_EQ(sw("00 A4 02 0C 02 00 11"), 0x6A82);
  EXPECT_EQ(sw("00 A4 02 0C 02 00 12"), 0x9000);
}

TEST_F(VirtualCardTest, SelectEfWithFidOtherThanTwoBytesIsWrongLength) {
  enter_jpki();
  EXPECT_EQ(sw("00 A4 02 0C 01 0A"), 0x6700);
  EXPECT_EQ(sw("00 A4 02 0C 03 00 0A 00"), 0x6700);
}

TEST_F(VirtualCardTest, FailedSelectKeepsTheCurrentApplication) {
  enter_jpki();
  ASSERT_EQ(sw("00 A4 04 0C 05 A0 00 00 00 03"), 0x6A82);
  EXPECT_EQ(sw(select_auth_cert), 0x9000);
}

TEST_F(VirtualCardTest, ClassOtherThan00Or80IsNotSupported) {
  EXPECT_EQ(sw("0C A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"), 0x6E00);  // secure messaging
  EXPECT_EQ(sw("01 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"), 0x6E00);  // logical channel 1
  EXPECT_EQ(sw("FF CA 00 00 00"), 0x6E00);                                // PC/SC pseudo-APDU
}

TEST_F(VirtualCardTest, InterindustryCommandsRefuseTheProprietaryClass) {
  EXPECT_EQ(sw("80 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"), 0x6E00);
  EXPECT_EQ(sw("80 B0 00 00 00"), 0x6E00);
  EXPECT_EQ(sw("80 20 00 80"), 0x6E00);
}

TEST_F(VirtualCardTest, SignRefusesTheInterindustryClass) { EXPECT_EQ(sw("00 2A 00 80 01 00 00"), 0x6E00); }

TEST_F(VirtualCardTest, UnknownInstructionIsNotSupported) {
  EXPECT_EQ(sw("00 FE 00 00 00"), 0x6D00);
  EXPECT_EQ(sw("00 0E 00 00"), 0x6D00);      // ERASE BINARY
  EXPECT_EQ(sw("80 50 00 00 08 01 02 03 04 05 06 07 08 00"), 0x6D00);  // GP INITIALIZE UPDATE
}

TEST_F(VirtualCardTest, GetDataProbesFindNothing) {
  EXPECT_EQ(sw("00 CA 00 00 00"), 0x6A88);
  EXPECT_EQ(sw("80 CA 9F 7F 00"), 0x6A88);  // GlobalPlatform CPLC
  EXPECT_EQ(sw("00 CA 01 01 00"), 0x6A88);
  EXPECT_EQ(sw("00 CB 3F FF 04 5C 02 5F C1 00"), 0x6A88);  // PIV-style GET DATA
  enter_jpki();
  EXPECT_EQ(sw("00 CA 9F 7F 00"), 0x6A88);
}

TEST_F(VirtualCardTest, GetChallengeAnswersFreshRandomBytes) {
  const auto first = send("00 84 00 00 08");
  const auto second = send("00 84 00 00 08");
  ASSERT_EQ(first.sw, 0x9000);
  EXPECT_EQ(first.data.size(), 8u);
  EXPECT_NE(first.data, second.data);
  EXPECT_EQ(sw("00 84 01 00 08"), 0x6A86);
  EXPECT_EQ(sw("00 84 00 00"), 0x6700);  // no Le
}

TEST_F(VirtualCardTest, MalformedApdusAreWrongLength) {
  EXPECT_EQ(sw("00 A4 04"), 0x6700);                              // shorter than a header
  EXPECT_EQ(sw("00 A4 04 0C 0A D3 92 F0"), 0x6700);               // Lc says 10, 3 follow
  EXPECT_EQ(sw("00 A4 04 0C 02 D3 92 F0 00 26"), 0x6700);         // Lc says 2, 5 follow
  EXPECT_EQ(sw("00 B0 00 00 00 01"), 0x6700);                     // truncated extended Lc
  EXPECT_EQ(sw("00 A4 04 0C 00 00 0A D3 92 F0"), 0x6700);         // extended Lc 10, 3 follow
  EXPECT_TRUE(send("00 A4 04").data.empty());
}

TEST_F(VirtualCardTest, EachCardKeepsItsOwnSelection) {
  auto other = make_card();
  enter_jpki();
  EXPECT_EQ(send_to(*other, select_auth_cert).sw, 0x6A82);
  EXPECT_EQ(sw(select_auth_cert), 0x9000);
}

}  // namespace
}  // namespace onshi::testing
