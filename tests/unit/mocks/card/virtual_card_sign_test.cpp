// COMPUTE DIGITAL SIGNATURE (80 2A 00 80) on the virtual card.
#include "onshi/crypto/certificate.hpp"
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

using VirtualCardSignTest = VirtualCardTest;

std::string sign_command(ByteView data, std::string_view le_hex = "00") {
  Bytes header{0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(data.size())};
  return to_hex(header) + to_hex(data) + std::string(le_hex);
}

const Bytes challenge = to_bytes("qualification confirmation challenge");

TEST_F(VirtualCardSignTest, SignatureVerifiesWithTheAuthCertificate) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  const auto r = send(sign_command(crypto::sha256_digest_info(challenge)));
  ASSERT_EQ(r.sw, 0x9000);
  ASSERT_EQ(r.data.size(), 256u);
  EXPECT_TRUE(shared_test_identity().auth_cert.verify_sha256_pkcs1(challenge, r.data));
  EXPECT_FALSE(shared_test_identity().auth_cert.verify_sha256_pkcs1(to_bytes("other"), r.data));
}

TEST_F(VirtualCardSignTest, SigningIsDeterministicPkcs1Type1) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  const Bytes digest_info = crypto::sha256_digest_info(challenge);
  EXPECT_EQ(send(sign_command(digest_info)).data, shared_test_identity().auth_key.sign_pkcs1_raw(digest_info));
}

TEST_F(VirtualCardSignTest, VerificationLastsForSeveralSignatures) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(send(sign_command(crypto::sha256_digest_info(challenge))).sw, 0x9000);
  EXPECT_EQ(send(sign_command(crypto::sha256_digest_info(to_bytes("second")))).sw, 0x9000);
}

TEST_F(VirtualCardSignTest, WithoutVerifyIsSecurityStatusNotSatisfied) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6982);
}

TEST_F(VirtualCardSignTest, AfterWrongPinIsSecurityStatusNotSatisfied) {
  select_pin();
  ASSERT_EQ(sw(verify_wrong), 0x63C2);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6982);
}

TEST_F(VirtualCardSignTest, AfterPowerCycleIsSecurityStatusNotSatisfied) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  card_->power_off();
  card_->power_on();
  enter_jpki();
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6982);
}

TEST_F(VirtualCardSignTest, NoCurrentEfIsCommandNotAllowed) {
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6986);
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  enter_jpki();  // reselecting drops the EF (and the verification)
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6986);
}

TEST_F(VirtualCardSignTest, CurrentEfNotAKeyIsConditionsNotSatisfied) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6985) << "PIN EF current";
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  EXPECT_EQ(sw(sign_command(crypto::sha256_digest_info(challenge))), 0x6985) << "certificate EF current";
}

TEST_F(VirtualCardSignTest, DataTooLongForRsa2048IsWrongLength) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(sw(sign_command(Bytes(246, 0x5A))), 0x6700);
  EXPECT_EQ(sw(sign_command(Bytes(255, 0x5A))), 0x6700);
  EXPECT_EQ(send(sign_command(Bytes(245, 0x5A))).sw, 0x9000) << "245 = 256 - 11 still fits";
}

TEST_F(VirtualCardSignTest, ExtendedDataOverTheModulusIsWrongLength) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  Bytes command = from_hex("80 2A 00 80 00 01 00");  // extended Lc = 256
  append(command, Bytes(256, 0x5A));
  append(command, from_hex("00 00"));
  EXPECT_EQ(iso7816::ResponseApdu::parse(card_->transmit(command)).sw, 0x6700);
}

TEST_F(VirtualCardSignTest, NoDataOrNoRoomForTheSignatureIsWrongLength) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(sw("80 2A 00 80 00"), 0x6700) << "no DigestInfo";
  const Bytes digest_info = crypto::sha256_digest_info(challenge);
  EXPECT_EQ(sw(sign_command(digest_info, "")), 0x6700) << "no Le";
  EXPECT_EQ(sw(sign_command(digest_info, "80")), 0x6700) << "Le 128 < 256";
}

TEST_F(VirtualCardSignTest, ExtendedLeIsAccepted) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  const Bytes digest_info = crypto::sha256_digest_info(challenge);
  Bytes command = from_hex("80 2A 00 80 00 00 33");
  append(command, digest_info);
  append(command, from_hex("00 00"));
  const auto r = iso7816::ResponseApdu::parse(card_->transmit(command));
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data.size(), 256u);
}

TEST_F(VirtualCardSignTest, OtherSchemesOrKeyReferencesAreWrongP1P2) {
  select_pin();
  ASSERT_EQ(sw(verify_right), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  const Bytes digest_info = crypto::sha256_digest_info(challenge);
  Bytes header{0x80, 0x2A, 0x01, 0x80, static_cast<std::uint8_t>(digest_info.size())};
  EXPECT_EQ(sw(to_hex(header) + to_hex(digest_info) + "00"), 0x6A86);
  header[2] = 0x00;
  header[3] = 0x97;
  EXPECT_EQ(sw(to_hex(header) + to_hex(digest_info) + "00"), 0x6A86);
}

}  // namespace
}  // namespace onshi::testing
